"""The proof an upgrade gives through MLflow itself: a sample read raw before the migrations equals what
MlflowClient (and MLflow's basic-auth store) reads from the result, and an `mlflow server` of the installed
MLflow serves the result without asking for an upgrade."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

from .. import schema
from ..checks import Check
from ..stores import parse_store
from ..tempdirs import scratch

SERVER_WAIT = 180.0


def _f(v: Any) -> Any:
    if v is None:
        return None
    v = float(v)
    return "nan" if math.isnan(v) else repr(v)


def client_view_before(conn: Any, tables: dict[str, list[str]], sample: int) -> dict[str, Any]:
    """Raw reads of the store before any migration: a sample of runs (info, params, tags, latest metrics),
    every experiment, registered models with their version numbers, basic-auth users."""
    view: dict[str, Any] = {}

    def rows(sql: str, *params: Any) -> list[Any]:
        return conn.exec_driver_sql(sql, params).all() if params else conn.exec_driver_sql(sql).all()

    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    if "runs" in tables and sample:
        ids = [r[0] for r in rows("SELECT run_uuid FROM runs ORDER BY run_uuid")]
        picked = ids[::max(1, len(ids) // sample)][:sample]
        runs = {}
        for rid in picked:
            info = rows(f"SELECT run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage "
                        f"FROM runs WHERE run_uuid = {mark}", rid)[0]
            latest = ({k: _f(None if nan else v) if not nan else "nan" for k, v, nan in rows(
                f"SELECT key, value, is_nan FROM latest_metrics WHERE run_uuid = {mark}", rid)}
                if "latest_metrics" in tables else None)
            runs[rid] = {"info": (info[0], str(info[1]), info[2], info[3], info[4], info[5], info[6], info[7]),
                         "params": dict(rows(f"SELECT key, value FROM params WHERE run_uuid = {mark}", rid)),
                         "tags": dict(rows(f"SELECT key, value FROM tags WHERE run_uuid = {mark}", rid)),
                         "metrics": latest}
        view["runs"] = runs
    if "experiments" in tables:
        view["experiments"] = {str(i): (n, s, a) for i, n, s, a in rows(
            "SELECT experiment_id, name, lifecycle_stage, artifact_location FROM experiments")}
    if "registered_models" in tables and "model_versions" in tables:
        models: dict[str, list[str]] = {n: [] for (n,) in rows("SELECT name FROM registered_models")}
        for n, v in rows("SELECT name, version FROM model_versions"):
            models.setdefault(n, []).append(str(v))
        view["models"] = {n: sorted(v, key=int) for n, v in models.items()}
    if "users" in tables:
        view["users"] = {u: (h, bool(a)) for u, h, a in rows("SELECT username, password_hash, is_admin FROM users")}
    return view


def client_view(url: str, kinds: list[str], before: dict[str, Any] | None) -> Check:
    """The same reads through MlflowClient and MLflow's basic-auth store on the result."""
    name = "MLflow reads the result"
    if not before:
        return Check(name, True, "nothing sampled")
    bad: list[str] = []
    counted = []
    if schema.TRACKING in kinds and ("runs" in before or "experiments" in before):
        from mlflow import MlflowClient

        client = MlflowClient(tracking_uri=url, registry_uri=url)
        for rid, want in before.get("runs", {}).items():
            run = client.get_run(rid)
            i = run.info
            got = {"info": (i.run_id, str(i.experiment_id), i.run_name, i.user_id, i.status, i.start_time, i.end_time,
                            i.lifecycle_stage),
                   "params": dict(run.data.params), "tags": dict(run.data.tags),
                   "metrics": {k: _f(v) for k, v in run.data.metrics.items()} if want["metrics"] is not None else None}
            for part in ("info", "params", "tags", "metrics"):
                if got[part] != want[part]:
                    bad.append(f"run {rid}: {part} differ")
        counted.append(f"{len(before.get('runs', {}))} sampled runs")
        for eid, (ename, stage, loc) in before.get("experiments", {}).items():
            e = client.get_experiment(eid)
            if (e.name, e.lifecycle_stage, e.artifact_location) != (ename, stage, loc):
                bad.append(f"experiment {eid} differs")
        counted.append(f"{len(before.get('experiments', {}))} experiments")
        if "models" in before:
            for mname, versions in before["models"].items():
                got_v = sorted((v.version for v in client.search_model_versions(f"name = '{_quote(mname)}'")), key=int)
                if [str(v) for v in got_v] != versions:
                    bad.append(f"registered model {mname!r}: versions {got_v} instead of {versions}")
            counted.append(f"{len(before['models'])} registered models")
        _dispose(client)
    if schema.AUTH in kinds and "users" in before:
        from ..verification import auth_users

        got_users = auth_users(url)
        for u, (h, admin) in before["users"].items():
            if got_users.get(u) != (h, admin):
                bad.append(f"user {u!r}: password hash or admin flag differ")
        if set(got_users) != set(before["users"]):
            bad.append(f"users differ: {sorted(set(got_users) ^ set(before['users']))}")
        counted.append(f"{len(before['users'])} users")
    return Check(name, not bad, ("equal through MlflowClient and MLflow's auth store: " + ", ".join(counted))
                 if not bad else "; ".join(bad[:10]))


def _dispose(client: Any) -> None:
    """Close the connections MLflow's stores keep for the result (a WAL-mode SQLite store then keeps no
    -wal/-shm beside it); best effort: these are MLflow's private attributes."""
    for holder in (getattr(client, "_tracking_client", None), getattr(client, "_registry_client_lazy", None)):
        engine = getattr(getattr(holder, "store", None), "engine", None)
        if engine is not None:
            engine.dispose()


def _quote(name: str) -> str:
    return name.replace("'", "\\'")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_starts(url: str) -> Check:
    """`mlflow server` of the installed MLflow on the result answers a tracking request (its store opened, the
    schema found at its head) within SERVER_WAIT seconds."""
    from ..serving import server_line

    name = "mlflow server starts"
    store = parse_store(url)
    line = server_line(store)
    env = {**os.environ, **{k: v for k, v in line.env.items() if v is not None}}
    _, password = store.credentials()
    if password:
        env["PGPASSWORD"] = password
    env.pop("MLFLOW_TRACKING_URI", None)
    port = _port()
    with scratch("server") as tmp:
        argv = [sys.executable, "-m", "mlflow", *line.argv[1:], "--host", "127.0.0.1", "--port", str(port),
                "--workers", "1", "--artifacts-destination", str(tmp / "artifacts")]
        log = open(tmp / "server.log", "w+b")
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
        try:
            deadline = time.monotonic() + SERVER_WAIT
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/2.0/mlflow/experiments/search?"
                                                "max_results=1", timeout=5) as r:
                        if r.status == 200:
                            return Check(name, True, f"MLflow {schema.installed_mlflow_version()} served the result "
                                                     "(a tracking request answered, no upgrade asked for)")
                except OSError:
                    pass
                time.sleep(0.3)
            log.seek(0)
            tail = [ln for ln in log.read().decode(errors="replace").splitlines() if ln.strip()][-3:]
            return Check(name, False, f"the server did not answer ({'exited ' + str(proc.returncode) if proc.poll() is not None else 'timed out'}): "
                                      + " | ".join(tail))
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            log.close()
