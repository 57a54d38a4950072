import fcntl
import http.server
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, create_database, drop_database, error_line, sha256, sqlite_counts, url_for


def _only_backup(dest: Path) -> Path:
    items = [p for p in dest.iterdir() if not p.name.startswith(".")]
    assert len(items) == 1, items
    return items[0]


def test_sqlite_backup_restore_verify(cli, sample_store, tmp_path):
    dest = tmp_path / "bk"
    before = sha256(sample_store)
    r = cli("backup", sample_store, "--dest", dest, "--artifacts", ROOT / "sample_data" / "mlartifacts", "--json")
    assert r.exit_code == 0, r.output
    b = Path(json.loads(r.stdout)["backup"])
    m = json.loads((b / "manifest.json").read_text())
    assert m["tables"] == sqlite_counts(sample_store)
    assert m["sha256"] == sha256(b / m["file"]) and m["compression"] == "gzip" and m["integrity_check"] == "ok"
    art = ROOT / "sample_data" / "mlartifacts"
    originals = {p.relative_to(art).as_posix(): sha256(p) for p in art.rglob("*") if p.is_file()}
    index = [json.loads(line) for line in (b / m["artifacts_index"]).read_text().splitlines()]
    assert {e["path"]: e["sha256"] for e in index} == originals and m["artifacts_new_files"] == len(set(originals.values()))
    assert all(sha256(dest / "objects" / e["sha256"]) == e["sha256"] for e in index)
    assert m["files"][m["artifacts_index"]]["sha256"] == sha256(b / m["artifacts_index"])
    assert oct(dest.stat().st_mode & 0o777) == "0o700" and oct(b.stat().st_mode & 0o777) == "0o700"
    assert all(oct(f.stat().st_mode & 0o777) == "0o600" for f in [*b.iterdir(), *(dest / "objects").iterdir()])
    assert sha256(sample_store) == before
    restored = tmp_path / "restored.db"
    r = cli("restore", b, restored, "--artifacts-to", tmp_path / "art")
    assert r.exit_code == 0, r.output
    assert {p.relative_to(tmp_path / "art").as_posix(): sha256(p)
            for p in (tmp_path / "art").rglob("*") if p.is_file()} == originals
    assert cli("verify", sample_store, restored, "--sample", "5").exit_code == 0
    r = cli("restore", b, restored)
    assert r.exit_code == 1 and "without --force" in error_line(r)
    r = cli("restore", b, restored, "--force", "--json")
    assert r.exit_code == 0
    assert Path(json.loads(r.stdout)["kept_aside"]).exists()


def test_zstd_and_none_compression(cli, sample_store, tmp_path):
    for method in ("zstd", "none"):
        dest = tmp_path / method
        assert cli("backup", sample_store, "--dest", dest, "--compress", method).exit_code == 0
        assert cli("restore", _only_backup(dest), "--check").exit_code == 0


