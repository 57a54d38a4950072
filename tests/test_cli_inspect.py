import json
import sqlite3

import pytest
from conftest import SAMPLE, SAMPLE_V1, SAMPLE_V2, create_database, error_line, sha256, sqlite_counts, url_for


def test_inspect_json_counts_equal_sqlite3(cli):
    for path in (SAMPLE, SAMPLE_V2, SAMPLE_V1):
        r = cli("inspect", path, "--json")
        assert r.exit_code == 0, r.output
        data = json.loads(r.stdout)
        assert data["tables"] == sqlite_counts(path)
        assert data["size_bytes"] >= path.stat().st_size


def test_inspect_does_not_upgrade_old_store(cli, sample_store_v2):
    before = sha256(sample_store_v2)
    r = cli("inspect", sample_store_v2, "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["revision"] == "0584bdc529eb"
    assert data["releases"] == "MLflow 2.18-2.22"
    assert data["compared_to_installed"] == "older"
    assert sha256(sample_store_v2) == before


def test_inspect_reports_artifact_prefixes(cli):
    data = json.loads(cli("inspect", SAMPLE, "--json").stdout)
    assert data["artifact_prefixes"]["runs.artifact_uri"] == {"mlflow-artifacts:/": 7}
    assert data["artifact_prefixes"]["model_versions.source"] == {"models:/": 3}


def test_inspect_human_output(cli):
    r = cli("inspect", f"sqlite:///{SAMPLE}")
    assert r.exit_code == 0
    assert "revision:  dc11669786a5" in r.stdout or "revision:" in r.stdout
    assert "metrics" in r.stdout


def test_inspect_postgres(cli, pg_fresh_url):
    r = cli("inspect", pg_fresh_url, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["compared_to_installed"] == "equal"
    assert data["tables"]["workspaces"] == 1


def test_missing_file(cli, tmp_path):
    r = cli("inspect", tmp_path / "nope.db")
    assert r.exit_code == 1
    assert r.stderr.strip() == f"Error: SQLite store {tmp_path / 'nope.db'} does not exist; check the path"


def test_not_sqlite(cli, tmp_path):
    p = tmp_path / "notes.db"
    p.write_text("hello, not a database\n" * 10)
    r = cli("inspect", p)
    assert r.exit_code == 1
    assert r.stderr.strip() == f"Error: {p} is not a SQLite database; give the path of an MLflow SQLite store"


def test_sqlite_but_not_mlflow(cli, tmp_path):
    p = tmp_path / "other.db"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    r = cli("inspect", p)
    assert r.exit_code == 1
    assert r.stderr.strip() == (f"Error: {p} is a SQLite database but not an MLflow tracking store "
                                "(no alembic_version/experiments tables); give the file that "
                                "`mlflow server --backend-store-uri sqlite:///FILE` uses")


@pytest.mark.parametrize("command", ["inspect", "sqlite-to-pg"])
def test_store_locked_by_a_writer(cli, sample_store, pg_url, monkeypatch, command):
    from migrator.stores import sqlite_db

    monkeypatch.setattr(sqlite_db, "SQLITE_LOCK_WAIT_S", 0.5)
    writer = sqlite3.connect(sample_store, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("UPDATE experiments SET name = name")
    try:
        r = cli(command, sample_store, *([pg_url] if command == "sqlite-to-pg" else []))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert r.exit_code == 1
    assert error_line(r) == (f"Error: cannot read SQLite store {sample_store}: database is locked (another process "
                             "held a write lock for more than 0.5 s); run again when that write is done")


def test_unreachable_postgres(cli):
    r = cli("inspect", "postgresql://alice:s3cr3t-pw@127.0.0.1:1/mlflow")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: cannot connect to PostgreSQL at postgresql+psycopg2://alice:***@127.0.0.1:1/mlflow: ")
    assert r.stderr.strip().endswith("check that the server is running and the host and port in the URL are right")
    assert len(r.stderr.strip().splitlines()) == 1
    assert "s3cr3t-pw" not in r.output


def test_wrong_password(cli, pg_server, pg_fresh_url, pg_conn_factory):
    """A role with a password, scram required for it; the wrong password is refused and never printed."""
    from sqlalchemy.engine import make_url

    admin = pg_conn_factory(url_for(pg_server["admin"], "postgres"))
    admin.execution_options(isolation_level="AUTOCOMMIT")
    admin.exec_driver_sql("DROP ROLE IF EXISTS pwuser")
    admin.exec_driver_sql("CREATE ROLE pwuser LOGIN PASSWORD 'right-pw'")
    if pg_server["pgdata"]:
        hba = f"{pg_server['pgdata']}/pg_hba.conf"
        text = open(hba).read()
        if "pwuser" not in text:
            open(hba, "w").write("local all pwuser scram-sha-256\nhost all pwuser 127.0.0.1/32 scram-sha-256\n" + text)
        admin.exec_driver_sql("SELECT pg_reload_conf()")
    bad = make_url(pg_fresh_url).set(username="pwuser", password="wr0ng-pw").render_as_string(hide_password=False)
    r = cli("inspect", bad)
    assert r.exit_code == 1
    assert "wr0ng-pw" not in r.output
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1 and line.startswith("Error: ")
    if pg_server["pgdata"]:  # an external server (MIGRATOR_TEST_PG_URL) may trust local connections
        assert line.startswith("Error: cannot connect to PostgreSQL at postgresql+psycopg2://pwuser:***@")
        assert 'password authentication failed for user "pwuser"; check the user name and password in the URL' in line


def test_role_without_privileges_gets_one_error_line(cli, sample_store, pg_server, pg_url, pg_conn_factory):
    """A role that may connect but not read the MLflow tables (or create tables in public on PostgreSQL 15+)."""
    from sqlalchemy.engine import make_url

    assert cli("sqlite-to-pg", sample_store, pg_url, "--no-verify").exit_code == 0
    admin = pg_conn_factory(url_for(pg_server["admin"], "postgres"))
    admin.execution_options(isolation_level="AUTOCOMMIT")
    admin.exec_driver_sql("DO $$ BEGIN CREATE ROLE noprivs LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    url = make_url(pg_url)
    weak = url.set(username="noprivs", password=None).render_as_string(hide_password=False)
    hint = "connect as a role that owns the database (or its MLflow tables), or have the owner GRANT the privileges"
    for args in (("inspect", weak), ("verify", sample_store, weak), ("backup", weak, "--dest", sample_store.parent / "bk")):
        r = cli(*args)
        assert r.exit_code == 1, r.output
        assert r.stderr.strip().splitlines()[-1] == (
            f"Error: PostgreSQL refused: permission denied for table alembic_version; {hint} "
            "(PostgreSQL 15+ also needs GRANT CREATE ON SCHEMA public for a new schema)"), r.output
    assert not (sample_store.parent / "bk").exists()  # a failed backup leaves nothing, not even its folder
    # a new database the role does not own: PostgreSQL 15+ lets only the owner create tables in public
    empty = make_url(url_for(pg_server["admin"], create_database(pg_server["admin"])))
    r = cli("sqlite-to-pg", sample_store, empty.set(username="noprivs", password=None).render_as_string(False))
    assert r.exit_code == 1, r.output
    assert r.stderr.strip().splitlines()[-1].startswith(
        f"Error: PostgreSQL refused to prepare the target, nothing was written: permission denied for schema public; {hint}")


def test_a_lost_connection_is_told_as_such(pg_url, pg_server, pg_conn_factory):
    """A backend that goes away mid-run (server restart, admin kill): not "cannot connect"."""
    import pytest
    import sqlalchemy as sa

    from migrator.errors import from_database_error
    from migrator.stores import parse_store
    from migrator.stores.pg_db import describe_error

    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    conn = eng.connect()
    pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    admin = pg_conn_factory(url_for(pg_server["admin"], "postgres"))
    admin.execution_options(isolation_level="AUTOCOMMIT")
    admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    with pytest.raises(sa.exc.DBAPIError) as ei:
        conn.exec_driver_sql("SELECT 1")
    conn.invalidate()
    eng.dispose()
    msg = describe_error(parse_store(pg_url).redacted, ei.value)
    assert msg.startswith("lost the connection to PostgreSQL at ") and msg.endswith("; check the server and run again")
    mapped = from_database_error(ei.value)
    assert mapped is not None and mapped.message.startswith("lost the connection to PostgreSQL: ")


def test_console_entry_point_flushes_output_and_keeps_exit_codes(tmp_path):
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-m", "migrator", "inspect", str(SAMPLE), "--json"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and json.loads(ok.stdout)["tables"] == sqlite_counts(SAMPLE)
    bad = subprocess.run([sys.executable, "-m", "migrator", "inspect", str(tmp_path / "nope.db")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert bad.stderr.strip() == f"Error: SQLite store {tmp_path / 'nope.db'} does not exist; check the path"
    usage = subprocess.run([sys.executable, "-m", "migrator", "sqlite-to-pg", "x.db", "--on-bad-row", "maybe"],
                           capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2 and "must be fail or skip" in usage.stderr


def test_a_role_that_may_not_create_a_schema_loads_in_one_transaction(cli, sample_store, pg_server, pg_conn_factory):
    """CREATE on schema public but not on the database: no staging schema; the run says so, loads on one
    connection in one transaction, and the copy is complete."""
    from sqlalchemy.engine import make_url

    name = create_database(pg_server["admin"])
    owner = pg_conn_factory(url_for(pg_server["admin"], name))
    owner.execution_options(isolation_level="AUTOCOMMIT")
    owner.exec_driver_sql("DO $$ BEGIN CREATE ROLE schemaless LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    owner.exec_driver_sql("GRANT CREATE, USAGE ON SCHEMA public TO schemaless")
    weak = make_url(url_for(pg_server["admin"], name)).set(username="schemaless", password=None)
    r = cli("sqlite-to-pg", sample_store, weak.render_as_string(False), "--jobs", "3", "--json")
    assert r.exit_code == 0, r.output
    assert "no right to create a schema" in r.stderr and "one transaction" in r.stderr
    out = json.loads(r.stdout)
    assert out["verify"]["ok"] and out["jobs"] == 1 and "commit" in out["phases"]
