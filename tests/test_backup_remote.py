"""Backups to object storage: a real S3-compatible server (moto's standalone server on 127.0.0.1, reached
over HTTP by boto3 through MLflow's S3 artifact repository); incremental content-addressed artifacts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
from conftest import create_database, drop_database, error_line, sha256, sqlite_counts, url_for


def _s3(s3_server):
    return boto3.client("s3", endpoint_url=s3_server["url"])


def _keys(s3, bucket: str, prefix: str = "") -> dict[str, int]:
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out.update({o["Key"]: o["Size"] for o in page.get("Contents", [])})
    return out


def _artifact_root(root: Path, n: int) -> Path:
    """n small files in nested run folders, as an mlflow server's ./mlartifacts holds them."""
    for i in range(n):
        p = root / "1" / f"run{i % 7:02d}" / "artifacts" / f"d{i % 3}" / f"f{i:04d}.bin"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(f"artifact {i}\n".encode() * (1 + i % 50))
    return root


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256(p) for p in root.rglob("*") if p.is_file()}


def test_sqlite_store_and_artifacts_to_s3_incremental(cli, sample_store, s3_server, bucket, tmp_path):
    s3 = _s3(s3_server)
    dest = f"s3://{bucket}/nightly"
    art = _artifact_root(tmp_path / "mlartifacts", 520)
    r = cli("backup", sample_store, "--dest", dest, "--artifacts", art, "--jobs", "8", "--json")
    assert r.exit_code == 0, r.output
    first = json.loads(r.stdout)
    assert first["backup"].startswith(dest + "/") and first["manifest"]["artifacts_new_files"] == 520
    for i in range(10):  # ten files change between the two nights
        (art / "1" / f"run{i % 7:02d}" / "artifacts" / f"d{i % 3}" / f"f{i:04d}.bin").write_bytes(f"new {i}".encode())
    r = cli("backup", sample_store, "--dest", dest, "--artifacts", art, "--jobs", "8", "--json")
    assert r.exit_code == 0, r.output
    second = json.loads(r.stdout)
    m = second["manifest"]
    assert (m["artifacts_files"], m["artifacts_new_files"]) == (520, 10)
    objects = _keys(s3, bucket, "nightly/objects/")
    assert len(objects) == 530
    r = cli("backups", "list", dest, "--json")
    assert r.exit_code == 0, r.output
    listed = json.loads(r.stdout)
    assert [b["backup"] for b in listed] == [second["backup"], first["backup"]]

    # retention: the first goes, and with it the ten objects only it referenced
    r = cli("backups", "prune", dest, "--keep-daily", "1", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["removed_objects"] == 10 and len(json.loads(r.stdout)["kept"]) == 1
    assert len(_keys(s3, bucket, "nightly/objects/")) == 520
    assert not _keys(s3, bucket, "nightly/" + first["backup"].rsplit("/", 1)[1])
    restored = tmp_path / "restored.db"
    r = cli("restore", second["backup"], restored, "--artifacts-to", tmp_path / "back", "--jobs", "8", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["artifacts_restored"] == 520
    assert _tree(tmp_path / "back") == _tree(art)
    assert sqlite_counts(restored) == sqlite_counts(sample_store)

    # artifacts back into another bucket (restore --artifacts-to URI)
    other = f"b{bucket[1:]}x"
    s3.create_bucket(Bucket=other)
    r = cli("restore", second["backup"], tmp_path / "r2.db", "--artifacts-to", f"s3://{other}/mlartifacts", "--jobs", "8")
    assert r.exit_code == 0, r.output
    assert len(_keys(s3, other, "mlartifacts/")) == 520

    # one uploaded object altered: restore and the drill name it
    name = second["backup"].rsplit("/", 1)[1]
    key = f"nightly/{name}/{m['file']}"
    good = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    s3.put_object(Bucket=bucket, Key=key, Body=b"not a database")
    r = cli("restore", second["backup"], tmp_path / "r3.db")
    assert r.exit_code == 1 and m["file"] in error_line(r) and "corrupt" in error_line(r)
    assert not (tmp_path / "r3.db").exists()
    some = sorted(objects)[0]
    sha = some.rsplit("/", 1)[1]
    body = s3.get_object(Bucket=bucket, Key=some)["Body"].read()
    s3.put_object(Bucket=bucket, Key=some, Body=bytes([body[0] ^ 1]) + body[1:])
    s3.put_object(Bucket=bucket, Key=key, Body=good)  # the database is whole again: only the object is damaged
    r = cli("restore", second["backup"], "--check")
    assert r.exit_code == 3 and sha in r.output
    r = cli("restore", second["backup"], tmp_path / "r4.db", "--artifacts-to", tmp_path / "back4")
    assert r.exit_code == 1 and sha in error_line(r) and "corrupt" in error_line(r)


def test_killed_upload_leaves_nothing_listed_and_the_next_run_succeeds(cli, sample_store, s3_server, bucket, tmp_path):
    s3 = _s3(s3_server)
    dest = f"s3://{bucket}/bk"
    art = _artifact_root(tmp_path / "mlartifacts", 800)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "MIGRATOR_LOCK_TTL": "3", "PYTHONWARNINGS": "ignore", "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "migrator", "backup", str(sample_store), "--dest", dest,
                             "--artifacts", str(art), "--jobs", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_keys(s3, bucket, "bk/objects/")) < 50:
        assert proc.poll() is None and time.monotonic() < deadline, "the backup ended before it could be killed"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert "bk/migrator.lock" in _keys(s3, bucket, "bk/")  # the dead run's lock is still there
    r = cli("backups", "list", dest, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    # a second kind of leftover: a backup folder whose manifest never arrived
    s3.put_object(Bucket=bucket, Key="bk/sample-20260101T000000000000Z/store.db.gz", Body=b"partial")
    assert any(str(proc.pid) in p.name for p in scratch.iterdir())  # the killed run's temporary folders
    # the lock's holder was on this host and its process is gone: the rerun right after the kill takes it over
    r = subprocess.run([sys.executable, "-m", "migrator", "backup", str(sample_store), "--dest", dest, "--artifacts",
                        str(art), "--jobs", "8", "--json"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert list(scratch.iterdir()) == []  # and removes what the killed run left in the temporary folder
    m = json.loads(r.stdout)["manifest"]
    assert m["artifacts_files"] == 800 and 0 < m["artifacts_new_files"] < 800  # the killed run's objects reused
    keys = _keys(s3, bucket, "bk/")
    assert not any(k.startswith("bk/sample-20260101T") for k in keys) and "bk/migrator.lock" not in keys
    assert len(json.loads(cli("backups", "list", dest, "--json").stdout)) == 1
    # a lock held on another host cannot be proven dead: it holds until it expires
    lock = {"owner": "x", "host": "another-host", "pid": 1, "started_utc": "2026-12-03T00:00:00Z",
            "expires_unix": time.time() + 3, "tool": "migrator"}
    s3.put_object(Bucket=bucket, Key="bk/migrator.lock", Body=json.dumps(lock).encode())
    r = cli("backup", sample_store, "--dest", dest)
    assert r.exit_code == 4 and "another-host" in error_line(r) and "expires at" in error_line(r)
    time.sleep(3.2)
    assert cli("backup", sample_store, "--dest", dest).exit_code == 0


def test_postgres_store_to_s3_directory_archive_jobs_4(cli, sample_store, pg_url, pg_server, s3_server, bucket,
                                                       tmp_path):
    """pg_dump -Fd with 4 workers, uploaded file by file; parallel pg_restore from the bucket; verify equal;
    one altered file of the archive is named on restore."""
    assert cli("sqlite-to-pg", sample_store, pg_url, "--no-verify").exit_code == 0
    dest = f"s3://{bucket}/pg"
    r = cli("backup", pg_url, "--dest", dest, "--pg-format", "directory", "--jobs", "4", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    m = out["manifest"]
    assert m["pg_format"] == "directory" and m["pg_jobs"] == 4
    parts = [k for k in m["files"] if k.startswith(m["file"] + "/")]
    assert "pg/" + out["backup"].rsplit("/", 1)[1] + "/" + parts[0] in _keys(_s3(s3_server), bucket, "pg/")
    assert cli("restore", out["backup"], "--check", "--scratch-url", url_for(pg_server["admin"], "postgres")).exit_code == 0
    name = create_database(pg_server["admin"])
    try:
        url2 = url_for(pg_server["admin"], name)
        r = cli("restore", out["backup"], url2, "--jobs", "4")
        assert r.exit_code == 0, r.output
        assert cli("verify", pg_url, url2).exit_code == 0
    finally:
        drop_database(pg_server["admin"], name)
    part = next(p for p in parts if not p.endswith("toc.dat"))
    key = f"pg/{out['backup'].rsplit('/', 1)[1]}/{part}"
    _s3(s3_server).put_object(Bucket=bucket, Key=key, Body=b"x")
    r = cli("restore", out["backup"], "--check")
    assert r.exit_code == 1 and part in error_line(r)


def test_remote_destination_faults_are_one_line(cli, sample_store, s3_server, bucket, tmp_path):
    r = cli("backup", sample_store, "--dest", "s3://no-such-bucket-here/x")
    assert r.exit_code == 1 and "no-such-bucket-here" in error_line(r) and "Traceback" not in r.output
    assert not list(tmp_path.glob("s3*"))  # never a local folder named after the URI
    r = cli("backups", "list", f"s3://{bucket}/empty", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    r = cli("restore", f"s3://{bucket}/empty/sample-20260101T000000000000Z", tmp_path / "x.db")
    assert r.exit_code == 1 and "not a complete migrator backup" in error_line(r)
    _s3(s3_server).put_object(Bucket=bucket, Key="held/migrator.lock", Body=json.dumps(
        {"owner": "x", "host": "elsewhere", "pid": 1, "started_utc": "2026-12-01T00:00:00Z",
         "expires_unix": time.time() + 3600}).encode())
    r = cli("backup", sample_store, "--dest", f"s3://{bucket}/held")
    assert r.exit_code == 4 and "elsewhere" in error_line(r)
    _s3(s3_server).put_object(Bucket=bucket, Key="held/migrator.lock", Body=json.dumps(
        {"owner": "x", "host": "elsewhere", "pid": 1, "expires_unix": time.time() - 1}).encode())
    assert cli("backup", sample_store, "--dest", f"s3://{bucket}/held").exit_code == 0  # a stale lock is taken over


def test_schedule_keeps_storage_credentials_out_of_units(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s3cr3t/with'quote")
    monkeypatch.setenv("MLFLOW_S3_ENDPOINT_URL", "http://minio:9000")
    store = "postgresql://mlflow:pgpw123@db/mlflow"
    common = ["--dest", "s3://backups/mlflow", "--artifacts", "s3://artifacts/mlartifacts", "--at", "02:30",
              "--keep-daily", "7", "--metrics-file", tmp_path / "m.prom"]
    units, env_file = tmp_path / "units", tmp_path / "cfg" / "job.env"
    r = cli("schedule", store, *common, "--install", "--install-dir", units, "--env-file", env_file,
            "--credentials-file", tmp_path / "cfg" / "job.pgpass")
    assert r.exit_code == 0, r.output
    service = (units / "migrator-backup.service").read_text()
    assert f"EnvironmentFile={env_file}" in service and "--dest s3://backups/mlflow" in service
    assert "--artifacts s3://artifacts/mlartifacts" in service and "--metrics-file" in service
    env_text = env_file.read_text()
    assert oct(env_file.stat().st_mode & 0o777) == "0o600" and "AWS_SECRET_ACCESS_KEY=" in env_text
    # the file reads back through sh as it is (what cron does)
    out = subprocess.run(["sh", "-c", f"set -a && . {env_file} && printf %s \"$AWS_SECRET_ACCESS_KEY\""],
                         capture_output=True, text=True).stdout
    assert out == "s3cr3t/with'quote"
    r = cli("schedule", store, *common, "--format", "cron", "--env-file", env_file)
    r2 = cli("schedule", store, *common, "--format", "k8s")
    for text in (service, r.stdout, r2.stdout, (units / "migrator-backup.timer").read_text()):
        assert "s3cr3t" not in text and "AKIAEXAMPLEKEY" not in text and "pgpw123" not in text
    assert "set -a" in r.stdout and str(env_file) in r.stdout
    assert "key: AWS_SECRET_ACCESS_KEY" in r2.stdout and "key: PGPASSWORD" in r2.stdout
