"""The two ends of a client copy: any MLflow tracking URI, opened so that the source cannot be written."""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import StoreError
from ..stores import KINDS, parse_store, redact
from ..stores import classify_tracking_uri as classify
from ..tempdirs import private_tempdir


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

def serves_workspaces(uri: str, name: str) -> None:
    """A server started without --enable-workspaces answers its workspace endpoints with 503 (and MLflow's
    client would retry that for minutes): told at once."""
    import requests

    try:
        r = requests.get(f"{uri}/api/3.0/mlflow/workspaces/{name}", **_request_kwargs())
    except requests.RequestException as e:
        raise StoreError(f"cannot reach the MLflow server at {redact(uri)} ({type(e).__name__})") from None
    if r.status_code in (501, 503) or "without workspaces support" in r.text:
        raise StoreError(f"{redact(uri)} does not serve workspaces: start it with `mlflow server "
                         "--enable-workspaces` (MLflow >= 3.10)")


def _request_kwargs() -> dict[str, Any]:
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
    return kwargs


def _probe_http(uri: str) -> None:
    import requests

    try:
        r = requests.get(uri + "/api/2.0/mlflow/experiments/search", params={"max_results": 1},
                         **_request_kwargs())
    except requests.RequestException as e:
        raise StoreError(f"cannot reach the MLflow server at {redact(uri)} ({type(e).__name__}); "
                         "check that it runs and the address is right") from None
    if r.status_code in (401, 403):
        raise StoreError(f"the MLflow server at {redact(uri)} refused the request (HTTP {r.status_code}); "
                         "set MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN")
    if r.status_code >= 400:
        raise StoreError(f"{redact(uri)} did not answer as an MLflow tracking server (HTTP {r.status_code}); "
                         "give the server's base URL, e.g. http://host:5000")

def _sql_driver_check(kind: str, uri: str, role: str) -> None:
    """A database migrator does not read itself (mysql, mssql): MLflow's own checks apply, once the driver
    loads."""
    import sqlalchemy as sa

    try:
        sa.create_engine(uri).dispose()
    except ImportError as e:
        raise StoreError(f"the {role} {redact(uri)} needs a {kind} driver that is not installed ({e.name or e}); "
                         "install it (e.g. pip install mysqlclient, or PyMySQL with mysql+pymysql://)") from None
    except Exception as e:  # sqlalchemy.exc.ArgumentError and friends: a malformed URL
        raise StoreError(f"cannot use the {role} {redact(uri)}: {str(e).splitlines()[0]}") from None

@contextlib.contextmanager
def open_source(address: str) -> Iterator[Endpoint]:
    """The source, opened so that nothing can write to it: SQLite through an (upgraded) snapshot."""
    kind, uri = classify(address)
    if kind in KINDS:  # a store migrator reads itself: a private copy, at the installed head
        store = parse_store(uri)
        with store.copy_at_head() as copy_uri:
            yield Endpoint(address, copy_uri, kind, store.source_label)
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
    _sql_driver_check(kind, uri, "source")
    yield Endpoint(address, uri, kind, redact(uri))

def open_target(address: str) -> Endpoint:
    kind, uri = classify(address)
    if kind == "file":
        os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
        return Endpoint(address, uri, "file", f"file:{uri}")
    if kind == "http":
        _probe_http(uri)
        return Endpoint(address, uri, "http", redact(uri))
    if kind in KINDS:
        store = parse_store(uri)
        store.require_client_target()
        return Endpoint(address, store.url, kind, store.source_label)
    _sql_driver_check(kind, uri, "target")
    return Endpoint(address, uri, kind, redact(uri))
