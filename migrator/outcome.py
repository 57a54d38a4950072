"""The one result contract every core operation returns, and the one progress protocol it reports through.

`Outcome`: `ok`, `failure` (one line, None when ok), `failure_lines` (details listed before it), `as_dict()`
(what --json prints) and `exit_code`, written once here from the result's `severity` (the code its failure
means: 3 for a mismatch or partial result, 1 for a failed operation). The CLI's boundary reads only these.

`Progress`: the core reports phases, notes and counted work through named methods; the CLI implements it with
tqdm bars on stderr; `NULL_PROGRESS` ignores everything. No drawing object ever crosses into the core.
"""

from __future__ import annotations

from typing import Any, Protocol

from .errors import EXIT_MISMATCH, EXIT_OK


class Outcome:
    """Mixin of every core result. Subclasses define `failure` (None when everything held) and `as_dict`."""

    severity: int = EXIT_MISMATCH  # the exit code a failure of this result means

    @property
    def failure(self) -> str | None:
        return None

    @property
    def failure_lines(self) -> list[str]:
        return []

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else self.severity

    def as_dict(self) -> dict[str, Any]:
        raise NotImplementedError


class Progress(Protocol):
    """Where long work reports what it does. `task` names a counted piece of work (a table, "artifacts");
    `unit` says what is counted ("rows", "files", "B" for bytes)."""

    def phase(self, name: str) -> None: ...

    def info(self, message: str) -> None: ...

    def start(self, task: str, total: int, unit: str = "rows") -> None: ...

    def advance(self, task: str, n: int) -> None: ...

    def done(self, task: str) -> None: ...


class NullProgress:
    """A Progress that reports nothing (library calls, worker processes)."""

    def phase(self, name: str) -> None:
        pass

    def info(self, message: str) -> None:
        pass

    def start(self, task: str, total: int, unit: str = "rows") -> None:
        pass

    def advance(self, task: str, n: int) -> None:
        pass

    def done(self, task: str) -> None:
        pass


NULL_PROGRESS: Progress = NullProgress()
