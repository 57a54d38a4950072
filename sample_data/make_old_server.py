"""Build sample_data/old_servers/<release>/: what a real server of an OLD MLflow release wrote, to test
`migrator upgrade` on real old schemas.

    python sample_data/make_old_server.py 3.10.1     # a throwaway venv with that release, 2-4 minutes
    python sample_data/make_old_server.py 2.22.5

Each folder holds:
- mlflow.db + basic_auth.db: a `mlflow server --app-name basic-auth` of that release on SQLite;
- postgres.sql: the same server on ONE PostgreSQL database holding both stores (tracking and basic-auth),
  dumped with `pg_dump --inserts --no-owner --no-privileges` so a test can load it with plain SQL; before
  MLflow 3.6 (whose auth migrations also used `alembic_version`) the auth store is its own database,
  postgres_auth.sql.

The server is filled through its REST API and MlflowClient (never by writing rows by hand): experiments,
runs with params, metrics over steps and tags, a deleted run, a registered model with versions, tags and an
alias, traces (named, in a session, with token usage), users and permissions. USERS and the counts are read
by the tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ADMIN = ("admin", "admin-password-old-1")
USERS = {"reader": "reader-password-old", "editor": "editor-password-old"}
PERMISSIONS = {"reader": "READ", "editor": "EDIT"}
RUNS = 6
STEPS = 20


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(backend: str, auth_uri: str, workdir: Path) -> None:
    """Inside the old release's venv: start its basic-auth server on BACKEND and fill it."""
    import requests

    ini = workdir / "basic_auth.ini"
    ini.write_text(f"[mlflow]\ndefault_permission = NO_PERMISSIONS\ndatabase_uri = {auth_uri}\n"
                   f"admin_username = {ADMIN[0]}\nadmin_password = {ADMIN[1]}\nauthorization_function = "
                   "mlflow.server.auth:authenticate_request_basic_auth\n")
    port = _port()
    env = {**os.environ, "MLFLOW_AUTH_CONFIG_PATH": str(ini), "MLFLOW_AUTH_ADMIN_PASSWORD": ADMIN[1],
           "MLFLOW_FLASK_SERVER_SECRET_KEY": "sample-secret-key"}
    server = subprocess.Popen([sys.executable, "-m", "mlflow", "server", "--app-name", "basic-auth",
                               "--backend-store-uri", backend, "--host", "127.0.0.1", "--port", str(port),
                               "--workers", "1", "--artifacts-destination", str(workdir / "mlartifacts")],
                              env=env, cwd=workdir)
    url = f"http://127.0.0.1:{port}"
    base = f"{url}/api/2.0/mlflow"
    try:
        for _ in range(240):
            try:
                if server.poll() is None and requests.get(f"{base}/experiments/search?max_results=1", auth=ADMIN,
                                                          timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None:
                raise SystemExit(f"the {backend} server exited with {server.returncode}")
            time.sleep(0.5)

        def post(path: str, **body: object) -> dict:
            r = requests.post(f"{base}/{path}", json=body, auth=ADMIN, timeout=30)
            r.raise_for_status()
            return r.json() if r.text else {}

        os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"] = ADMIN
        import mlflow
        from mlflow import MlflowClient

        mlflow.set_tracking_uri(url)
        client = MlflowClient(url)
        exp = client.create_experiment("shared", tags={"team": "old"})
        client.create_experiment("private")
        client.create_registered_model("shared-model", tags={"stage": "old"})
        for i in range(RUNS):
            run = client.create_run(exp, run_name=f"run-{i}", tags={"i": str(i)})
            rid = run.info.run_id
            client.log_param(rid, "alpha", str(i / 10))
            client.log_param(rid, "long", "x" * 400)
            for s in range(STEPS):
                client.log_metric(rid, "loss", 1.0 / (s + 1 + i), step=s, timestamp=1_700_000_000_000 + s)
                client.log_metric(rid, "acc", s / STEPS, step=s, timestamp=1_700_000_000_000 + s)
            client.set_terminated(rid)
            if i < 2:
                client.create_model_version("shared-model", f"runs:/{rid}/model", run_id=rid)
            if i == RUNS - 1:
                client.delete_run(rid)
        client.set_registered_model_alias("shared-model", "champion", "1")
        client.set_model_version_tag("shared-model", "1", "validated", "yes")
        mlflow.set_experiment("shared")
        if hasattr(mlflow, "start_span"):
            for t in range(3):
                with mlflow.start_span(name=f"agent-{t}") as root:
                    root.set_inputs({"q": f"question {t}"})
                    with mlflow.start_span(name="llm", span_type="LLM") as llm:
                        llm.set_attribute("mlflow.chat.tokenUsage",
                                          {"input_tokens": 10 + t, "output_tokens": 5, "total_tokens": 15 + t})
                        llm.set_outputs({"a": "answer"})
                    if hasattr(mlflow, "update_current_trace"):
                        try:
                            mlflow.update_current_trace(tags={"topic": "sample"},
                                                        metadata={"mlflow.trace.session": "session-1"})
                        except TypeError:  # 2.x: tags only
                            mlflow.update_current_trace(tags={"topic": "sample"})
                    root.set_outputs({"a": "answer"})
                trace_id = root.trace_id if hasattr(root, "trace_id") else root.request_id
                if hasattr(mlflow, "flush_trace_async_logging"):
                    mlflow.flush_trace_async_logging()
                if not mlflow.__version__.startswith("2."):  # 3.x: an assessment row that points at its trace
                    try:
                        mlflow.log_feedback(trace_id=trace_id, name="quality", value=t % 2 == 0)
                    except mlflow.exceptions.MlflowException:  # before 3.2: Databricks only
                        pass
        for user, pw in USERS.items():
            post("users/create", username=user, password=pw)
            post("experiments/permissions/create", experiment_id=exp, username=user, permission=PERMISSIONS[user])
            post("registered-models/permissions/create", name="shared-model", username=user,
                 permission=PERMISSIONS[user])
    finally:
        server.terminate()
        server.wait(30)
    ini.unlink()


def main() -> int:
    if "--inside" in sys.argv:
        _, _, backend, auth_uri, workdir = sys.argv
        fill(backend, auth_uri, Path(workdir))
        return 0
    release = sys.argv[1]
    out = HERE / "old_servers" / release
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    pins = ["sqlalchemy<2.1"] if tuple(int(x) for x in release.split(".")[:2]) < (3, 10) else []  # 2.1: psycopg 3
    import pgserver

    with tempfile.TemporaryDirectory(prefix="old_mlflow_venv_") as tmp, \
            tempfile.TemporaryDirectory(prefix="old_mlflow_pg_") as pgdir:
        import venv

        venv.create(tmp, with_pip=True)
        py = str(Path(tmp) / "bin" / "python")
        subprocess.run([py, "-m", "pip", "install", "-q", f"mlflow[auth]=={release}", *pins, "psycopg2-binary",
                        "requests"], check=True)
        work = Path(tmp) / "work"
        work.mkdir()
        subprocess.run([py, __file__, "--inside", f"sqlite:///{out / 'mlflow.db'}",
                        f"sqlite:///{out / 'basic_auth.db'}", str(work)], check=True)
        srv = pgserver.get_server(pgdir, cleanup_mode="stop")
        # before 3.6 the auth migrations kept their revision in `alembic_version` too: a database of its own
        separate = tuple(int(x) for x in release.split(".")[:2]) < (3, 6)
        names = ["old_server", "old_server_auth"] if separate else ["old_server"]
        for name in names:
            srv.psql(f"CREATE DATABASE {name};")
        pg = [srv.get_uri(n).replace("postgresql://", "postgresql+psycopg2://") for n in names]
        subprocess.run([py, __file__, "--inside", pg[0], pg[-1], str(work)], check=True)
        dump = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"
        for name, file in zip(names, ["postgres.sql", "postgres_auth.sql"]):
            sql = subprocess.run([str(dump), "--inserts", "--no-owner", "--no-privileges", "-d", srv.get_uri(name)],
                                 check=True, capture_output=True, text=True).stdout
            (out / file).write_text(sql)
        srv.cleanup()
    print(f"built {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
