"""Real databases, no mocks: PostgreSQL from MIGRATOR_TEST_PG_URL or one embedded pgserver per session;
MLflow SQLite stores built with the real MLflow APIs."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "mlflow.db"
SAMPLE_V2 = ROOT / "sample_data" / "mlflow_v2.db"
SAMPLE_V1 = ROOT / "sample_data" / "mlflow_v1.db"
sys.path.insert(0, str(ROOT / "sample_data"))
os.environ.setdefault("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false")
os.environ.setdefault("MLFLOW_TRACKING_TELEMETRY_DISABLED", "true")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sqlite_exec(path: Path, *statements: str) -> None:
    """Change a test's SQLite store behind MLflow's back (one transaction)."""
    conn = sqlite3.connect(path)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def sqlite_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    out = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    conn.close()
    return out


def url_for(admin_url: str, database: str) -> str:
    u = make_url(admin_url.replace("postgresql://", "postgresql+psycopg2://", 1)
                 if admin_url.startswith("postgresql://") else admin_url)
    return u.set(database=database).render_as_string(hide_password=False)


def _admin_engine(admin_url: str) -> sa.Engine:
    return sa.create_engine(url_for(admin_url, make_url(admin_url).database or "postgres"),
                            isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@pytest.fixture(autouse=True)
def _own_temporary_folder(monkeypatch):
    """`--tmpdir` sets the process's temporary folder (one process per command in real use): every command
    runs in this process here, so it is put back after each test."""
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)


@pytest.fixture(autouse=True)
def _mlflow_state_put_back():
    """MLflow's fluent API keeps its choices in module globals and in MLFLOW_* environment variables
    (set_experiment sets MLFLOW_EXPERIMENT_ID; set_registry_uri(None) leaves MLFLOW_REGISTRY_URI behind):
    every test starts from the state the one before it found. Session fixtures run before this one, so
    what they set (the object store's endpoint) stays."""
    from mlflow.tracking import fluent
    from mlflow.tracking._model_registry import utils as registry_utils
    from mlflow.tracking._tracking_service import utils as tracking_utils

    env = {k: v for k, v in os.environ.items() if k.startswith("MLFLOW_")}
    state = (tracking_utils._tracking_uri, registry_utils._registry_uri, fluent._active_experiment_id)
    yield
    for k in [k for k in os.environ if k.startswith("MLFLOW_") and k not in env]:
        del os.environ[k]
    os.environ.update(env)
    tracking_utils._tracking_uri, registry_utils._registry_uri, fluent._active_experiment_id = state


@pytest.fixture(autouse=True)
def _outside_the_checkout(tmp_path, monkeypatch):
    """Every test runs in its own folder: default output files (artifact manifests, id maps, reject files,
    ./mlruns) never land in the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session", autouse=True)
def _checkout_stays_clean():
    """Fail the session if a test wrote a file into the checkout (it happened once: artifact manifests)."""
    before = {p for p in ROOT.iterdir()}
    yield
    stray = sorted(p.name for p in ROOT.iterdir() if p not in before and p.name not in {".pytest_cache", ".hypothesis"})
    assert not stray, f"tests wrote into the checkout: {stray}"


@pytest.fixture(scope="session")
def pg_server():
    """{'admin': URL, 'pgdata': dir or None}: never skipped."""
    url = os.environ.get("MIGRATOR_TEST_PG_URL")
    if url:
        yield {"admin": url, "pgdata": None}
        return
    import pgserver

    d = tempfile.mkdtemp(prefix="migrator-test-pg-")
    srv = pgserver.get_server(d, cleanup_mode="delete")
    yield {"admin": srv.get_uri(), "pgdata": d, "server": srv}
    srv.cleanup()


def create_database(admin_url: str, template: str | None = None) -> str:
    name = f"test_{uuid.uuid4().hex[:12]}"
    eng = _admin_engine(admin_url)
    with eng.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    eng.dispose()
    return name


def drop_database(admin_url: str, name: str) -> None:
    eng = _admin_engine(admin_url)
    with eng.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    eng.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_server):
    """A database holding MLflow's freshly created schema (MLflow's own migrations), for fast fresh targets."""
    from migrator.stores.pg_db import migrate_in_transaction as migrate_pg_in_transaction

    name = create_database(pg_server["admin"])
    eng = sa.create_engine(url_for(pg_server["admin"], name), poolclass=sa.pool.NullPool)
    with eng.begin() as conn:
        migrate_pg_in_transaction(conn)
    eng.dispose()
    yield name
    drop_database(pg_server["admin"], name)


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database for one test."""
    name = create_database(pg_server["admin"])
    yield url_for(pg_server["admin"], name)
    drop_database(pg_server["admin"], name)


@pytest.fixture
def pg_fresh_url(pg_server, pg_template):
    """A fresh database that already holds MLflow's empty schema."""
    name = create_database(pg_server["admin"], template=pg_template)
    yield url_for(pg_server["admin"], name)
    drop_database(pg_server["admin"], name)


@pytest.fixture
def pg_conn_factory():
    opened = []

    def make(url: str) -> sa.Connection:
        eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
        conn = eng.connect()
        opened.append((eng, conn))
        return conn

    yield make
    for eng, conn in opened:
        conn.close()
        eng.dispose()


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """A store built once per session through MlflowClient on sqlite:/// directly (absolute artifact paths)."""
    from make_store import log_everything

    d = tmp_path_factory.mktemp("built")
    cwd = os.getcwd()
    os.chdir(d)
    try:
        log_everything(f"sqlite:///{d / 'mlflow.db'}")
    finally:
        os.chdir(cwd)
    import mlflow

    mlflow.set_tracking_uri(None)
    return d / "mlflow.db"


