import json
import os
import shutil
import sqlite3

import pytest
import sqlalchemy as sa
from conftest import ROOT, error_line


def _count(url_or_path, sql):
    if str(url_or_path).startswith("postgresql"):
        eng = sa.create_engine(url_or_path, poolclass=sa.pool.NullPool)
        with eng.connect() as c:
            v = c.exec_driver_sql(sql.replace("%", "%%")).scalar()
        eng.dispose()
        return v
    conn = sqlite3.connect(url_or_path)
    v = conn.execute(sql).fetchone()[0]
    conn.close()
    return v


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, cli, sample_store, pg_url):
    if request.param == "sqlite":
        return str(sample_store)
    assert cli("sqlite-to-pg", sample_store, pg_url, "--no-verify").exit_code == 0
    return pg_url


def test_rewrite_then_undo_is_identical(cli, any_store, sample_store, tmp_path):
    ref = tmp_path / "ref.db"
    shutil.copy(sample_store, ref)
    undo = tmp_path / "undo.jsonl"
    r = cli("rewrite-artifacts", any_store, "--from", "mlflow-artifacts:/", "--to", "s3://bucket/art/",
            "--undo-file", undo, "--yes", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["columns"]["runs.artifact_uri"]["changed"] == 7
    assert out["columns"]["experiments.artifact_location"]["changed"] == 4
    assert oct(undo.stat().st_mode & 0o777) == "0o600"
    assert len(undo.read_text().splitlines()) == out["changed"]
    assert _count(any_store, "SELECT count(*) FROM runs WHERE artifact_uri LIKE 's3://bucket/art/%'") == 7
    assert cli("verify", ref, any_store, "--sample", "0").exit_code == 3
    r = cli("rewrite-artifacts", any_store, "--undo", undo)
    assert r.exit_code == 0, r.output
    assert cli("verify", ref, any_store, "--sample", "5").exit_code == 0


def test_dry_run_changes_nothing(cli, any_store):
    r = cli("rewrite-artifacts", any_store, "--from", "mlflow-artifacts:/1/", "--to", "s3://b/one/", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "would change" in r.stdout and "mlflow-artifacts:/1/" in r.stdout and "s3://b/one/" in r.stdout
    assert _count(any_store, "SELECT count(*) FROM runs WHERE artifact_uri LIKE 's3://%'") == 0


def test_experiment_scope(cli, sample_store, tmp_path):
    r = cli("rewrite-artifacts", sample_store, "--from", "mlflow-artifacts:/", "--to", "s3://b/",
            "--experiment", "2", "--yes", "--undo-file", tmp_path / "u.jsonl", "--json")
    assert r.exit_code == 0, r.output
    assert _count(sample_store, "SELECT count(*) FROM experiments WHERE artifact_location LIKE 's3://%'") == 1
    assert _count(sample_store, "SELECT count(*) FROM runs WHERE artifact_uri LIKE 's3://%' AND experiment_id != 2") == 0
    assert _count(sample_store, "SELECT count(*) FROM trace_tags WHERE value LIKE 's3://b/2/traces/%'") == 1


def test_overflow_refused_on_postgres_before_any_write(cli, sample_store, pg_url):
    assert cli("sqlite-to-pg", sample_store, pg_url, "--no-verify").exit_code == 0
    long = "s3://" + "x" * 190 + "/"
    r = cli("rewrite-artifacts", pg_url, "--from", "mlflow-artifacts:/", "--to", long, "--yes")
    assert r.exit_code == 1
    line = error_line(r)
    run = _count(pg_url, "SELECT min(run_uuid) FROM runs")
    assert "would not fit their column" in line and "exceeds varchar(200)" in line
    assert f"runs (run_uuid='{run}') column artifact_uri" in line
    assert _count(pg_url, "SELECT count(*) FROM experiments WHERE artifact_location LIKE 's3://%'") == 0


def test_undo_refuses_rows_changed_since(cli, sample_store, tmp_path):
    undo = tmp_path / "u.jsonl"
    assert cli("rewrite-artifacts", sample_store, "--from", "mlflow-artifacts:/", "--to", "s3://b/", "--yes",
               "--undo-file", undo).exit_code == 0
    conn = sqlite3.connect(sample_store)
    conn.execute("UPDATE runs SET artifact_uri = 'elsewhere' WHERE run_uuid = (SELECT min(run_uuid) FROM runs)")
    conn.commit()
    conn.close()
    r = cli("rewrite-artifacts", sample_store, "--undo", undo)
    assert r.exit_code == 1
    assert "row(s) changed since the rewrite" in error_line(r)
    assert _count(sample_store, "SELECT count(*) FROM experiments WHERE artifact_location LIKE 's3://%'") == 4


def test_locked_sqlite_store(cli, sample_store):
    holder = sqlite3.connect(sample_store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = cli("rewrite-artifacts", sample_store, "--from", "mlflow-artifacts:/", "--to", "s3://b/", "--yes",
                "--busy-timeout", "0.2")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.exit_code == 4
    assert "stays locked by another process" in error_line(r)


def test_backup_dir_and_check_exists(cli, sample_store, tmp_path):
    r = cli("rewrite-artifacts", sample_store, "--from", "mlflow-artifacts:/", "--to", f"file://{tmp_path}/nowhere/",
            "--yes", "--backup-dir", tmp_path / "bk", "--check-exists", "--undo-file", tmp_path / "u.jsonl", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    backup = tmp_path / "bk" / os.path.basename(out["backup"])
    assert (backup / "manifest.json").exists() and oct(backup.stat().st_mode & 0o777) == "0o700"
    restored = tmp_path / "before.db"
    assert cli("restore", backup, restored).exit_code == 0
    assert _count(restored, "SELECT count(*) FROM runs WHERE artifact_uri LIKE 'mlflow-artifacts:/%'") == 7
    assert len(out["missing_on_disk"]) == out["changed"]


def test_client_reads_artifacts_and_model_from_new_location(cli, sample_store, tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(ROOT / "sample_data" / "mlartifacts", moved)
    r = cli("rewrite-artifacts", sample_store, "--from", "mlflow-artifacts:/", "--to", f"file://{moved}/", "--yes",
            "--check-exists", "--undo-file", tmp_path / "u.jsonl", "--json")
    assert r.exit_code == 0, r.output
    import mlflow
    from mlflow import MlflowClient

    uri = f"sqlite:///{sample_store}"
    client = MlflowClient(uri, registry_uri=uri)
    run = client.search_runs(["1"], filter_string="attributes.run_name = 'trained-model'")[0]
    path = client.download_artifacts(run.info.run_id, "notes/summary.txt", str(tmp_path / "dl"))
    assert open(path).read() == "trained on iris-mini\n"
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        model = mlflow.pyfunc.load_model("models:/iris-model@champion")
        import numpy as np

        assert list(model.predict(np.array([[0.1, 1.2], [1.5, 0.1]]))) == [0, 1]
    finally:
        mlflow.set_tracking_uri(None)
        mlflow.set_registry_uri(None)
