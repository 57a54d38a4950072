"""What every section of a client copy shares: both clients, the id map, counts, failures, deferred work."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..artifacts import Rule, rewrite_uri
from ..outcome import NULL_PROGRESS, Outcome, Progress
from ..serving import ServerLine
from ..stores import redact
from .endpoints import Endpoint
from .idmap import IdMap

TAG_SOURCE = "migrator.source"
TAG_EXPERIMENT = "migrator.source_experiment_id"
TAG_RUN = "migrator.source_run_id"
TAG_LOGGED_MODEL = "migrator.source_model_id"
TAG_REGISTERED_MODEL = "migrator.source_registered_model"
TAG_MODEL_VERSION = "migrator.source_model_version"
PARENT_TAG = "mlflow.parentRunId"
USER_TAG = "mlflow.user"
PLACEHOLDER_SOURCE = "migrator-placeholder:///deleted-version"  # an absolute path: servers validate sources
PROMPT_EXPERIMENTS_TAG = "_mlflow_experiment_ids"



@dataclass
class Failure:
    kind: str
    source_id: str
    problem: str

    def as_dict(self) -> dict[str, str]:
        return {"type": self.kind, "source_id": self.source_id, "problem": self.problem}

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id}: {self.problem}"


@dataclass
class ClientCopyResult(Outcome):
    source: str
    target: str
    id_map: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    server: ServerLine | None = None  # how to start a server on a database target

    @property
    def ok(self) -> bool:
        return not self.failures


    @property
    def failure(self) -> str | None:
        if self.ok:
            return None
        return (f"{len(self.failures)} object(s) could not be copied (listed above); the rest was copied. "
                "Fix the cause and run the same command again: it copies only what is missing")

    @property
    def failure_lines(self) -> list[str]:
        return [f"failed: {f}" for f in self.failures]

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "mode": "client", "source": self.source, "target": self.target,
                "id_map": self.id_map, "counts": self.counts, "failures": [f.as_dict() for f in self.failures],
                "notes": self.notes, "seconds": round(self.seconds, 3),
                "server": self.server.as_dict() if self.server is not None else None}


def describe(e: BaseException) -> str:
    text = str(getattr(e, "message", None) or e).strip().splitlines()
    return redact(f"{type(e).__name__}: {text[0] if text else ''}")[:500]


def own_tags(tags: dict[str, str]) -> dict[str, str]:
    """Tags without migrator's own (a source that is itself a copy must not pass its id tags on)."""
    return {k: v for k, v in tags.items() if not k.startswith("migrator.")}


class CopyContext:
    """Shared state of one copy (or of one batch in a worker process). Thread-safe bookkeeping."""

    def __init__(self, source: Endpoint, target: Endpoint, src: Any, dst: Any, *, rules: Sequence[Rule] = (),
                 merge: bool = False, copy_artifacts: bool = False, id_map: IdMap,
                 progress: Progress = NULL_PROGRESS) -> None:
        self.workspace: str | None = None  # copy --workspace: the target server's workspace
        self.source, self.target = source, target
        self.src, self.dst = src, dst
        self.rules = tuple(rules)
        self.merge = merge
        self.copy_artifacts = copy_artifacts
        self.map = id_map
        self.progress = progress
        self.lock = threading.Lock()
        self.counts: dict[str, dict[str, int]] = {}
        self.failures: list[Failure] = []
        self.notes: list[str] = []
        self.deferred_parents: list[tuple[str, str]] = []  # (new child id, old parent id)
        self.runs_to_delete: list[str] = []
        self.experiments_to_delete: list[str] = []
        self.resumed_runs: set[str] = set()  # old ids found on the target but not marked complete
        self.awaiting_parent: set[str] = set()  # new ids copied whole but for the parent link (set at the end)
        self._sql_engine: Any = None

    @staticmethod
    def clients(source: Endpoint, target: Endpoint, workspace: str | None = None) -> tuple[Any, Any]:
        """The two MlflowClients; `workspace`: the target's calls made as that workspace (workspace.py)."""
        from mlflow import MlflowClient

        dst: Any = MlflowClient(tracking_uri=target.uri, registry_uri=target.uri)
        if workspace is not None:
            from .workspace import InWorkspace

            dst = InWorkspace(dst, workspace)
        return MlflowClient(tracking_uri=source.uri, registry_uri=source.uri), dst

    def count(self, kind: str, what: str, n: int = 1) -> None:
        with self.lock:
            d = self.counts.setdefault(kind, {"source": 0, "copied": 0, "already_there": 0, "failed": 0})
            d[what] = d.get(what, 0) + n

    def fail(self, kind: str, source_id: str, problem: str) -> None:
        with self.lock:
            self.failures.append(Failure(kind, source_id, problem))
        self.count(kind, "failed")

    def rewrite(self, uri: str | None) -> str | None:
        return rewrite_uri(uri, self.rules)

    def defer_parent(self, child_new: str, parent_old: str) -> None:
        with self.lock:
            self.deferred_parents.append((child_new, parent_old))

    def delete_later(self, run_new: str) -> None:
        with self.lock:
            self.runs_to_delete.append(run_new)

    def engine(self) -> Any:
        """A SQLAlchemy engine on a database target (for the artifact locations MlflowClient cannot set)."""
        if self._sql_engine is None:
            import sqlalchemy as sa

            self._sql_engine = sa.create_engine(self.target.uri, poolclass=sa.pool.NullPool)
        return self._sql_engine

    def close(self) -> None:
        if self._sql_engine is not None:
            self._sql_engine.dispose()
            self._sql_engine = None

    # ------------------------------------------------------------------ worker processes
    def delta(self, known_runs: dict[str, str], known_complete: dict[str, Any], n: int) -> dict[str, Any]:
        """What this (worker) context changed, for the main process to merge."""
        return {"n": n, "runs": {k: v for k, v in self.map.data["runs"].items() if known_runs.get(k) != v},
                "complete_runs": [k for k in self.map.data["complete_runs"] if k not in known_complete],
                "counts": self.counts, "failures": self.failures, "deferred_parents": self.deferred_parents,
                "runs_to_delete": self.runs_to_delete, "awaiting_parent": sorted(self.awaiting_parent)}

    def merge_delta(self, delta: dict[str, Any]) -> None:
        for old, new in delta["runs"].items():
            self.map.put("runs", old, new)
        for old in delta["complete_runs"]:
            self.map.complete(old)
        for kind, c in delta["counts"].items():
            for what, n in c.items():
                self.count(kind, what, n)
        with self.lock:
            self.failures.extend(delta["failures"])
            self.deferred_parents.extend(delta["deferred_parents"])
            self.runs_to_delete.extend(delta["runs_to_delete"])
            self.awaiting_parent.update(delta["awaiting_parent"])
