"""The `mlflow server` line that serves a moved store the way the old server served it: the backend URI (in a
driver installed here, without its password), `--artifacts-destination` where artifacts stay proxied
(`mlflow-artifacts:/`), `--app-name basic-auth` with a generated basic_auth.ini where users moved. Secrets the
operator supplies are named with no value (`None`): the database password (PGPASSWORD), object-storage keys,
the Flask secret key of the basic-auth app."""

from __future__ import annotations

import configparser
import io
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import open_private
from .stores import PostgresStore, Store

AUTH_INI = "migrator-basic_auth.ini"
# object-storage variables an artifact destination of that scheme needs: values that are not secret are kept
_STORAGE = {"s3": (["MLFLOW_S3_ENDPOINT_URL", "AWS_DEFAULT_REGION"], ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]),
            "gs": ([], ["GOOGLE_APPLICATION_CREDENTIALS"]),
            "wasbs": ([], ["AZURE_STORAGE_CONNECTION_STRING"]), "abfss": ([], ["AZURE_STORAGE_CONNECTION_STRING"])}


@dataclass
class ServerLine:
    argv: list[str]
    env: dict[str, str | None] = field(default_factory=dict)  # None: a secret the operator supplies
    notes: list[str] = field(default_factory=list)

    def shell(self) -> str:
        assign = " ".join(f"{k}={shlex.quote(v) if v is not None else '...'}" for k, v in self.env.items())
        return (assign + " " if assign else "") + shlex.join(self.argv)

    def as_dict(self) -> dict[str, Any]:
        return {"argv": self.argv, "env": self.env, "shell": self.shell(), "notes": self.notes}


def server_line(backend: Store, *, artifacts_destination: str | None = None, auth: Store | None = None,
                auth_config: Path | None = None, ini_folder: Path | None = None) -> ServerLine:
    """The line for a server on `backend`; with `auth` (the moved basic-auth store) a basic_auth.ini (0600) is
    written into `ini_folder` (default the working folder) from `auth_config` (the old server's ini) or
    MLflow's defaults, its database_uri pointing at `auth`."""
    uri, password = backend.credentials()
    line = ServerLine(["mlflow", "server", "--backend-store-uri", _driver_uri(uri, backend)])
    if _has_workspaces(backend):
        line.argv.append("--enable-workspaces")
    if password:
        line.env["PGPASSWORD"] = None
    if artifacts_destination:
        dest = artifacts_destination if "://" in artifacts_destination else str(Path(artifacts_destination).resolve())
        line.argv += ["--artifacts-destination", dest]
        plain, secret = _STORAGE.get(dest.split("://", 1)[0], ([], []))
        line.env.update({k: os.environ[k] for k in plain if os.environ.get(k)})
        line.env.update(dict.fromkeys(secret))
    if auth is not None:
        ini = write_auth_ini(auth, auth_config, ini_folder or Path.cwd())
        line.argv += ["--app-name", "basic-auth"]
        line.env["MLFLOW_AUTH_CONFIG_PATH"] = str(ini)
        line.env["MLFLOW_FLASK_SERVER_SECRET_KEY"] = None
        auth_password = auth.credentials()[1]
        if auth_password:
            line.env["PGPASSWORD"] = None
        line.notes.append(f"{ini}: the basic-auth settings, taken from "
                          + (f"{auth_config}" if auth_config else "MLflow's defaults (give --auth-config OLD.ini "
                                                                  "to keep the old server's)")
                          + "; its database_uri is the moved auth store")
    return line


def _has_workspaces(store: Store) -> bool:
    """The store holds workspaces besides MLflow's `default` (MLflow 3.10+): the server needs them enabled."""
    try:
        with store.open_readonly() as db:
            if "workspaces" not in db.table_names():
                return False
            return any(name != "default" for (name,) in db.query("SELECT name FROM workspaces"))
    except Exception:  # noqa: BLE001 - an unreadable store gets the plain line; its own errors come elsewhere
        return False


def _driver_uri(uri: str, store: Store) -> str:
    """postgresql:// means psycopg 3 under SQLAlchemy 2.1: name the driver that is installed (psycopg2)."""
    if isinstance(store, PostgresStore) and uri.startswith("postgresql://"):
        return "postgresql+psycopg2://" + uri[len("postgresql://"):]
    if store.path is not None:  # a bare path would be MLflow's file store
        return f"sqlite:///{store.path}"
    return uri


def write_auth_ini(auth: Store, old: Path | None, folder: Path) -> Path:
    """basic_auth.ini for the new server: the old ini's settings (or MLflow's defaults) with database_uri set
    to the moved auth store (without its password; '%' doubled, as configparser reads it)."""
    config = configparser.ConfigParser(interpolation=None)
    if old is not None:
        config.read(old)
    else:
        from mlflow.server import auth as _auth_pkg

        config.read(Path(_auth_pkg.__path__[0]) / "basic_auth.ini")
    if not config.has_section("mlflow"):
        config.add_section("mlflow")
    config.set("mlflow", "database_uri", _driver_uri(auth.credentials()[0], auth).replace("%", "%%"))
    out = io.StringIO()
    config.write(out)
    path = folder / AUTH_INI
    with open_private(path) as f:
        f.write(out.getvalue())
    return path.resolve()
