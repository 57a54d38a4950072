"""Copy an MLflow store object by object through MlflowClient: any tracking URI to any tracking URI.

For what bulk SQL cannot serve (an HTTP server, a ./mlruns file store, different MLflow versions on
the two sides, merging into a target that holds data). New ids are issued by the target; the
old -> new ids are kept in a JSON id map and as a `migrator.source_*` tag on every copied object, so a
rerun after a crash (or on the same pair) copies only what is missing and never duplicates.

Order of work (each step only needs what the previous ones created):
1. experiments (created active; a deleted one is deleted again at the end);
2. per experiment: run shells (create_run with run name, user and start time), then logged models
   (their source run is mapped by then), then run contents through log_batch in the largest batches
   MLflow accepts, inputs and outputs, status and end time, on a bounded pool of workers;
3. registered models, their versions in version order (gaps kept), stages and aliases; prompts, their
   versions (template, commit message, response format, model config, tags) and aliases;
4. parent links that pointed at runs copied later, then run and experiment deletions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .api_parity import model_versions, paged
from .artifacts import Rule, rewrite_uri
from .errors import MigratorError, SchemaError, StoreError
from .stores import redact

TAG_SOURCE = "migrator.source"
TAG_EXPERIMENT = "migrator.source_experiment_id"
TAG_RUN = "migrator.source_run_id"
TAG_LOGGED_MODEL = "migrator.source_model_id"
TAG_REGISTERED_MODEL = "migrator.source_registered_model"
TAG_MODEL_VERSION = "migrator.source_model_version"
PARENT_TAG = "mlflow.parentRunId"
USER_TAG = "mlflow.user"
PLACEHOLDER_SOURCE = "migrator-placeholder://deleted-version"
PROMPT_EXPERIMENTS_TAG = "_mlflow_experiment_ids"

Progress = Callable[..., None]


def _noop(event: str, **data: Any) -> None:
    return None


# --------------------------------------------------------------------------- addresses
@dataclass
class Endpoint:
    """A tracking URI as MLflow will open it, and how to name it to the user."""

    address: str  # what the user typed
    uri: str  # what MlflowClient opens (a snapshot for SQLite sources)
    kind: str  # sqlite, postgresql, mysql, http, file
    label: str  # stable, password-free identity (used in the id map and the tags)

    @property
    def is_sql(self) -> bool:
        return self.kind in ("sqlite", "postgresql", "mysql", "mssql")


_SQL_PREFIXES = {"sqlite": "sqlite", "postgresql": "postgresql", "postgres": "postgresql",
                 "mysql": "mysql", "mssql": "mssql"}


def classify(address: str) -> tuple[str, str]:
    """-> (kind, uri). Paths without a scheme are SQLite files when they are files, file stores when folders."""
    a = address.strip()
    if "://" in a or a.lower().startswith("sqlite:"):
        scheme = a.split(":", 1)[0].lower()
        base = scheme.split("+", 1)[0]
        if base in ("http", "https"):
            return "http", a.rstrip("/")
        if base == "file":
            return "file", str(Path(a[len("file://"):] if a.lower().startswith("file://") else a[len("file:"):]))
        if base in _SQL_PREFIXES:
            kind = _SQL_PREFIXES[base]
            if kind == "postgresql" and base == "postgres":
                a = "postgresql" + a[len(scheme):]
            return kind, a
        raise StoreError(f"unsupported tracking URI scheme {scheme!r} in {redact(a)}; use http(s)://, "
                         "sqlite:///path, postgresql://..., a ./mlruns folder or a SQLite file path")
    p = Path(a).expanduser().resolve()
    if p.is_dir() or (not p.exists() and not p.suffix):
        return "file", str(p)
    return "sqlite", f"sqlite:///{p}"


def _probe_http(uri: str) -> None:
    import requests

    # the same credentials and TLS settings MlflowClient will use (MLflow's environment variables)
    kwargs: dict[str, Any] = {"timeout": 15}
    env = os.environ
    if env.get("MLFLOW_TRACKING_USERNAME") and env.get("MLFLOW_TRACKING_PASSWORD"):
        kwargs["auth"] = (env["MLFLOW_TRACKING_USERNAME"], env["MLFLOW_TRACKING_PASSWORD"])
    elif env.get("MLFLOW_TRACKING_TOKEN"):
        kwargs["headers"] = {"Authorization": f"Bearer {env['MLFLOW_TRACKING_TOKEN']}"}
    if env.get("MLFLOW_TRACKING_INSECURE_TLS", "").lower() == "true":
        kwargs["verify"] = False
    elif env.get("MLFLOW_TRACKING_SERVER_CERT_PATH"):
        kwargs["verify"] = env["MLFLOW_TRACKING_SERVER_CERT_PATH"]
    try:
        r = requests.get(uri + "/api/2.0/mlflow/experiments/search", params={"max_results": 1}, **kwargs)
    except requests.RequestException as e:
        raise StoreError(f"cannot reach the MLflow server at {redact(uri)} ({type(e).__name__}); "
                         "check that it runs and the address is right") from None
    if r.status_code in (401, 403):
        raise StoreError(f"the MLflow server at {redact(uri)} refused the request (HTTP {r.status_code}); "
                         "set MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN")
    if r.status_code >= 400:
        raise StoreError(f"{redact(uri)} did not answer as an MLflow tracking server (HTTP {r.status_code}); "
                         "give the server's base URL, e.g. http://host:5000")


def _sql_revision_check(kind: str, uri: str, role: str) -> None:
    """A database side must hold a schema MLflow can use without upgrading it in place."""
    import sqlalchemy as sa

    from .schema import compare_to_installed, installed_head, installed_mlflow_version

    if kind != "postgresql":  # other servers (mysql, mssql): MLflow's own checks apply
        return
    from .schema import pg_revision
    from .stores import connect_pg, parse_store

    engine, conn = connect_pg(parse_store(uri))
    try:
        rev = pg_revision(conn)
        n_tables = len(sa.inspect(conn).get_table_names())
    finally:
        conn.close()
        engine.dispose()
    if rev is None:
        if role == "source":
            raise StoreError(f"the {role} {redact(uri)} holds no MLflow schema (no alembic_version table); "
                             "check the database name")
        if n_tables:
            raise StoreError(f"the {role} {redact(uri)} holds {n_tables} tables but no MLflow schema; "
                             "use an empty database or an MLflow one")
        return
    state = compare_to_installed(rev)
    if state == "newer":
        raise SchemaError(f"the {role} {redact(uri)} has schema revision {rev}, newer than the installed MLflow "
                          f"{installed_mlflow_version()} (head {installed_head()}); upgrade MLflow and run again")
    if state != "equal":
        raise SchemaError(f"the {role} {redact(uri)} has schema revision {rev}, older than the installed MLflow "
                          f"{installed_mlflow_version()} (head {installed_head()}); MLflow would upgrade it in place. "
                          + ("Run `mlflow db upgrade <url>` on it (after `migrator backup`) and run again"
                             if role == "target" else
                             "Restore a backup of it into a scratch database and copy from that, "
                             "or run the copy with the MLflow release that wrote it"))


@contextlib.contextmanager
def open_source(address: str) -> Iterator[Endpoint]:
    """The source, opened so that nothing can write to it: SQLite through an (upgraded) snapshot."""
    kind, uri = classify(address)
    if kind == "sqlite":
        from .schema import compare_to_installed, require_not_newer, sqlite_revision, upgrade_sqlite_file
        from .snapshot import temporary_snapshot
        from .stores import check_sqlite_file, open_sqlite_readonly, parse_store

        store = parse_store(uri)
        assert store.path is not None
        check_sqlite_file(store.path)
        with temporary_snapshot(store.path) as snap:
            conn = open_sqlite_readonly(snap)
            try:
                rev = sqlite_revision(conn)
            finally:
                conn.close()
            require_not_newer(rev, f"source {store.path}")
            if compare_to_installed(rev) == "older":
                upgrade_sqlite_file(str(snap))
            yield Endpoint(address, f"sqlite:///{snap}", "sqlite", f"sqlite:{store.path}")
        return
    if kind == "file":
        os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
        root = Path(uri)
        if not root.is_dir():
            raise StoreError(f"file store {root} does not exist; give the folder that holds meta.yaml folders "
                             "(usually ./mlruns)")
        if not any((root / d / "meta.yaml").is_file() for d in os.listdir(root) if (root / d).is_dir()):
            raise StoreError(f"{root} is not an MLflow file store (no experiment folder with a meta.yaml)")
        if not (root / ".trash").is_dir():
            # MLflow would create .trash in the source; read a copy instead.
            tmp = Path(tempfile.mkdtemp(prefix="migrator-filestore-"))
            try:
                shutil.copytree(root, tmp / "mlruns", symlinks=True)
                yield Endpoint(address, str(tmp / "mlruns"), "file", f"file:{root}")
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            return
        yield Endpoint(address, str(root), "file", f"file:{root}")
        return
    if kind == "http":
        _probe_http(uri)
        yield Endpoint(address, uri, "http", redact(uri))
        return
    _sql_revision_check(kind, uri, "source")
    yield Endpoint(address, uri, kind, redact(uri))


def open_target(address: str) -> Endpoint:
    kind, uri = classify(address)
    if kind == "file":
        os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
        return Endpoint(address, uri, "file", f"file:{uri}")
    if kind == "http":
        _probe_http(uri)
        return Endpoint(address, uri, "http", redact(uri))
    if kind == "sqlite":
        from .schema import compare_to_installed, installed_head, sqlite_revision
        from .stores import check_sqlite_file, open_sqlite_readonly, parse_store

        store = parse_store(uri)
        assert store.path is not None
        if store.path.exists():
            check_sqlite_file(store.path)
            conn = open_sqlite_readonly(store.path)
            try:
                rev = sqlite_revision(conn)
            finally:
                conn.close()
            if rev is not None and compare_to_installed(rev) != "equal":
                raise SchemaError(f"the target {store.path} has schema revision {rev}, not the installed MLflow's "
                                  f"{installed_head()}; upgrade it with `mlflow db upgrade {store.url}` "
                                  "(after `migrator backup`) or use a new file")
        return Endpoint(address, store.url, "sqlite", f"sqlite:{store.path}")
    if kind == "postgresql":
        from .stores import parse_store

        uri = parse_store(uri).url
    _sql_revision_check(kind, uri, "target")
    return Endpoint(address, uri, kind, redact(uri))


# --------------------------------------------------------------------------- id map
class IdMap:
    """old -> new ids, saved atomically as JSON; thread-safe."""

    KINDS = ("experiments", "runs", "logged_models", "model_versions")  # registered models keep their names

    def __init__(self, path: Path | None, source: str, target: str) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.data: dict[str, Any] = {"format": 1, "source": source, "target": target,
                                     **{k: {} for k in self.KINDS}, "complete_runs": {}}
        if path is not None and path.exists():
            try:
                loaded = json.loads(path.read_text())
            except (OSError, ValueError) as e:
                raise MigratorError(f"cannot read the id map {path}: {e}; move it away to start over "
                                    "(objects already copied are found again by their migrator.* tags)") from None
            if loaded.get("source") != source or loaded.get("target") != target:
                raise MigratorError(f"the id map {path} belongs to {loaded.get('source')} -> {loaded.get('target')}, "
                                    f"not {source} -> {target}; pass another --id-map")
            for k in (*self.KINDS, "complete_runs"):
                self.data[k].update(loaded.get(k, {}))
        self._last_save = 0.0

    def get(self, kind: str, old: str) -> str | None:
        return self.data[kind].get(old)

    def put(self, kind: str, old: str, new: str) -> None:
        with self.lock:
            self.data[kind][old] = new

    def drop(self, kind: str, old: str) -> None:
        with self.lock:
            self.data[kind].pop(old, None)
            if kind == "runs":
                self.data["complete_runs"].pop(old, None)

    def complete(self, old_run: str) -> None:
        with self.lock:
            self.data["complete_runs"][old_run] = True

    def is_complete(self, old_run: str) -> bool:
        return bool(self.data["complete_runs"].get(old_run))

    def save(self, *, every: float = 0.0) -> None:
        if self.path is None:
            return
        now = time.monotonic()
        if every and now - self._last_save < every:
            return
        with self.lock:
            text = json.dumps(self.data, indent=1, sort_keys=True)
            self._last_save = now
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(text)
        os.replace(tmp, self.path)


def default_id_map_path(source: Endpoint, target: Endpoint) -> Path:
    digest = hashlib.sha1(f"{source.label}\n{target.label}".encode()).hexdigest()[:10]
    return Path.cwd() / f"migrator-idmap-{digest}.json"


# --------------------------------------------------------------------------- result
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
class ClientCopyResult:
    source: str
    target: str
    id_map: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "mode": "client", "source": self.source, "target": self.target,
                "id_map": self.id_map, "counts": self.counts, "failures": [f.as_dict() for f in self.failures],
                "notes": self.notes, "seconds": round(self.seconds, 3)}


# --------------------------------------------------------------------------- helpers
def _describe(e: BaseException) -> str:
    text = str(getattr(e, "message", None) or e).strip().splitlines()
    return redact(f"{type(e).__name__}: {text[0] if text else ''}")[:500]


def _batches(params: list[Any], metrics: list[Any], tags: list[Any]) -> Iterator[tuple[list, list, list]]:
    """Largest batches log_batch accepts: <= 100 params, <= 100 tags, <= 1000 entities in all."""
    from mlflow.utils.validation import MAX_ENTITIES_PER_BATCH, MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH

    p = t = m = 0
    while p < len(params) or t < len(tags) or m < len(metrics):
        bp = params[p:p + MAX_PARAMS_TAGS_PER_BATCH]
        bt = tags[t:t + MAX_PARAMS_TAGS_PER_BATCH]
        room = min(MAX_METRICS_PER_BATCH, MAX_ENTITIES_PER_BATCH - len(bp) - len(bt))
        bm = metrics[m:m + room]
        p, t, m = p + len(bp), t + len(bt), m + len(bm)
        yield bp, bm, bt


def _own_tags(tags: dict[str, str]) -> dict[str, str]:
    """Tags without migrator's own (a source that is itself a copy must not pass its id tags on)."""
    return {k: v for k, v in tags.items() if not k.startswith("migrator.")}