@pytest.mark.slow  # end to end, 20-35 s; run with: python -m pytest -m slow
def test_backup_while_a_client_writes(cli, store, tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", f"""
import time, mlflow
from mlflow import MlflowClient
c = MlflowClient('sqlite:///{store}')
run = c.create_run('1')
t0 = time.time(); i = 0
while time.time() - t0 < 15:
    c.log_metric(run.info.run_id, 'live', float(i), step=i); i += 1
"""])
    try:
        deadline = time.time() + 120
        while True:  # wait until the writer is really writing
            conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)
            n = conn.execute("SELECT count(*) FROM metrics WHERE key = 'live'").fetchone()[0]
            conn.close()
            if n > 5:
                break
            assert time.time() < deadline and writer.poll() is None
            time.sleep(0.2)
        dest = tmp_path / "bk"
        for _ in range(3):
            r = cli("backup", store, "--dest", dest, "--json")
            assert r.exit_code == 0, r.output
    finally:
        writer.wait(timeout=60)
    backups = sorted(p for p in dest.iterdir() if not p.name.startswith("."))
    assert len(backups) == 3
    for b in backups:
        assert cli("restore", b, "--check").exit_code == 0
    target = tmp_path / "restored.db"
    assert cli("restore", backups[-1], target).exit_code == 0
    from mlflow import MlflowClient

    runs = MlflowClient(f"sqlite:///{target}").search_runs(["1"])
    assert any("live" in r.data.metrics for r in runs)


def test_postgres_backup_restore_verify(cli, sample_store, pg_url, pg_server, tmp_path):
    assert cli("sqlite-to-pg", sample_store, pg_url, "--no-verify").exit_code == 0
    dest = tmp_path / "bk"
    r = cli("backup", pg_url, "--dest", dest, "--json")
    assert r.exit_code == 0, r.output
    b = Path(json.loads(r.stdout)["backup"])
    assert "pg_dump-custom" in json.loads((b / "manifest.json").read_text())["compression"]
    assert cli("restore", b, "--check", "--scratch-url", url_for(pg_server["admin"], "postgres")).exit_code == 0
    name = create_database(pg_server["admin"])
    try:
        url2 = url_for(pg_server["admin"], name)
        r = cli("restore", b, url2)
        assert r.exit_code == 0, r.output
        assert cli("verify", pg_url, url2, "--sample", "5").exit_code == 0
        assert cli("restore", b, url2).exit_code == 1  # not empty any more
        from mlflow import MlflowClient

        assert MlflowClient(url2).create_experiment("after-restore") == "4"
    finally:
        drop_database(pg_server["admin"], name)


def test_postgres_directory_archive_with_parallel_jobs(cli, sample_store, pg_url, pg_server, tmp_path):
    """Big stores: pg_dump -Fd with parallel workers (from one snapshot), parallel pg_restore; every file of
    the archive is in the manifest's sha256."""
    assert cli("sqlite-to-pg", sample_store, pg_url, "--no-verify").exit_code == 0
    r = cli("backup", pg_url, "--dest", tmp_path / "bk", "--pg-format", "directory", "--jobs", "2", "--json")
    assert r.exit_code == 0, r.output
    b = Path(json.loads(r.stdout)["backup"])
    m = json.loads((b / "manifest.json").read_text())
    assert m["pg_format"] == "directory" and m["pg_jobs"] == 2 and (b / m["file"]).is_dir()
    assert all(oct(p.stat().st_mode)[-3:] == "600" for p in (b / m["file"]).iterdir())
    assert cli("restore", b, "--check", "--scratch-url", url_for(pg_server["admin"], "postgres")).exit_code == 0
    name = create_database(pg_server["admin"])
    try:
        url2 = url_for(pg_server["admin"], name)
        assert cli("restore", b, url2).exit_code == 0
        assert cli("verify", pg_url, url2, "--sample", "5").exit_code == 0
    finally:
        drop_database(pg_server["admin"], name)
    part = next(p for p in (b / m["file"]).iterdir() if p.name != "toc.dat")
    part.write_bytes(part.read_bytes() + b"x")
    r = cli("restore", b, "--check")
    assert r.exit_code == 1 and "is corrupt" in error_line(r)


def test_corrupt_backups_are_refused(cli, sample_store, tmp_path):
    dest = tmp_path / "bk"
    assert cli("backup", sample_store, "--dest", dest).exit_code == 0
    good = _only_backup(dest)
    assert cli("restore", good, "--check").exit_code == 0
    flipped = tmp_path / "flipped"
    shutil.copytree(good, flipped)
    f = flipped / "store.db.gz"
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0x01
    f.write_bytes(bytes(data))
    truncated = tmp_path / "truncated"
    shutil.copytree(good, truncated)
    t = truncated / "store.db.gz"
    t.write_bytes(t.read_bytes()[:100])
    for bad in (flipped, truncated):
        target = tmp_path / f"out-{bad.name}.db"
        r = cli("restore", bad, target)
        assert r.exit_code == 1
        assert "is corrupt" in error_line(r) and "nothing was restored" in error_line(r)
        assert not target.exists()
        assert cli("restore", bad, "--check").exit_code == 1


def test_locked_destination_exits_4(cli, sample_store, tmp_path):
    dest = tmp_path / "bk"
    dest.mkdir()
    fd = os.open(dest / ".migrator.lock", os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.pwrite(fd, b"12345", 0)
    try:
        r = cli("backup", sample_store, "--dest", dest)
    finally:
        os.close(fd)
    assert r.exit_code == 4
    assert error_line(r) == f"Error: another migrator run (pid 12345) is writing backups to {dest}; wait for it to finish"


def _backup_proc(store, dest):
    return subprocess.Popen([sys.executable, "-m", "migrator", "backup", str(store), "--dest", str(dest)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def test_two_concurrent_backups_one_locked(big_store, tmp_path):
    dest = tmp_path / "bk"
    procs = [_backup_proc(big_store, dest) for _ in range(2)]
    codes = sorted(p.wait(timeout=300) for p in procs)
    assert codes == [0, 4], [p.stderr.read() for p in procs]
    assert len([p for p in dest.iterdir() if not p.name.startswith(".")]) == 1


def test_killed_backup_leaves_no_backup(cli, big_store, tmp_path):
    dest = tmp_path / "bk"
    proc = _backup_proc(big_store, dest)
    deadline = time.time() + 60
    while not (dest.exists() and any(p.name.startswith(".tmp-") for p in dest.iterdir())):
        assert time.time() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    r = cli("backups", "list", dest, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    assert cli("backup", big_store, "--dest", dest).exit_code == 0  # the dead run's lock is taken over
    assert len(json.loads(cli("backups", "list", dest, "--json").stdout)) == 1


def test_prune_command_and_retention_after_backup(cli, sample_store, tmp_path):
    dest = tmp_path / "bk"
    for _ in range(3):
        assert cli("backup", sample_store, "--dest", dest).exit_code == 0
    r = cli("backups", "prune", dest, "--keep-daily", "1", "--dry-run", "--json")
    out = json.loads(r.stdout)
    assert len(out["removed"]) == 2 and len(out["kept"]) == 1
    assert len(json.loads(cli("backups", "list", dest, "--json").stdout)) == 3
    r = cli("backup", sample_store, "--dest", dest, "--keep-daily", "1", "--json")
    assert len(json.loads(r.stdout)["pruned"]) == 3
    assert len(json.loads(cli("backups", "list", dest, "--json").stdout)) == 1
    r = cli("backups", "prune", dest)
    assert r.exit_code == 2 and "empty retention policy" in error_line(r)  # a usage mistake


def test_healthcheck_pings(cli, sample_store, tmp_path):
    hits = []

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_port}/ping/abc"
    try:
        assert cli("backup", sample_store, "--dest", tmp_path / "bk", "--healthcheck-url", url).exit_code == 0
        assert cli("backup", tmp_path / "missing.db", "--dest", tmp_path / "bk", "--healthcheck-url", url).exit_code == 1
    finally:
        srv.shutdown()
    assert hits == ["/ping/abc", "/ping/abc/fail"]


def test_schedule_formats(cli, sample_store, tmp_path):
    r = cli("schedule", sample_store, "--dest", tmp_path / "bk", "--at", "03:15", "--keep-daily", "7")
    assert r.exit_code == 0
    assert "OnCalendar=*-*-* 03:15:00" in r.stdout and "Persistent=true" in r.stdout
    assert "RandomizedDelaySec=" in r.stdout and "--keep-daily 7" in r.stdout and " backup " in r.stdout
    r = cli("schedule", sample_store, "--dest", tmp_path / "bk", "--at", "03:15", "--format", "cron")
    assert r.stdout.splitlines()[1].startswith("15 3 * * * flock -n ")
    r = cli("schedule", sample_store, "--dest", tmp_path / "bk", "--at", "3:05", "--format", "k8s")
    assert "concurrencyPolicy: Forbid" in r.stdout and 'schedule: "5 3 * * *"' in r.stdout
    r = cli("schedule", sample_store, "--dest", tmp_path / "bk", "--at", "03:15", "--install",
            "--install-dir", tmp_path / "units")
    assert r.exit_code == 0
    assert (tmp_path / "units" / "migrator-backup.timer").exists()
    assert cli("schedule", sample_store, "--dest", tmp_path, "--at", "25:00").exit_code == 2  # a usage mistake


def test_password_goes_through_environment():
    from migrator.stores import parse_store
    from migrator.stores.pg_archive import pg_args

    args, env = pg_args(parse_store("postgresql://bob:s3cret@db.example:5433/mlflow"))
    assert "s3cret" not in " ".join(args) and env["PGPASSWORD"] == "s3cret"
    assert args == ["-d", "user='bob' dbname='mlflow' host='db.example' port='5433'"]
    # a socket folder and port in the query (as pgserver and many URLs give them), libpq options kept,
    # quoting for libpq, and a password given as a query parameter stays out of argv too
    args, env = pg_args(parse_store("postgresql://bob@/ml?host=/run/pg%20x&port=5515&sslmode=disable"
                                    "&options=-csearch_path%3Dmlf&password=it%27s"))
    assert args == ["-d", "user='bob' dbname='ml' host='/run/pg x' port='5515' sslmode='disable' "
                          "options='-csearch_path=mlf'"]
    assert env["PGPASSWORD"] == "it's"


def test_metrics_file_after_every_run(cli, sample_store, tmp_path):
    from prometheus_client.parser import text_string_to_metric_families

    prom = tmp_path / "node" / "migrator.prom"
    prom.parent.mkdir()

    def metrics() -> dict:
        out = {}
        for fam in text_string_to_metric_families(prom.read_text()):
            for s in fam.samples:
                out[(s.name, s.labels.get("table"))] = s.value
        return out

    assert cli("backup", sample_store, "--dest", tmp_path / "bk", "--metrics-file", prom).exit_code == 0
    ok = metrics()
    assert ok[("migrator_backup_exit_code", None)] == 0 and ok[("migrator_backup_kept_backups", None)] == 1
    assert ok[("migrator_backup_rows", "runs")] == sqlite_counts(sample_store)["runs"]
    assert ok[("migrator_backup_bytes", None)] > 0
    assert cli("backup", tmp_path / "missing.db", "--dest", tmp_path / "bk", "--metrics-file", prom).exit_code == 1
    failed = metrics()
    assert failed[("migrator_backup_exit_code", None)] == 1
    # the last success is kept across a failed run, so an alert on its age fires
    assert failed[("migrator_backup_last_success_timestamp_seconds", None)] == \
        ok[("migrator_backup_last_success_timestamp_seconds", None)]
    assert not [p for p in prom.parent.iterdir() if p.name != "migrator.prom"]  # written atomically
    r = cli("backup", sample_store, "--dest", tmp_path / "bk", "--metrics-file", tmp_path / "m.txt")
    assert r.exit_code == 2 and ".prom" in error_line(r)
    r = cli("schedule", sample_store, "--dest", tmp_path / "bk", "--at", "03:00", "--metrics-file", prom)
    assert f"--metrics-file {prom}" in r.stdout


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze (Debian's systemd) is not here")
@pytest.mark.parametrize("store", ["postgresql://bob:pw@db.example:5432/mlflow",
                                   "postgresql://bob:pw@/mlflow?host=%2Ftmp%2Fpg%20x&port=5432",
                                   "postgresql://bob@db.example/mlflow?sslmode=require"])
def test_systemd_units_pass_systemd_analyze_verify(cli, tmp_path, store):
    """Every URL form (TCP, a socket folder written %2F, no password): the installed units load in systemd."""
    units = tmp_path / "units"
    r = cli("schedule", store, "--dest", "sftp://bob:pw%40x@h/bk", "--at", "03:00", "--install", "--install-dir", units,
            "--credentials-file", tmp_path / "secret" / "db.pgpass", "--env-file", tmp_path / "secret" / "job.env",
            "--healthcheck-url", "https://hc.example/ping/abc%20def")
    assert r.exit_code == 0, r.output
    service = (units / "migrator-backup.service").read_text()
    assert "pw" not in service.replace("PGPASSFILE", "").split("ExecStart=")[1]  # passwords stay in the 0600 files
    v = subprocess.run(["systemd-analyze", "verify", str(units / "migrator-backup.service"),
                        str(units / "migrator-backup.timer")], capture_output=True, text=True)
    assert v.returncode == 0 and "rror" not in v.stderr, v.stderr
