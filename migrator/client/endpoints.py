"""The two ends of a client copy: any MLflow tracking URI, opened so that the source cannot be written."""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import SchemaError, StoreError
from ..snapshot import private_tempdir
from ..stores import classify_tracking_uri as classify
from ..stores import not_mlflow, redact


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

    from ..schema import compare_to_installed, installed_head, installed_mlflow_version

    if kind != "postgresql":  # other servers (mysql, mssql): MLflow's own checks apply, once the driver loads
        try:
            sa.create_engine(uri).dispose()
        except ImportError as e:
            raise StoreError(f"the {role} {redact(uri)} needs a {kind} driver that is not installed ({e.name or e}); "
                             "install it (e.g. pip install mysqlclient, or PyMySQL with mysql+pymysql://)") from None
        except Exception as e:  # sqlalchemy.exc.ArgumentError and friends: a malformed URL
            raise StoreError(f"cannot use the {role} {redact(uri)}: {str(e).splitlines()[0]}") from None
        return
    from ..schema import pg_revision
    from ..stores import parse_store, pg_connection

    with pg_connection(parse_store(uri)) as conn:
        rev = pg_revision(conn)
        n_tables = len(sa.inspect(conn).get_table_names())
    if rev is None:
        if role == "source":
            raise not_mlflow(f"the {role} {redact(uri)}")
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
        from ..schema import compare_to_installed, require_not_newer, sqlite_revision, upgrade_sqlite_file
        from ..snapshot import temporary_snapshot
        from ..stores import check_sqlite_file, open_sqlite_readonly, parse_store

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
            tmp = private_tempdir("filestore")
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
        from ..schema import compare_to_installed, installed_head, sqlite_revision
        from ..stores import check_sqlite_file, open_sqlite_readonly, parse_store

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
    _sql_revision_check(kind, uri, "target")
    return Endpoint(address, uri, kind, redact(uri))
