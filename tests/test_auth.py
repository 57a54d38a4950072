"""The basic-auth database: a real `mlflow server --app-name basic-auth` on SQLite makes users, roles and
permissions through its REST API; migrator moves both stores into one PostgreSQL database; a real server
on PostgreSQL then enforces the same permissions over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from conftest import ROOT, error_line, pg_table_names, printed_server, sha256, stop_process_group

ADMIN = ("admin", "admin-password-current")
# user -> (password, permission granted on the experiment and the model); auditor: none, but a role that
# reads every experiment; boss: none, but admin
USERS = {"reader": ("reader-password-123", "READ"), "editor": ("editor-password-123", "EDIT"),
         "manager": ("manager-password-12", "MANAGE"), "denied": ("denied-password-123", "DENY"),
         "auditor": ("auditor-password-12", None), "boss": ("boss-password-12345", None)}
LEGACY = ROOT / "sample_data" / "auth_v3_1"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def auth_server(tracking_uri: str, auth_uri: str, folder: Path):
    """`mlflow server --app-name basic-auth` on 127.0.0.1; yields its base URL."""
    ini = folder / f"basic_auth_{_port()}.ini"
    # basic_auth.ini is read by configparser: a % of a URL-encoded socket path is written %%
    ini.write_text(f"[mlflow]\ndefault_permission = NO_PERMISSIONS\ndatabase_uri = {auth_uri.replace('%', '%%')}\n"
                   f"admin_username = {ADMIN[0]}\nauthorization_function = "
                   "mlflow.server.auth:authenticate_request_basic_auth\n")
    port = _port()
    env = {**os.environ, "MLFLOW_AUTH_CONFIG_PATH": str(ini), "MLFLOW_AUTH_ADMIN_PASSWORD": ADMIN[1],
           "MLFLOW_FLASK_SERVER_SECRET_KEY": "test-secret-key"}
    log = open(folder / f"server-{port}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "mlflow", "server", "--app-name", "basic-auth",
                             "--backend-store-uri", tracking_uri, "--host", "127.0.0.1", "--port", str(port),
                             "--workers", "1", "--default-artifact-root", str(folder / "mlartifacts")],
                            env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (folder / f"server-{port}.log").read_text()[-3000:]
            try:
                if requests.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "mlflow server did not start"
            time.sleep(0.3)
        yield base
    finally:
        stop_process_group(proc)
        log.close()


def _get(base: str, path: str, user: tuple[str, str], **params) -> requests.Response:
    return requests.get(f"{base}/api/2.0/mlflow/{path}", params=params, auth=user, timeout=10)


def _post(base: str, path: str, user: tuple[str, str], **body) -> requests.Response:
    return requests.post(f"{base}/api/2.0/mlflow/{path}", json=body, auth=user, timeout=10)


@pytest.fixture(scope="module")
def server_stores(tmp_path_factory):
    """A tracking store and a basic-auth store made by a real server: users, a role, permissions."""
    from mlflow.server.auth.client import AuthServiceClient

    d = tmp_path_factory.mktemp("authsrv")
    with auth_server(f"sqlite:///{d / 'mlflow.db'}", f"sqlite:///{d / 'basic_auth.db'}", d) as base:
        exp = _post(base, "experiments/create", ADMIN, name="shared").json()["experiment_id"]
        _post(base, "experiments/create", ADMIN, name="private")
        assert _post(base, "registered-models/create", ADMIN, name="shared-model").status_code == 200
        os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"] = ADMIN
        try:
            auth = AuthServiceClient(base)
            for user, (pw, perm) in USERS.items():
                auth.create_user(user, pw)
                if perm:
                    auth.grant_user_permission(user, "experiment", exp, perm)
                    auth.grant_user_permission(user, "registered_model", "shared-model", perm)
            auth.update_user_admin("boss", True)
            role = auth.create_role("default", "auditors", "read every experiment")
            auth.add_role_permission(role.id, "experiment", "*", "READ")
            auth.assign_role("auditor", role.id)
            members = auth.create_role("default", "members", "may use the default workspace")
            auth.add_role_permission(members.id, "workspace", "*", "USE")  # a workspace permission
            auth.assign_role("reader", members.id)
        finally:
            del os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"]
    return {"dir": d, "tracking": d / "mlflow.db", "auth": d / "basic_auth.db", "experiment": exp}


def _check_enforced(base: str, exp: str, users: dict, roles: bool = True) -> None:
    """Every user logs in with the original password; permissions hold as the old server enforced them."""
    assert _get(base, "experiments/get", ("reader", "wrong-password-x"), experiment_id=exp).status_code == 401
    for user, (pw, perm) in users.items():
        r = _get(base, "experiments/get", (user, pw), experiment_id=exp)
        can_read = perm in ("READ", "EDIT", "MANAGE") or user == "boss" or (roles and user == "auditor")
        assert r.status_code == (200 if can_read else 403), (user, r.status_code, r.text)
        r = _post(base, "experiments/set-experiment-tag", (user, pw), experiment_id=exp, key="by", value=user)
        can_edit = perm in ("EDIT", "MANAGE") or user == "boss"
        assert r.status_code == (200 if can_edit else 403), (user, r.status_code, r.text)
    listed = _get(base, "users/list", ADMIN)  # the admin lists users
    assert listed.status_code == 200 and {u["username"] for u in listed.json()["users"]} >= set(users), listed.text
    assert _get(base, "users/get", ("reader", users["reader"][0]), username="editor").status_code == 403


def test_whole_server_moves_into_one_postgres_database(cli, server_stores, pg_url, tmp_path):
    before = sha256(server_stores["auth"]), sha256(server_stores["tracking"])
    r = cli("sqlite-to-pg", server_stores["tracking"], pg_url, "--auth-db", server_stores["auth"], "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["ok"] and out["store"] == "tracking" and out["auth"]["store"] == "auth"
    assert out["auth"]["verify"]["ok"] and any(c["name"] == "auth api parity" and c["ok"]
                                               for c in out["auth"]["verify"]["checks"])
    users = {t["table"]: t["rows"] for t in out["auth"]["tables"]}["users"]
    assert users == len(USERS) + 1
    hashes = sa.create_engine(f"sqlite:///{server_stores['auth']}").connect().exec_driver_sql(
        "SELECT password_hash FROM users").scalars().all()
    assert not any(h in r.output for h in hashes)  # hashes are data: never in a summary
    assert (sha256(server_stores["auth"]), sha256(server_stores["tracking"])) == before
    # verify: each store against its own tables in the shared database
    assert cli("verify", server_stores["tracking"], pg_url, "--sample", "5").exit_code == 0
    r = cli("verify", server_stores["auth"], pg_url, "--json")
    assert r.exit_code == 0, r.output
    assert {t["table"] for t in json.loads(r.stdout)["tables"]} >= {"users", "roles", "experiment_permissions"}
    assert not {t["table"] for t in json.loads(r.stdout)["tables"]} & {"experiments", "runs"}
    inspected = json.loads(cli("inspect", pg_url, "--json").stdout)
    assert set(inspected["stores"]) == {"tracking", "auth"}
    # the printed line starts the basic-auth app on the moved stores, with a generated 0600 ini
    server = out["server"]
    assert server["argv"][-2:] == ["--app-name", "basic-auth"] and server["env"]["MLFLOW_FLASK_SERVER_SECRET_KEY"] is None
    ini = Path(server["env"]["MLFLOW_AUTH_CONFIG_PATH"])
    assert ini.stat().st_mode & 0o777 == 0o600 and "database_uri = postgresql+psycopg2://" in ini.read_text()
    with printed_server(server, tmp_path, {"MLFLOW_FLASK_SERVER_SECRET_KEY": "test-secret"}) as base:
        _check_enforced(base, server_stores["experiment"], USERS)
    # a changed password hash or permission in the target: verify names the table
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.begin() as c:
        c.exec_driver_sql("UPDATE users SET password_hash = 'x' || password_hash WHERE username = 'editor'")
    r = cli("verify", server_stores["auth"], pg_url, "--json")
    assert r.exit_code == 3
    bad = [t for t in json.loads(r.stdout)["tables"] if t["status"] != "ok"]
    assert [t["table"] for t in bad] == ["users"]
    assert not any(h in r.output for h in hashes)  # the differing hashes are redacted
    with eng.begin() as c:
        c.exec_driver_sql("UPDATE users SET password_hash = substr(password_hash, 2) WHERE username = 'editor'")
        c.exec_driver_sql("UPDATE role_permissions SET permission = 'MANAGE' WHERE id = (SELECT min(id) FROM "
                          "role_permissions WHERE permission = 'READ')")
    eng.dispose()
    r = cli("verify", server_stores["auth"], pg_url, "--json")
    assert r.exit_code == 3 and [t["table"] for t in json.loads(r.stdout)["tables"] if t["status"] != "ok"] == \
        ["role_permissions"]


def test_auth_store_alone_and_added_to_a_tracking_target(cli, server_stores, pg_url, tmp_path):
    """Either store may already be in the target when the other is added; auth rows already there are
    refused unless --replace, which drops only the auth tables."""
    assert cli("sqlite-to-pg", server_stores["tracking"], pg_url, "--no-verify").exit_code == 0
    r = cli("sqlite-to-pg", server_stores["auth"], pg_url, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["store"] == "auth"
    other = tmp_path / "other_auth.db"
    try:
        shutil.copy(server_stores["auth"], other)
        c = sa.create_engine(f"sqlite:///{other}").connect()
        c.exec_driver_sql("UPDATE users SET is_admin = 1 WHERE username = 'reader'")
        c.commit()
        c.close()
        r = cli("sqlite-to-pg", other, pg_url)
        assert r.exit_code == 1 and "basic-auth data" in error_line(r) and "--replace" in error_line(r)
        r = cli("sqlite-to-pg", other, pg_url, "--replace", "--yes", "--json")
        assert r.exit_code == 0, r.output
    finally:
        other.unlink(missing_ok=True)
    counts = json.loads(cli("inspect", pg_url, "--json").stdout)["stores"]["tracking"]["tables"]
    assert counts["experiments"] == 3  # the tracking store was left alone


def test_bad_auth_inputs(cli, server_stores, pg_url, tmp_path):
    r = cli("sqlite-to-pg", server_stores["tracking"], pg_url, "--auth-db", server_stores["tracking"])
    assert r.exit_code == 1 and "is not a basic-auth database (an MLflow tracking store" in error_line(r)
    r = cli("sqlite-to-pg", server_stores["tracking"], pg_url, "--auth-db", tmp_path / "missing.db")
    assert r.exit_code == 1 and "does not exist" in error_line(r)
    newer = tmp_path / "newer_auth.db"
    shutil.copy(server_stores["auth"], newer)
    c = sa.create_engine(f"sqlite:///{newer}").connect()
    c.exec_driver_sql("UPDATE alembic_version_auth SET version_num = 'ffffffffffff'")
    c.commit()
    c.close()
    r = cli("sqlite-to-pg", server_stores["tracking"], pg_url, "--auth-db", newer)
    assert r.exit_code == 1 and "newer than the installed MLflow" in error_line(r)
    assert pg_table_names(pg_url) == []  # nothing was written: the auth store is planned first


def test_a_pre_3_6_auth_database_is_upgraded_on_the_snapshot(cli, pg_url, tmp_path):
    from make_auth_v3_1 import ADMIN as OLD_ADMIN
    from make_auth_v3_1 import PERMISSIONS
    from make_auth_v3_1 import USERS as OLD_USERS

    src = tmp_path / "legacy"
    shutil.copytree(LEGACY, src)
    before = sha256(src / "basic_auth.db")
    r = cli("sqlite-to-pg", src / "mlflow.db", pg_url, "--auth-db", src / "basic_auth.db", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["auth"]["upgraded_from"] is None and out["auth"]["source_revision"] is not None
    assert sha256(src / "basic_auth.db") == before
    assert cli("verify", src / "basic_auth.db", pg_url).exit_code == 0
    exp = json.loads(cli("inspect", pg_url, "--json").stdout)
    assert exp["stores"]["auth"]["compared_to_installed"] == "equal"
    users = {u: (pw, PERMISSIONS[u]) for u, pw in OLD_USERS.items()}
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        shared = c.exec_driver_sql("SELECT experiment_id FROM experiments WHERE name = 'shared'").scalar()
    eng.dispose()
    with auth_server(pg_url, pg_url, tmp_path) as base:
        assert _get(base, "experiments/get", OLD_ADMIN, experiment_id=shared).status_code == 200
        for user, (pw, perm) in users.items():
            assert _get(base, "experiments/get", (user, pw), experiment_id=str(shared)).status_code == 200, user
            r = _post(base, "experiments/set-experiment-tag", (user, pw), experiment_id=str(shared), key="k", value="v")
            assert r.status_code == (403 if perm == "READ" else 200), (user, r.text)


def test_one_backup_holds_both_databases_and_restore_puts_both_back(cli, server_stores, pg_url, pg_server, tmp_path):
    from conftest import create_database, drop_database, url_for

    r = cli("backup", server_stores["tracking"], "--dest", tmp_path / "bk", "--auth-db", server_stores["auth"],
            "--json")
    assert r.exit_code == 0, r.output
    backup = json.loads(r.stdout)["backup"]
    manifest = json.loads((Path(backup) / "manifest.json").read_text())
    assert manifest["stores"] == {"tracking": manifest["schema_revision"]} and manifest["auth_stores"].keys() == {"auth"}
    # every target is checked before the first write: an existing auth target refuses the whole restore
    r = cli("restore", backup, tmp_path / "new" / "mlflow.db", "--auth-target", server_stores["auth"])
    assert r.exit_code == 1 and "without --force" in error_line(r) and not (tmp_path / "new").exists()
    r = cli("restore", backup, tmp_path / "r" / "mlflow.db", "--auth-target", tmp_path / "r" / "basic_auth.db", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["auth"]["ok"] is True
    assert cli("verify", server_stores["auth"], tmp_path / "r" / "basic_auth.db").exit_code == 0
    r = cli("restore", backup, "--check", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["auth"]["ok"] is True
    # one PostgreSQL database holding both stores: one dump holds both, restored both
    assert cli("sqlite-to-pg", server_stores["tracking"], pg_url, "--auth-db", server_stores["auth"]).exit_code == 0
    r = cli("backup", pg_url, "--dest", tmp_path / "bkpg", "--json")
    assert r.exit_code == 0, r.output
    assert set(json.loads(r.stdout)["manifest"]["stores"]) == {"tracking", "auth"}
    name = create_database(pg_server["admin"])
    try:
        url2 = url_for(pg_server["admin"], name)
        assert cli("restore", json.loads(r.stdout)["backup"], url2).exit_code == 0
        assert cli("verify", server_stores["auth"], url2).exit_code == 0
        assert cli("verify", server_stores["tracking"], url2, "--sample", "3").exit_code == 0
    finally:
        drop_database(pg_server["admin"], name)


def test_a_users_table_of_ones_own_is_refused_never_taken_for_auth(cli, sample_store, pg_url):
    from conftest import sqlite_exec

    sqlite_exec(sample_store, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO users VALUES (1, 'x')")
    r = cli("sqlite-to-pg", sample_store, pg_url)
    assert r.exit_code == 1
    assert "MLflow's schema does not create: users" in error_line(r)
    assert pg_table_names(pg_url) == []


def test_an_admin_with_the_old_default_password_is_named_after_the_move(cli, pg_url, tmp_path):
    """MLflow >= 3.17 refuses an admin's login with the password older releases shipped (password1234): the
    move says so, names the user and the way out, and never prints the password's hash."""
    from werkzeug.security import generate_password_hash  # what MLflow's auth store hashes passwords with

    src = tmp_path / "legacy"
    shutil.copytree(LEGACY, src)
    with sqlite3.connect(src / "basic_auth.db") as c:
        c.execute("UPDATE users SET password_hash = ? WHERE username = 'admin'", (generate_password_hash("password1234"),))
    r = cli("sqlite-to-pg", src / "mlflow.db", pg_url, "--auth-db", src / "basic_auth.db", "--json")
    assert r.exit_code == 0, r.output
    notes = [n for n in json.loads(r.stdout)["auth"]["notes"] if "default password" in n]
    assert len(notes) == 1 and "'admin'" in notes[0] and "MLFLOW_AUTH_ADMIN_PASSWORD" in notes[0]
    human = cli("sqlite-to-pg", src / "mlflow.db", pg_url, "--auth-db", src / "basic_auth.db", "--replace", "--yes")
    assert human.exit_code == 0 and "note: the admin user 'admin' still has the default password" in human.output
