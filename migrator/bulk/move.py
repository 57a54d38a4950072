"""`sqlite-to-pg --move-artifacts`: the artifact bytes first (through MLflow's artifact repositories), then the
database copy with the same rewrite, then the artifacts verified at their new place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..artifacts import Rule
from ..errors import PartialResult
from ..outcome import NULL_PROGRESS, Outcome, Progress
from ..stores import Store
from ..transfer import copy_artifacts, verify_artifacts
from .result import CopyOptions
from .server import copy_server


def move_server(source: Store, target: Store | None, options: CopyOptions, *, auth_source: Store | None = None,
                auth_target: Store | None = None, move_rules: Sequence[Rule] = (),
                artifacts_destination: str | None = None, progress: Progress = NULL_PROGRESS) -> Any:
    """`copy_server`, with `move_rules` the artifacts moved first and verified after (a MoveResult)."""
    moved = _move_artifacts(source, move_rules, artifacts_destination, options.dry_run, progress) if move_rules else None
    result = copy_server(source, target, options, auth_source=auth_source, auth_target=auth_target, progress=progress)
    if moved is None:
        return result
    return MoveResult(result, moved, None if options.dry_run else verify_artifacts(
        source, move_rules, artifacts_destination=artifacts_destination, progress=progress))


def _move_artifacts(src: Store, rules: Sequence[Rule], destination: str | None, dry_run: bool,
                    progress: Progress) -> Any:
    """The artifact bytes first: if any could not be copied, the database is not touched."""
    moved = copy_artifacts(src, rules, artifacts_destination=destination, dry_run=dry_run, progress=progress)
    if moved.exit_code:
        raise PartialResult(f"the artifact copy is incomplete ({moved.failure}); nothing was written to the database",
                            moved, moved.failure_lines)
    return moved


@dataclass
class MoveResult(Outcome):
    """sqlite-to-pg --move-artifacts: the artifact copy, the database copy, and the artifacts verified at their
    new place (exit 3 when any of it failed)."""

    copy: Any
    artifacts: Any
    artifacts_verify: Any

    @property
    def results(self) -> Any:
        return self.copy.results

    @property
    def failure(self) -> str | None:
        if self.copy.exit_code:
            return self.copy.failure
        if self.artifacts_verify is not None and self.artifacts_verify.exit_code:
            return f"artifacts at the new place: {self.artifacts_verify.failure}"
        return None

    @property
    def failure_lines(self) -> list[str]:
        return self.artifacts_verify.failure_lines if self.artifacts_verify and self.artifacts_verify.exit_code else []

    def as_dict(self) -> dict[str, Any]:
        d = self.copy.as_dict()
        d["artifacts"] = self.artifacts.as_dict()
        d["artifacts_verify"] = self.artifacts_verify.as_dict() if self.artifacts_verify else None
        d["ok"] = self.ok
        return d