def _metric_key(m: Any) -> tuple[Any, ...]:
    v = float(m.value)
    return (m.key, int(m.timestamp), int(m.step), "nan" if v != v else repr(v))


def _is_not_found(e: BaseException) -> bool:
    return getattr(e, "error_code", "") == "RESOURCE_DOES_NOT_EXIST" or "not found" in str(e).lower() \
        or "does not exist" in str(e).lower()


# --------------------------------------------------------------------------- the copy
class ClientCopier:
    def __init__(self, source: Endpoint, target: Endpoint, *, rules: Sequence[Rule] = (), merge: bool = False,
                 copy_artifacts: bool = False, workers: int = 4, id_map: IdMap,
                 progress: Progress = _noop) -> None:
        from mlflow import MlflowClient

        self.source, self.target = source, target
        self.src = MlflowClient(tracking_uri=source.uri, registry_uri=source.uri)
        self.dst = MlflowClient(tracking_uri=target.uri, registry_uri=target.uri)
        self.rules = tuple(rules)
        self.merge = merge
        self.copy_artifacts = copy_artifacts
        self.workers = max(1, workers)
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
        self._sql_engine: Any = None
        self.procs: Any = None  # a process pool, started for batches big enough to pay for it

    # ------------------------------------------------------------------ parallel work
    PROCESS_THRESHOLD = 100  # runs in one batch before worker processes pay for their start-up
    CHUNK = 25

    def _dispatch(self, kind: str, runs: list[Any], new_eid: str, done: Callable[[int], None] | None = None) -> None:
        """Run shells or contents of `runs` on threads (small batches) or worker processes (MLflow's
        client-side work is pure Python: threads share one core, processes use them all)."""
        if not runs:
            return
        if self.procs is None and self.workers > 1 and len(runs) >= self.PROCESS_THRESHOLD:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # local work is CPU-bound (one process per core); remote work waits on the network
            remote = "http" in (self.source.kind, self.target.kind)
            n = self.workers if remote else max(1, min(self.workers, os.cpu_count() or 1))
            self.procs = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_worker_init,
                                             initargs=(self.source, self.target, self.rules, self.copy_artifacts))
        if self.procs is None:
            fn = (lambda r: self._run_shell(r, new_eid)) if kind == "shell" else self._run_contents
            for _ in self.pool.map(fn, runs):
                if done is not None:
                    done(1)
            return
        from ._spawn import hidden_main

        futures = []
        with hidden_main():  # submit() may start worker processes
            for i in range(0, len(runs), self.CHUNK):
                chunk = runs[i:i + self.CHUNK]
                futures.append(self.procs.submit(_worker_batch, kind, chunk, new_eid, self._entries_for(kind, chunk),
                                                 [r.info.run_id for r in chunk if r.info.run_id in self.resumed_runs]))
        from concurrent.futures import as_completed

        for f in as_completed(futures):
            delta = f.result()
            self._merge(delta)
            if done is not None:
                done(delta["n"])
            self.map.save(every=5)

    def _entries_for(self, kind: str, runs: list[Any]) -> dict[str, Any]:
        wanted = set()
        for r in runs:
            if kind == "contents":
                wanted.add(r.info.run_id)
            if PARENT_TAG in r.data.tags:
                wanted.add(r.data.tags[PARENT_TAG])
        runs_map = {k: v for k in wanted if (v := self.map.get("runs", k)) is not None}
        complete = {k: True for k in wanted if self.map.is_complete(k)}
        return {"runs": runs_map, "complete_runs": complete,
                "logged_models": dict(self.map.data["logged_models"]) if kind == "contents" else {}}

    def _merge(self, delta: dict[str, Any]) -> None:
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

    # ------------------------------------------------------------------ bookkeeping
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

    # ------------------------------------------------------------------ entry point
    def run(self) -> None:
        from mlflow.entities import ViewType

        experiments = [e for page in paged(self.src.search_experiments, view_type=ViewType.ALL, max_results=1000)
                       for e in page]
        experiments.sort(key=lambda e: (0, int(e.experiment_id)) if e.experiment_id.isdigit()
                         else (1, e.experiment_id))
        self.progress("phase", name=f"experiments ({len(experiments)})")
        pairs = []
        for e in experiments:
            self.count("experiments", "source")
            new = self._experiment(e)
            if new is not None:
                pairs.append((e, new))
        self.map.save()
        with ThreadPoolExecutor(self.workers, thread_name_prefix="migrator-copy") as pool:
            self.pool = pool
            try:
                for e, (new_eid, existed) in pairs:
                    self._experiment_contents(e, new_eid, existed)
                    self.map.save()
            finally:
                if self.procs is not None:
                    self.procs.shutdown(wait=True, cancel_futures=True)
                    self.procs = None
            self._registered_models()
            self._prompts()
        self.map.save()
        self._finish()
        self.map.save()

    # ------------------------------------------------------------------ experiments
    def _experiment(self, e: Any) -> tuple[str, bool] | None:
        """-> (target experiment id, existed before this run) or None when it cannot be copied."""
        from mlflow.entities import LifecycleStage

        old = e.experiment_id
        known = self.map.get("experiments", old)
        existing = None
        if known is not None:
            try:
                existing = self.dst.get_experiment(known)
            except Exception as ex:
                if not _is_not_found(ex):
                    raise
                self.map.drop("experiments", old)
        if existing is None:
            existing = self.dst.get_experiment_by_name(e.name)
            if existing is not None:
                ours = (existing.tags.get(TAG_EXPERIMENT) == old and existing.tags.get(TAG_SOURCE) == self.source.label)
                default = e.name == "Default" and old == "0"
                if not (ours or default or self.merge):
                    self.fail("experiments", old, f"an experiment named {e.name!r} already exists in the target "
                                                  f"(id {existing.experiment_id}); pass --merge to copy into it")
                    return None
        if existing is not None:
            new = existing.experiment_id
            self.map.put("experiments", old, new)
            if existing.lifecycle_stage == LifecycleStage.DELETED:
                self.dst.restore_experiment(new)
                if e.lifecycle_stage != LifecycleStage.DELETED:
                    self.notes.append(f"experiment {e.name!r} was deleted in the target and is active in the "
                                      "source; it was restored")
            for k, v in _own_tags(e.tags).items():
                if existing.tags.get(k) != v:
                    self.dst.set_experiment_tag(new, k, v)
            self.count("experiments", "already_there")
            if e.lifecycle_stage == LifecycleStage.DELETED:
                self.experiments_to_delete.append(new)
            return new, True
        tags = _own_tags(e.tags)
        tags.update({TAG_EXPERIMENT: old, TAG_SOURCE: self.source.label})
        location = None if self.copy_artifacts else self.rewrite(e.artifact_location)
        try:
            new = self.dst.create_experiment(e.name, artifact_location=location, tags=tags)
        except Exception as ex:
            self.fail("experiments", old, _describe(ex))
            return None
        self.map.put("experiments", old, new)
        self.count("experiments", "copied")
        if e.lifecycle_stage == LifecycleStage.DELETED:
            self.experiments_to_delete.append(new)
        return new, False

    def _experiment_contents(self, e: Any, new_eid: str, existed: bool) -> None:
        from mlflow.entities import ViewType

        if existed:
            self._recover_runs(new_eid)
        n = 0
        # 1. run shells, page by page, in start-time order
        for page in paged(self.src.search_runs, experiment_ids=[e.experiment_id], run_view_type=ViewType.ALL,
                           max_results=1000, order_by=["attributes.start_time ASC"]):
            todo = []
            for r in page:
                n += 1
                self.count("runs", "source")
                if self.map.get("runs", r.info.run_id) is None:
                    todo.append(r)
            self._dispatch("shell", todo, new_eid)
            self._set_locations([r for r in todo if self.map.get("runs", r.info.run_id)])
            self.map.save(every=5)
        # 2. logged models (they name their source run, mapped by now)
        self._logged_models(e.experiment_id, new_eid)
        # 3. run contents
        bar = self.progress("bar", desc=f"runs of {e.name}"[:40], total=n, unit=" runs")
        for page in paged(self.src.search_runs, experiment_ids=[e.experiment_id], run_view_type=ViewType.ALL,
                           max_results=1000, order_by=["attributes.start_time ASC"]):
            self._dispatch("contents", page, new_eid, bar.update if bar is not None else None)
            self.map.save(every=5)
        if bar is not None:
            bar.close()

    # ------------------------------------------------------------------ runs
    def _recover_runs(self, new_eid: str) -> None:
        """Runs a crashed earlier copy created: found by their migrator.source_run_id tag."""
        from mlflow.entities import ViewType

        for page in paged(self.dst.search_runs, experiment_ids=[new_eid], run_view_type=ViewType.ALL,
                           max_results=1000):
            for r in page:
                old = r.data.tags.get(TAG_RUN)
                if old is None:
                    continue
                if self.map.get("runs", old) != r.info.run_id:  # a stale entry: its completion does not count
                    self.map.drop("runs", old)
                    self.map.put("runs", old, r.info.run_id)
                if not self.map.is_complete(old):
                    self.resumed_runs.add(old)

    def _wanted_tags(self, r: Any) -> tuple[dict[str, str], str | None]:
        """The run's tags as the target must hold them (parent remapped), and an unmapped parent id."""
        tags: dict[str, str] = {}
        unmapped = None
        for k, v in _own_tags(r.data.tags).items():
            if k == PARENT_TAG:
                mapped = self.map.get("runs", v)
                if mapped is None:
                    unmapped = v
                    continue
                v = mapped
            tags[k] = v
        return tags, unmapped

    def _run_shell(self, r: Any, new_eid: str) -> None:
        """create_run with every tag at once (cheaper than a later log_batch of tags)."""
        info = r.info
        try:
            tags, unmapped_parent = self._wanted_tags(r)
            user = info.user_id or tags.get(USER_TAG) or "unknown"
            source_user_tag = tags.get(USER_TAG)
            tags.update({TAG_RUN: info.run_id, USER_TAG: user})  # create_run takes the user from this tag
            run = self.dst.create_run(new_eid, start_time=info.start_time, tags=tags,
                                      run_name=info.run_name or None)
            new = run.info.run_id
            if source_user_tag is None:
                self.dst.delete_tag(new, USER_TAG)
            elif source_user_tag != user:
                self.dst.set_tag(new, USER_TAG, source_user_tag)
        except Exception as ex:
            self.fail("runs", info.run_id, _describe(ex))
            return
        self.map.put("runs", info.run_id, new)
        if unmapped_parent is not None:
            with self.lock:
                self.deferred_parents.append((new, unmapped_parent))

    def _set_locations(self, runs: list[Any]) -> None:
        """Artifacts stay where they are: a database target's runs point at the source's (rewritten) URIs."""
        if self.copy_artifacts or not self.target.is_sql or not runs:
            return
        import sqlalchemy as sa

        rows = [{"u": self.rewrite(r.info.artifact_uri), "id": self.map.get("runs", r.info.run_id)} for r in runs]
        with self._engine().begin() as conn:
            conn.execute(sa.text("UPDATE runs SET artifact_uri = :u WHERE run_uuid = :id"), rows)

    def _engine(self) -> Any:
        if self._sql_engine is None:
            import sqlalchemy as sa

            self._sql_engine = sa.create_engine(self.target.uri, poolclass=sa.pool.NullPool)
        return self._sql_engine

    def _run_contents(self, r: Any) -> None:
        from mlflow.entities import LifecycleStage, Param, RunTag

        old = r.info.run_id
        new = self.map.get("runs", old)
        if new is None:
            return  # its shell failed (already listed)
        if self.map.is_complete(old):
            self.count("runs", "already_there")
            return
        resumed = old in self.resumed_runs
        try:
            current = self.dst.get_run(new) if resumed else None
            if current is not None and current.info.lifecycle_stage == LifecycleStage.DELETED:
                self.map.complete(old)  # deleted last: everything before it was done
                self.count("runs", "already_there")
                return
            params = [Param(k, v) for k, v in r.data.params.items()]
            tags = []
            if current is not None:  # tags went in with create_run; a resumed run may lack the late ones
                wanted, unmapped_parent = self._wanted_tags(r)
                tags = [RunTag(k, v) for k, v in wanted.items() if current.data.tags.get(k) != v]
                if unmapped_parent is not None and PARENT_TAG not in current.data.tags:
                    with self.lock:
                        self.deferred_parents.append((new, unmapped_parent))
            metrics = []
            for key in r.data.metrics:
                history = self.src.get_metric_history(old, key)
                if resumed:
                    have = {_metric_key(m) for m in self.dst.get_metric_history(new, key)}
                    history = [m for m in history if _metric_key(m) not in have]
                metrics.extend(history)
            for bp, bm, bt in _batches(params, metrics, tags):
                self.dst.log_batch(new, metrics=bm, params=bp, tags=bt)
            self._inputs_outputs(r, new, current)
            if self.copy_artifacts:
                self._copy_run_artifacts(old, new)
            if r.info.status != "RUNNING" or r.info.end_time is not None:
                from mlflow.entities import RunStatus

                self.dst._tracking_client.store.update_run_info(
                    new, RunStatus.from_string(r.info.status), r.info.end_time, None)
            if r.info.lifecycle_stage == LifecycleStage.DELETED:
                with self.lock:
                    self.runs_to_delete.append(new)
        except Exception as ex:
            self.fail("runs", old, _describe(ex))
            return
        if r.info.lifecycle_stage != LifecycleStage.DELETED:
            self.map.complete(old)
        self.count("runs", "resumed" if resumed else "copied")

    def _inputs_outputs(self, r: Any, new: str, current: Any) -> None:
        from mlflow.entities import DatasetInput, LoggedModelInput, LoggedModelOutput

        have_ds: set[tuple[str, str]] = set()
        have_in: set[str] = set()
        have_out: set[tuple[str, int]] = set()
        if current is not None:
            if current.inputs:
                have_ds = {(d.dataset.name, d.dataset.digest) for d in current.inputs.dataset_inputs}
                have_in = {m.model_id for m in (getattr(current.inputs, "model_inputs", None) or [])}
            outs = getattr(current, "outputs", None)
            if outs:
                have_out = {(m.model_id, m.step) for m in (outs.model_outputs or [])}
        datasets = [DatasetInput(d.dataset, d.tags) for d in (r.inputs.dataset_inputs if r.inputs else [])
                    if (d.dataset.name, d.dataset.digest) not in have_ds]
        models = []
        for m in (getattr(r.inputs, "model_inputs", None) or []) if r.inputs else []:
            mapped = self.map.get("logged_models", m.model_id)
            if mapped is None:
                raise MigratorError(f"its input logged model {m.model_id} was not copied")
            if mapped not in have_in:
                models.append(LoggedModelInput(mapped))
        if datasets or models:
            for i in range(0, max(len(datasets), len(models)), 1000):
                self.dst.log_inputs(new, datasets=datasets[i:i + 1000] or None, models=models[i:i + 1000] or None)
        outs = getattr(r, "outputs", None)
        outputs = []
        for m in (outs.model_outputs if outs else None) or []:
            mapped = self.map.get("logged_models", m.model_id)
            if mapped is None:
                raise MigratorError(f"its output logged model {m.model_id} was not copied")
            if (mapped, m.step) not in have_out:
                outputs.append(LoggedModelOutput(mapped, m.step))
        if outputs:
            self.dst.log_outputs(new, outputs)

    def _copy_run_artifacts(self, old: str, new: str) -> None:
        if not self.src.list_artifacts(old):
            return
        with tempfile.TemporaryDirectory(prefix="migrator-art-") as tmp:
            self.dst.log_artifacts(new, self.src.download_artifacts(old, "", tmp))

    # ------------------------------------------------------------------ logged models
    def _logged_models(self, old_eid: str, new_eid: str) -> None:
        if not hasattr(self.src, "search_logged_models"):
            return
        try:
            pages = list(paged(self.src.search_logged_models, experiment_ids=[old_eid], max_results=100))
        except Exception as ex:  # an older server without logged models
            if "not found" in str(ex).lower() or "404" in str(ex) or "ENDPOINT_NOT_FOUND" in str(ex):
                return
            raise
        models = [m for page in pages for m in page]
        if not models:
            return
        existing = {}
        for page in paged(self.dst.search_logged_models, experiment_ids=[new_eid], max_results=100):
            for m in page:
                if TAG_LOGGED_MODEL in m.tags:
                    existing[m.tags[TAG_LOGGED_MODEL]] = m.model_id
        for m in sorted(models, key=lambda m: (m.creation_timestamp or 0, m.model_id)):
            self.count("logged_models", "source")
            if m.model_id in existing:
                self.map.put("logged_models", m.model_id, existing[m.model_id])
                self.count("logged_models", "already_there")
                continue
            try:
                self._logged_model(m, new_eid)
            except Exception as ex:
                self.fail("logged_models", m.model_id, _describe(ex))

    def _logged_model(self, m: Any, new_eid: str) -> None:
        from mlflow.entities import Metric

        run = self.map.get("runs", m.source_run_id) if m.source_run_id else m.source_run_id
        tags = _own_tags(m.tags)
        tags[TAG_LOGGED_MODEL] = m.model_id
        created = self.dst._create_logged_model(new_eid, name=m.name, source_run_id=run, tags=tags,
                                                params=dict(m.params) or None, model_type=m.model_type)
        new = created.model_id
        self.map.put("logged_models", m.model_id, new)
        if not self.copy_artifacts and self.target.is_sql:
            import sqlalchemy as sa

            with self._engine().begin() as conn:
                conn.execute(sa.text("UPDATE logged_models SET artifact_location = :u WHERE model_id = :id"),
                             {"u": self.rewrite(m.artifact_location), "id": new})
        elif self.copy_artifacts and self.src.list_logged_model_artifacts(m.model_id):
            from mlflow.artifacts import download_artifacts

            with tempfile.TemporaryDirectory(prefix="migrator-art-") as tmp:
                self.dst.log_model_artifacts(new, download_artifacts(artifact_uri=m.artifact_location, dst_path=tmp,
                                                                     tracking_uri=self.source.uri))
        by_run: dict[str, list[Any]] = {}  # logged through the run each metric came from
        for x in m.metrics or []:
            run_new = self.map.get("runs", x.run_id) if x.run_id else None
            if run_new is None:
                raise MigratorError(f"metric {x.key!r} was logged from run {x.run_id}, which was not copied")
            by_run.setdefault(run_new, []).append(Metric(x.key, x.value, x.timestamp, x.step, model_id=new,
                                                         dataset_name=x.dataset_name,
                                                         dataset_digest=x.dataset_digest, run_id=run_new))
        for run_new, ms in by_run.items():
            for _, bm, _ in _batches([], ms, []):
                self.dst.log_batch(run_new, metrics=bm)
        status = str(m.status)
        if status.upper().endswith("READY") or status.upper().endswith("FAILED"):
            self.dst.finalize_logged_model(new, "READY" if status.upper().endswith("READY") else "FAILED")
        self.count("logged_models", "copied")

    # ------------------------------------------------------------------ registry
    def _registered_models(self) -> None:
        try:
            pages = paged(self.src.search_registered_models, max_results=1000)
            models = [m for page in pages for m in page]
        except Exception as ex:
            if "not found" in str(ex).lower() or "404" in str(ex):
                self.notes.append("the source has no model registry")
                return
            raise
        if models:
            self.progress("phase", name=f"registered models ({len(models)})")
        for rm in models:
            self.count("registered_models", "source")
            try:
                self._registered_model(rm)
            except Exception as ex:
                self.fail("registered_models", rm.name, _describe(ex))

    def _reusable(self, kind: str, what: str, existing: Any) -> bool:
        """A registry entry of the same name in the target: one this copy made earlier, or --merge."""
        name = existing.name
        ours = existing.tags.get(TAG_REGISTERED_MODEL) == name and existing.tags.get(TAG_SOURCE) == self.source.label
        if not (ours or self.merge):
            self.fail(kind, name, f"a {what} of that name already exists in the target; pass --merge to add the "
                                  "versions to it")
            return False
        self.count(kind, "already_there")
        return True

    def _registered_model(self, rm: Any) -> None:
        name = rm.name
        existing = None
        try:
            existing = self.dst.get_registered_model(name)
        except Exception as ex:
            if not _is_not_found(ex):
                raise
        if existing is not None:
            if not self._reusable("registered_models", "registered model", existing):
                return
            if rm.description and existing.description != rm.description:
                self.dst.update_registered_model(name, rm.description)
            for k, v in _own_tags(rm.tags).items():
                if existing.tags.get(k) != v:
                    self.dst.set_registered_model_tag(name, k, v)
        else:
            tags = _own_tags(rm.tags)
            tags.update({TAG_REGISTERED_MODEL: name, TAG_SOURCE: self.source.label})
            self.dst.create_registered_model(name, tags=tags, description=rm.description)
            self.count("registered_models", "copied")
        versions = model_versions(self.src, name)
        versions.sort(key=lambda v: int(v.version))
        have: dict[str, str] = {}  # source version -> target version, of versions copied earlier
        version_map: dict[str, str] = {}
        last = 0
        for v in model_versions(self.dst, name):
            last = max(last, int(v.version))
            if TAG_MODEL_VERSION in v.tags:
                have[v.tags[TAG_MODEL_VERSION]] = v.version
        for v in versions:
            self.count("model_versions", "source")
            key = f"{name}/{v.version}"
            if str(v.version) in have:
                version_map[str(v.version)] = have[str(v.version)]
                self.map.put("model_versions", key, f"{name}/{have[str(v.version)]}")
                self.count("model_versions", "already_there")
                last = max(last, int(have[str(v.version)]))
                continue
            try:
                if existing is None:
                    # a model created here: keep version numbers, filling the gaps deleted versions left
                    while last + 1 < int(v.version):
                        ph = self.dst.create_model_version(name, PLACEHOLDER_SOURCE, await_creation_for=0)
                        self.dst.delete_model_version(name, ph.version)
                        last = int(ph.version)
                mv = self._model_version(name, v)
                last = max(last, int(mv.version))
                version_map[str(v.version)] = str(mv.version)
                self.map.put("model_versions", key, f"{name}/{mv.version}")
                self.count("model_versions", "copied")
            except Exception as ex:
                self.fail("model_versions", key, _describe(ex))
        for alias, version in (rm.aliases or {}).items():
            mapped = version_map.get(str(version))
            if mapped is None:
                self.fail("registered_models", name, f"alias {alias!r} points at version {version}, not copied")
                continue
            self.dst.set_registered_model_alias(name, alias, mapped)

    def _model_version(self, name: str, v: Any) -> Any:
        import warnings

        run_new = self.map.get("runs", v.run_id) if v.run_id else None
        if v.run_id and run_new is None:
            raise MigratorError(f"its run {v.run_id} was not copied")
        model_new = None
        model_id = getattr(v, "model_id", None)
        src = v.source or ""
        if not model_id and src.startswith("models:/m-"):
            model_id = src[len("models:/"):].split("/", 1)[0]
        if model_id:
            model_new = self.map.get("logged_models", model_id)
            if model_new is None:
                raise MigratorError(f"its logged model {model_id} was not copied")
        tags = _own_tags(v.tags)
        tags[TAG_MODEL_VERSION] = str(v.version)
        kwargs: dict[str, Any] = {"model_id": model_new} if model_new else {}
        mv = self.dst.create_model_version(name, self._version_source(v, run_new, model_id, model_new),
                                           run_id=run_new, tags=tags, run_link=v.run_link,
                                           description=v.description, await_creation_for=0, **kwargs)
        stage = v.current_stage
        if stage and stage.lower() not in ("none", ""):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.dst.transition_model_version_stage(name, mv.version, stage, archive_existing_versions=False)
        return mv

    def _version_source(self, v: Any, run_new: str | None, model_old: str | None, model_new: str | None) -> str:
        src = v.source or ""
        if v.run_id and run_new and src.startswith(f"runs:/{v.run_id}"):
            return f"runs:/{run_new}" + src[len(f"runs:/{v.run_id}"):]
        if model_old and model_new and src.startswith(f"models:/{model_old}"):
            return f"models:/{model_new}" + src[len(f"models:/{model_old}"):]
        src = self.rewrite(src) or src
        if run_new and (self.copy_artifacts or not self.target.is_sql):
            # the new run's artifacts live under a new location: follow them there
            old_uri = self.rewrite(self.src.get_run(v.run_id).info.artifact_uri)
            if old_uri and src.startswith(old_uri):
                return self.dst.get_run(run_new).info.artifact_uri + src[len(old_uri):]
        return src

    # ------------------------------------------------------------------ prompts
    def _prompts(self) -> None:
        """Prompts live in the registry as registered models that search_registered_models hides."""
        try:
            prompts = [p for page in paged(self.src.search_prompts, max_results=1000) for p in page]
        except Exception as ex:
            if _is_not_found(ex) or "not supported" in str(ex).lower() or "404" in str(ex):
                self.notes.append("the source has no prompt registry")
            else:
                self.fail("prompts", "(all)", f"could not list the source's prompts: {_describe(ex)}")
            return
        if not prompts:
            return
        aliases: dict[str, dict[str, Any]] = {}
        for page in paged(self.src.search_registered_models, max_results=1000,
                          filter_string="tags.`mlflow.prompt.is_prompt` = 'true'"):
            aliases.update({m.name: dict(m.aliases or {}) for m in page})
        self.progress("phase", name=f"prompts ({len(prompts)})")
        for p in prompts:
            self.count("prompts", "source")
            try:
                self._prompt(p, aliases.get(p.name, {}))
            except Exception as ex:
                self.fail("prompts", p.name, _describe(ex))

    def _prompt_tags(self, tags: dict[str, str]) -> dict[str, str]:
        out = _own_tags(tags)
        if PROMPT_EXPERIMENTS_TAG in out:  # experiments the prompt is linked to: their ids change
            ids = [self.map.get("experiments", i) for i in out[PROMPT_EXPERIMENTS_TAG].split(",") if i]
            out[PROMPT_EXPERIMENTS_TAG] = "," + "".join(f"{i}," for i in ids if i is not None)
        return out

    def _prompt(self, p: Any, aliases: dict[str, Any]) -> None:
        name = p.name
        existing = self.dst.get_prompt(name)
        if existing is not None:
            if not self._reusable("prompts", "prompt", existing):
                return
        else:
            tags = self._prompt_tags(p.tags)
            tags.update({TAG_REGISTERED_MODEL: name, TAG_SOURCE: self.source.label})
            self.dst.create_prompt(name, description=p.description, tags=tags)
            self.count("prompts", "copied")
        have: dict[str, str] = {}
        last = 0
        for page in paged(self.dst.search_prompt_versions, name=name, max_results=1000):
            for v in page:
                last = max(last, int(v.version))
                if TAG_MODEL_VERSION in v.tags:
                    have[v.tags[TAG_MODEL_VERSION]] = str(v.version)
        versions = [v for page in paged(self.src.search_prompt_versions, name=name, max_results=1000) for v in page]
        versions.sort(key=lambda v: int(v.version))
        version_map: dict[str, str] = {}
        for v in versions:
            self.count("prompt_versions", "source")
            key = f"{name}/{v.version}"
            if str(v.version) in have:
                version_map[str(v.version)] = have[str(v.version)]
                self.count("prompt_versions", "already_there")
                continue
            try:
                if existing is None:
                    while last + 1 < int(v.version):  # keep numbers: fill the gaps deleted versions left
                        ph = self.dst.create_prompt_version(name, "(deleted version)")
                        self.dst.delete_prompt_version(name, str(ph.version))
                        last = int(ph.version)
                tags = {k: val for k, val in _own_tags(v.tags).items()
                        if not k.startswith(("mlflow.prompt.", "_mlflow_prompt"))}
                tags[TAG_MODEL_VERSION] = str(v.version)
                nv = self.dst.create_prompt_version(name, v.template, description=v.commit_message, tags=tags,
                                                    response_format=v.response_format, model_config=v.model_config)
                last = max(last, int(nv.version))
                version_map[str(v.version)] = str(nv.version)
                self.count("prompt_versions", "copied")
            except Exception as ex:
                self.fail("prompt_versions", key, _describe(ex))
        for alias, version in aliases.items():
            mapped = version_map.get(str(version))
            if mapped is None:
                self.fail("prompts", name, f"alias {alias!r} points at version {version}, not copied")
                continue
            self.dst.set_prompt_alias(name, alias, int(mapped))

    # ------------------------------------------------------------------ the end
    def _finish(self) -> None:
        for child, parent_old in self.deferred_parents:
            parent_new = self.map.get("runs", parent_old)
            if parent_new is None:
                self.fail("runs", child, f"its parent run {parent_old} was not copied; the parent link is missing")
                continue
            self.dst.set_tag(child, PARENT_TAG, parent_new)
        for run in self.runs_to_delete:
            self.dst.delete_run(run)
        deleted = set(self.runs_to_delete)
        for old, new in list(self.map.data["runs"].items()):
            if new in deleted:
                self.map.complete(old)
        for exp in self.experiments_to_delete:
            self.dst.delete_experiment(exp)
        if not self.target.is_sql and not self.copy_artifacts:
            self.notes.append("the target is not a database: its runs point at new, empty artifact locations; "
                              "use --copy-artifacts to copy the artifacts there")


