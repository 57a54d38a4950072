"""What a bulk copy returns and takes: options, per-table results, phase timings."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .. import spawn
from ..artifacts import Rule
from ..outcome import Outcome, Progress
from ..schema import Table
from ..stores import PostgresStore, Store
from .preflight import Problem


@dataclass
class TableResult:
    table: str
    rows: int  # exact, or until `settle()` an upper bound (max(rowid) - min(rowid) + 1) while counted beside the COPY
    rejected: int = 0
    seconds: float = 0.0
    counting: Any = field(default=None, repr=False, compare=False)  # a thread's exact count(*) being taken

    def settle(self) -> int:
        """The exact row count (waits for the count taken beside the COPY, if any)."""
        if self.counting is not None:
            self.rows, self.counting = self.counting.result(), None
        return self.rows

@dataclass
class CopyResult(Outcome):
    source: str
    target: str | None
    source_revision: str | None
    target_revision: str | None
    upgraded_from: str | None
    dry_run: bool
    tables: list[TableResult] = field(default_factory=list)
    rewrites: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0
    reject_file: str | None = None
    phases: dict[str, float] = field(default_factory=dict)
    verify: Any = None
    renumbered: dict[int, int] = field(default_factory=dict)  # experiment ids: old -> new
    already_complete: bool = False  # the target held this very copy already; nothing was written
    upgraded: bool = False  # the snapshot was brought to the installed head first
    notes: list[str] = field(default_factory=list)  # what the operator should know about the result
    kind: str = "tracking"
    temp_bytes: int = 0  # local temporary disk the run used at its peak (the snapshot)
    temp_dir: str | None = None
    read_in_place: bool = False  # rows were read from the stopped source itself, under its shared lock (no snapshot)
    builds: dict[str, float] = field(default_factory=dict)  # seconds of each index, key and FK build (>= 0.05 s)
    jobs: int = 1  # PostgreSQL connections the load used


    @property
    def failure(self) -> str | None:
        """The Error line of a partial result (rows skipped), None when everything was copied."""
        if self.rejected_rows:
            return (f"{self.rejected_rows} row(s) were skipped and written to {self.reject_file}; "
                    "the rest was copied")
        if self.verify is not None and not self.verify.ok:
            return f"verification found differences ({self.verify.summary()})"
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.exit_code == 0, "store": self.kind,
            "source": self.source, "target": self.target, "dry_run": self.dry_run,
            "source_revision": self.source_revision, "target_revision": self.target_revision,
            "upgraded_from": self.upgraded_from, "notes": self.notes,
            "tables": [{"table": t.table, "rows": t.rows, "rejected": t.rejected, "seconds": round(t.seconds, 3)}
                       for t in self.tables],
            "rewrites": self.rewrites,
            "renumbered_experiments": {str(k): v for k, v in self.renumbered.items()},
            "rejected_rows": self.rejected_rows, "reject_file": self.reject_file,
            "problems": [p.as_dict() for p in self.problems],
            "phases": {k: round(v, 3) for k, v in self.phases.items()},
            "verify": self.verify.as_dict() if self.verify is not None else None,
            "already_complete": self.already_complete,
            "temp_disk": {"bytes": self.temp_bytes, "folder": self.temp_dir},
            "read_in_place": self.read_in_place,
            "jobs": self.jobs, "builds": {k: round(v, 3) for k, v in self.builds.items()},
        }

@dataclass
class CopyOptions:
    rules: Sequence[Rule] = ()
    on_bad_row: str = "fail"  # or "skip"
    reject_file: Path | None = None
    replace: bool = False
    dry_run: bool = False
    verify: bool = True
    verify_sample: int = 50
    renumber_experiments: bool = False  # new ids for experiments whose id does not fit PostgreSQL's integer
    kind: str = "tracking"  # or "auth": MLflow's basic-auth store (schema.TRACKING / schema.AUTH)
    jobs: int = field(default_factory=spawn.default_jobs)  # PostgreSQL connections; 1: one transaction
    workspace: Any = None  # merge.WorkspaceMerge: the store goes into one workspace of a populated target
    online: Any = None  # online.OnlineState: phase one of an online move (the snapshot is kept as its baseline)


class Timer:
    def __init__(self, phases: dict[str, float], progress: Progress) -> None:
        self.phases, self.progress = phases, progress

    def __call__(self, name: str) -> "Phase":
        return Phase(self, name)

class Phase:
    def __init__(self, timer: Timer, name: str) -> None:
        self.timer, self.name = timer, name

    def __enter__(self) -> None:
        if self.timer.progress:
            self.timer.progress.phase(self.name)
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: Any) -> None:
        self.timer.phases[self.name] = self.timer.phases.get(self.name, 0.0) + time.perf_counter() - self.t0


@dataclass
class Job:
    """The state of one sqlite-to-pg run, handed from step to step."""

    source: Store
    target: PostgresStore | None
    options: CopyOptions
    result: CopyResult
    timer: Timer
    progress: Progress
    snap_path: Path  # the snapshot, or the source itself when read in place (result.read_in_place)
    prepared: Any = None  # target.PreparedTarget (it imports this module)
    directs: dict[str, Any] = field(default_factory=dict)  # direct.DirectCopy of the tables COPYd by workers
    flagged: dict[str, list[int] | None] = field(default_factory=dict)  # their rows failing a check (None: many)
    stoppers: list[Any] = field(default_factory=list)  # what stops those workers (a failure elsewhere)
    stage_engine: Any = None  # the staging schema's engine (its connect arguments reach the workers)
    source_cols: dict[str, list[str]] = field(default_factory=dict)  # each target table's columns the source has
    sconn: sqlite3.Connection | None = None
    src_tables: dict[str, Table] = field(default_factory=dict)
    thread_sconns: list[sqlite3.Connection] = field(default_factory=list)  # worker threads' snapshot readers
