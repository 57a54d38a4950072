"""What recent MLflow releases brought, kept honest across the tools: gateway secrets read back with MLflow's
own crypto code (and the development passphrase named), the job runner's leases judged by their time, and
no row compare across schema revisions."""

from __future__ import annotations

import json
import shutil
import sqlite3

from conftest import ROOT

OLD = ROOT / "sample_data" / "old_servers"


def _store_with_secrets(tmp_path, monkeypatch):
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    db = tmp_path / "s.db"
    monkeypatch.delenv("MLFLOW_CRYPTO_KEK_PASSPHRASE", raising=False)
    st = SqlAlchemyStore(f"sqlite:///{db}", str(tmp_path / "art"))
    st.create_gateway_secret("dev-key", {"api_key": "sk-dev-value-1"})  # MLflow's development passphrase
    monkeypatch.setenv("MLFLOW_CRYPTO_KEK_PASSPHRASE", "prod-passphrase-1")
    st.create_gateway_secret("prod-key", {"api_key": "sk-prod-value-1"})
    st.engine.dispose()
    monkeypatch.delenv("MLFLOW_CRYPTO_KEK_PASSPHRASE")
    return db


def test_secrets_are_read_back_with_mlflows_crypto_and_the_development_passphrase_is_named(cli, tmp_path,
                                                                                           monkeypatch):
    db = _store_with_secrets(tmp_path, monkeypatch)
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    r = cli("inspect", db)
    assert r.exit_code == 0 and "development passphrase" in r.stdout
    monkeypatch.setenv("NEW_KEK", "prod-passphrase-1")
    r = cli("verify", db, copy, "--kek-passphrase-env", "NEW_KEK", "--sample", "0", "--json")
    assert r.exit_code == 3
    checks = {c["name"]: c for c in json.loads(r.stdout)["checks"]}
    assert not checks["gateway secrets decrypt"]["ok"] and "dev-key" in checks["gateway secrets decrypt"]["detail"]
    assert "prod-key" not in checks["gateway secrets decrypt"]["detail"]
    assert "development passphrase" in checks["gateway secrets passphrase"]["detail"]
    assert "sk-" not in r.stdout + r.stderr and "prod-passphrase-1" not in r.stdout + r.stderr
    # only the secret made under the production passphrase: every one decrypts
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM secrets WHERE secret_name = 'dev-key'")
    conn.commit()
    conn.close()
    shutil.copy(copy, db)
    r = cli("verify", db, copy, "--kek-passphrase-env", "NEW_KEK", "--sample", "0", "--json")
    assert r.exit_code == 0, r.stdout
    checks = {c["name"]: c for c in json.loads(r.stdout)["checks"]}
    assert checks["gateway secrets decrypt"]["ok"] and "gateway secrets passphrase" not in checks
    r = cli("verify", db, copy, "--kek-passphrase-env", "NO_SUCH_VARIABLE_SET")
    assert r.exit_code == 1 and "NO_SUCH_VARIABLE_SET" in r.stderr and r.stderr.count("Error:") == 1


def test_live_leases_of_the_old_job_runner_are_named_with_the_time_they_lapse(cli, tmp_path):
    import time

    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    db = tmp_path / "s.db"
    SqlAlchemyStore(f"sqlite:///{db}", str(tmp_path / "art")).engine.dispose()
    conn = sqlite3.connect(db)
    now = int(time.time() * 1000)
    conn.execute("INSERT INTO scheduler_leases (lease_key, acquired_at, ttl_seconds) VALUES ('old', ?, 30)",
                 (now - 3_600_000,))
    conn.commit()
    r = cli("inspect", db)
    assert r.exit_code == 0 and "still run" not in r.stdout  # lapsed an hour ago: harmless
    conn.execute("INSERT INTO scheduler_leases (lease_key, acquired_at, ttl_seconds) VALUES ('live', ?, 600)", (now,))
    conn.commit()
    conn.close()
    r = cli("inspect", db)
    assert r.exit_code == 0 and "still run" in r.stdout and "UTC" in r.stdout


def test_verify_never_compares_rows_across_revisions(cli, tmp_path, pg_server):
    from test_upgrade import load_pg

    db = tmp_path / "mlflow.db"
    shutil.copy(OLD / "3.10.1" / "mlflow.db", db)
    r = cli("upgrade", db, "--yes", "--no-backup", "--no-server-check")
    assert r.exit_code == 0, r.stderr
    old = load_pg(pg_server["admin"], "3.10.1")  # the same data, at 3.10's revision, read in place
    r = cli("verify", db, old, "--json")
    assert r.exit_code == 3
    out = json.loads(r.stdout)
    rows = next(c for c in out["checks"] if c["name"] == "rows")
    assert not rows["ok"] and "not compared" in rows["detail"] and "migrator upgrade" in rows["detail"]
    assert out["tables"] == []


def test_inspect_lists_workspaces_with_their_rows(cli, tmp_path):
    db = tmp_path / "mlflow.db"
    shutil.copy(OLD / "3.10.1" / "mlflow.db", db)  # a 3.10 server: every row in workspace "default"
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO workspaces (name, description) VALUES ('team-a', 'a second team')")
    conn.execute("UPDATE experiments SET workspace = 'team-a' WHERE name = 'private'")
    conn.commit()
    conn.close()
    r = cli("inspect", db, "--json")
    assert r.exit_code == 0
    spaces = json.loads(r.stdout)["workspaces"]
    assert spaces["default"]["experiments"] == 2 and spaces["team-a"] == {"experiments": 1}
    assert spaces["default"]["registered_models"] == 1
    r = cli("inspect", db)
    assert "team-a: experiments 1" in r.stdout