# --------------------------------------------------------------------------- worker processes
_WORKER: ClientCopier | None = None


def _worker_init(source: Endpoint, target: Endpoint, rules: tuple[Rule, ...], copy_artifacts: bool) -> None:
    global _WORKER
    import warnings

    warnings.filterwarnings("ignore")
    _WORKER = ClientCopier(source, target, rules=rules, copy_artifacts=copy_artifacts, workers=1,
                           id_map=IdMap(None, source.label, target.label))


def _worker_batch(kind: str, runs: list[Any], new_eid: str, entries: dict[str, Any], resumed: list[str]) -> dict:
    """One chunk of runs in a worker process; returns what changed, for the main process to merge."""
    w = _WORKER
    assert w is not None
    known = dict(entries["runs"])
    w.map.data.update({"runs": dict(entries["runs"]), "complete_runs": dict(entries["complete_runs"]),
                       "logged_models": dict(entries["logged_models"])})
    w.counts, w.failures, w.deferred_parents, w.runs_to_delete = {}, [], [], []
    w.resumed_runs = set(resumed)
    for r in runs:
        if kind == "shell":
            w._run_shell(r, new_eid)
        else:
            w._run_contents(r)
    return {"n": len(runs), "runs": {k: v for k, v in w.map.data["runs"].items() if known.get(k) != v},
            "complete_runs": [k for k in w.map.data["complete_runs"] if k not in entries["complete_runs"]],
            "counts": w.counts, "failures": w.failures, "deferred_parents": w.deferred_parents,
            "runs_to_delete": w.runs_to_delete}