@pytest.fixture
def store(built_store, tmp_path) -> Path:
    p = tmp_path / "store.db"
    shutil.copy(built_store, p)
    return p


@pytest.fixture
def sample_store(tmp_path) -> Path:
    p = tmp_path / "sample.db"
    shutil.copy(SAMPLE, p)
    return p


@pytest.fixture
def sample_store_v2(tmp_path) -> Path:
    p = tmp_path / "sample_v2.db"
    shutil.copy(SAMPLE_V2, p)
    return p


@pytest.fixture
def sample_store_v1(tmp_path) -> Path:
    p = tmp_path / "sample_v1.db"
    shutil.copy(SAMPLE_V1, p)
    return p


@pytest.fixture
def cli():
    from typer.testing import CliRunner

    from migrator.cli import app

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def big_store_session(built_store, tmp_path_factory) -> Path:
    """The built store with ~430k extra metric rows (raw SQL, same shape as MLflow's)."""
    p = tmp_path_factory.mktemp("big") / "big.db"
    shutil.copy(built_store, p)
    conn = sqlite3.connect(p)
    conn.execute("""
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8000)
        INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
        SELECT m.key, m.value + n.i, m.timestamp + n.i, m.run_uuid, m.step + n.i * 1000, m.is_nan
        FROM metrics m, n""")
    conn.commit()
    conn.close()
    return p


def fresh_copy(session_store: Path, tmp_path: Path) -> Path:
    """A per-test copy of a store built once per session (tests may touch their copy)."""
    p = tmp_path / session_store.name
    shutil.copy(session_store, p)
    return p


@pytest.fixture
def big_store(big_store_session, tmp_path) -> Path:
    return fresh_copy(big_store_session, tmp_path)


@pytest.fixture(scope="session")
def many_runs_session(tmp_path_factory) -> Path:
    """120 runs x 50 metric points in 2 experiments (nested, failed, deleted runs), through MlflowClient."""
    from make_runs_store import make_runs_store

    p = tmp_path_factory.mktemp("many") / "many.db"
    make_runs_store(f"sqlite:///{p}", 120, 50)
    return p


@pytest.fixture
def many_runs_store(many_runs_session, tmp_path) -> Path:
    return fresh_copy(many_runs_session, tmp_path)


def pg_table_names(url: str) -> list[str]:
    """The tables in a PostgreSQL database's public schema, sorted."""
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        names = [r[0] for r in c.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname='public'")]
    eng.dispose()
    return sorted(names)


# One SQLite table with a column of every kind the big tables' binary COPY encodes (tests/test_direct.py,
# tests/test_arrow_copy.py), and rows psycopg's binary dumpers would take but not as PostgreSQL means them.
KINDS_TABLE = ("CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(20), b INTEGER, c FLOAT, d BOOLEAN, e BLOB, "
               "f TEXT, g SMALLINT, h REAL)")
SILENT_ROWS = [
    (10, "wraps", 2**40, 0.0, 0, b"", "", 0, 0.0),
    (11, "bool", 0, 0.0, 2, b"", "", 0, 0.0),
    (12, "small", 0, 0.0, 0, b"", "", 40000, 0.0),
    (13, "float4", 0, 0.0, 0, b"", "", 0, 1e39),
]


def kinds_table(path, rows):
    """A SQLite file at `path` holding KINDS_TABLE with `rows`; its open connection."""
    conn = sqlite3.connect(path)
    conn.execute(KINDS_TABLE)
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    return conn


def error_line(result) -> str:
    """The single `Error:` line of a failed command (progress lines may precede it on stderr)."""
    lines = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """moto's standalone S3 server as a subprocess; the AWS variables point boto3 (and MLflow) at it."""
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(url, timeout=1)
            break
        except requests.RequestException:
            assert proc.poll() is None and time.monotonic() < deadline, "moto server did not start"
            time.sleep(0.2)
    env = {"MLFLOW_S3_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield {"url": url, "env": env}
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    proc.terminate()
    proc.wait(30)


@pytest.fixture
def bucket(s3_server):
    import uuid

    import boto3

    name = f"b{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_server["url"]).create_bucket(Bucket=name)
    return name


def stop_process_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a server started with start_new_session=True and every process it started (MLflow 3's server runs
    job consumers, huey, that outlive a SIGTERM to the server alone and keep its database open): SIGTERM to the
    group, then SIGKILL to what is left of it after `timeout` seconds."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _group_alive(proc.pid):
        proc.poll()
        time.sleep(0.1)
    if _group_alive(proc.pid):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(30)


def _group_alive(pgid: int) -> bool:
    """A live (not zombie) process is in process group `pgid`."""
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


@contextmanager
def printed_server(server: dict, folder: Path, secrets: dict[str, str]):
    """Exactly the `mlflow server` line a move printed (its argv and environment; `secrets` supplies the
    values it names without one), on a free port."""
    port = _port()
    env = {**os.environ, **{k: v for k, v in server["env"].items() if v is not None}}
    env.update({k: secrets[k] for k, v in server["env"].items() if v is None})
    log = open(folder / f"printed-{port}.log", "w")
    argv = server["argv"]
    assert argv[:2] == ["mlflow", "server"]
    proc = subprocess.Popen([sys.executable, "-m", "mlflow", *argv[1:], "--host", "127.0.0.1", "--port", str(port),
                             "--workers", "1"], env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, (folder / f"printed-{port}.log").read_text()[-3000:]
            time.sleep(0.3)
        yield base
    finally:
        stop_process_group(proc)
        log.close()
