"""Operations that change a store in place, each able to take a checked backup first: `rewrite` (artifact
locations, reversibly, with an undo file). The layer above the copy paths and backups (it uses `backup`)."""

from .rewrite import RewriteRequest, RewriteResult, Undone, rewrite_artifacts, run_rewrite, undo

__all__ = ["RewriteRequest", "RewriteResult", "Undone", "rewrite_artifacts", "run_rewrite", "undo"]