@contextlib.contextmanager
def _global_tracking_uri(uri: str) -> Iterator[None]:
    import mlflow

    previous = os.environ.get("MLFLOW_TRACKING_URI")
    mlflow.set_tracking_uri(uri)
    try:
        yield
    finally:
        mlflow.set_tracking_uri(previous)  # type: ignore[arg-type]  # None restores the default


def copy_store(source: str, target: str, *, rules: Sequence[Rule] = (), merge: bool = False,
               copy_artifacts: bool = False, workers: int = 4, id_map_path: Path | None = None,
               progress: Progress = _noop) -> ClientCopyResult:
    """Copy everything MlflowClient can read from `source` into `target` (see the module docstring)."""
    started = time.monotonic()
    tgt = open_target(target)
    with contextlib.ExitStack() as stack:
        src = stack.enter_context(open_source(source))
        if src.label == tgt.label:
            raise MigratorError("source and target are the same store")
        path = id_map_path or default_id_map_path(src, tgt)
        from .locks import file_lock

        # two copies with one id map would both create what is missing: the second one exits 4
        stack.enter_context(file_lock(path.with_name(path.name + ".lock"), f"is copying with the id map {path}"))
        idmap = IdMap(path, src.label, tgt.label)
        result = ClientCopyResult(src.label, tgt.label, str(path))
        copier = ClientCopier(src, tgt, rules=rules, merge=merge, copy_artifacts=copy_artifacts, workers=workers,
                              id_map=idmap, progress=progress)
        try:
            # MLflow's registry resolves models:/ sources through the global tracking URI: point it at the target
            with _global_tracking_uri(tgt.uri):
                copier.run()
        finally:
            idmap.save()
            if copier._sql_engine is not None:
                copier._sql_engine.dispose()
        result.counts = copier.counts
        result.failures = copier.failures
        result.notes = copier.notes
    result.seconds = time.monotonic() - started
    return result
