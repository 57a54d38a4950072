"""Operations that change a store in place, each able to take a checked backup first: `rewrite` (artifact
locations, reversibly, with an undo file) and `upgrade` (MLflow schema upgrades, rehearsed or all or nothing). The layer above the copy paths and backups (it uses `backup`)."""

from .rewrite import RewriteRequest, RewriteResult, Undone, rewrite_artifacts, run_rewrite, undo
from .upgrade import Plan, UpgradeRequest, UpgradeResult, make_plan, run_upgrade

__all__ = ["Plan", "UpgradeRequest", "UpgradeResult", "make_plan", "run_upgrade", "RewriteRequest", "RewriteResult", "Undone", "rewrite_artifacts", "run_rewrite", "undo"]
