"""No password leaves the process in any URL form, and every file migrator writes is private."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import SAMPLE, create_database, drop_database, sqlite_exec, url_for
from sqlalchemy.engine import make_url


def _forms(admin: str, database: str) -> list[tuple[str, list[str]]]:
    """(URL, the strings that must never appear) for each way a URL can carry a password."""
    base = make_url(url_for(admin, database))
    query = "&".join(f"{k}={quote(str(v), safe='/')}" for k, v in base.query.items())
    host = base.host or ""
    port = f":{base.port}" if base.port else ""
    tail = f"{host}{port}/{database}" + (f"?{query}" if query else "")
    user = base.username or "postgres"
    if base.password:  # a server that checks passwords: the real one, in the forms it can take
        pw = base.password
        return [(f"postgresql://{user}:{quote(pw, safe='')}@{tail}", [pw, quote(pw, safe="")]),
                (f"postgresql://{user}@{tail}{'&' if query else '?'}password={quote(pw, safe='')}",
                 [pw, quote(pw, safe="")])]
    # trust authentication (the embedded server) takes any password: fake ones, every spelling
    return [(f"postgresql://{user}:Pw@with-at-9z@{tail}", ["Pw@with-at-9z", "with-at-9z"]),
            (f"postgres://{user}:Enc%40Pw7q@{tail}", ["Enc%40Pw7q", "Enc@Pw7q", "Pw7q"]),
            (f"postgresql://{user}@{tail}{'&' if query else '?'}password=QpW9xk", ["QpW9xk"])]


def _written_files(*roots: Path) -> list[Path]:
    return [p for r in roots for p in r.rglob("*") if p.is_file()]


@pytest.fixture
def secret_db(pg_server):
    names = []

    def make() -> str:
        names.append(create_database(pg_server["admin"]))
        return names[-1]

    yield make
    for n in names:
        drop_database(pg_server["admin"], n)


def test_no_password_in_any_output_or_file(cli, pg_server, secret_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outputs: list[str] = []
    secrets: list[str] = []
    secret_files: list[Path] = []
    for i, _ in enumerate(_forms(pg_server["admin"], "x")):
        db, db2 = secret_db(), secret_db()
        url, never = _forms(pg_server["admin"], db)[i]
        url2, _ = _forms(pg_server["admin"], db2)[i]
        secrets += never
        store, other = tmp_path / f"s{i}.db", tmp_path / f"other{i}.db"
        shutil.copy(SAMPLE, store)
        shutil.copy(SAMPLE, other)
        sqlite_exec(other, "UPDATE runs SET name = 'other' WHERE run_uuid = (SELECT min(run_uuid) FROM runs)")
        runs = [
            cli("sqlite-to-pg", store, url, "--json"),
            cli("sqlite-to-pg", other, url, "--json"),  # refused: the target holds other data (names the target)
            cli("inspect", url, "--json"),
            cli("verify", store, url, "--sample", "2", "--json"),
            cli("verify", store, url, "--sample", "0"),
            cli("rewrite-artifacts", url, "--from", "mlflow-artifacts:/", "--to", "s3://b/", "--dry-run", "--json"),
            cli("backup", url, "--dest", tmp_path / f"bk{i}", "--json"),
            cli("copy", url, tmp_path / f"copy{i}.db", "--json"),
            cli("inspect", url.replace(make_url(url_for(pg_server["admin"], db)).database, "no_such_db"), "--json"),
            cli("schedule", url, "--dest", tmp_path / f"bk{i}", "--at", "03:00", "--format", "cron"),
            cli("schedule", url, "--dest", tmp_path / f"bk{i}", "--at", "03:00", "--format", "k8s"),
            cli("schedule", url, "--dest", tmp_path / f"bk{i}", "--at", "03:00", "--install", "--install-dir",
                tmp_path / f"units{i}", "--credentials-file", tmp_path / f"cred{i}" / "job.pgpass"),
        ]
        assert runs[0].exit_code == 0, runs[0].output
        assert runs[1].exit_code == 1 and "--replace" in runs[1].stderr
        assert runs[6].exit_code == 0, runs[6].output
        backup = json.loads(runs[6].stdout)["backup"]
        runs.append(cli("restore", backup, url2, "--json"))
        assert runs[-1].exit_code == 0, runs[-1].output
        runs.append(cli("inspect", f"postgresql://u:{never[0]}@127.0.0.1:1/x"))
        outputs += [r.stdout + r.stderr for r in runs]
        secret_files.append(tmp_path / f"cred{i}" / "job.pgpass")  # the password file: the password, 0600
    for text in outputs:
        for s in secrets:
            assert s not in text, (s, text)
    for f in _written_files(tmp_path):
        if f in secret_files:
            assert stat.S_IMODE(f.stat().st_mode) == 0o600
            continue
        data = f.read_bytes()
        for s in secrets:
            assert s.encode() not in data, (s, f)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_every_file_migrator_writes_is_private(cli, sample_store, pg_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.umask(0o022)  # as a user's shell has it; the CLI makes its own files private regardless
    # a reject file and an undo file that already exist with mode 0644
    reject, undo = tmp_path / "rejects.jsonl", tmp_path / "undo.jsonl"
    for p in (reject, undo):
        p.write_text("old\n")
        os.chmod(p, 0o644)
    bad = tmp_path / "bad.db"
    shutil.copy(sample_store, bad)
    sqlite_exec(bad, "UPDATE experiments SET name = 'nul' || char(0) || 'here' WHERE experiment_id = "
                     "(SELECT max(experiment_id) FROM experiments)")
    r = cli("sqlite-to-pg", bad, pg_url, "--on-bad-row", "skip", "--reject-file", reject, "--no-verify")
    assert r.exit_code == 3, r.output
    r = cli("rewrite-artifacts", sample_store, "--from", "mlflow-artifacts:/", "--to", "s3://b/", "--yes",
            "--undo-file", undo)
    assert r.exit_code == 0, r.output
    r = cli("copy", SAMPLE, tmp_path / "copy.db")
    assert r.exit_code == 0, r.output
    art = tmp_path / "mlartifacts" / "0"
    art.mkdir(parents=True)
    (art / "x.txt").write_text("x")
    r = cli("backup", sample_store, "--dest", tmp_path / "bk", "--artifacts", tmp_path / "mlartifacts", "--json")
    assert r.exit_code == 0, r.output
    backup = Path(json.loads(r.stdout)["backup"])
    r = cli("restore", backup, tmp_path / "restored" / "r.db")
    assert r.exit_code == 0, r.output
    manifest = tmp_path / "artifacts.jsonl"
    manifest.write_text("")
    os.chmod(manifest, 0o644)
    r = cli("artifacts", "copy", SAMPLE, "--from", "mlflow-artifacts:/", "--to", f"{tmp_path}/moved/",
            "--artifacts-destination", SAMPLE.parent / "mlartifacts", "--manifest", manifest)
    assert r.exit_code == 0, r.output
    r = cli("schedule", "postgresql://u:pw@h/db", "--dest", tmp_path / "bk", "--at", "03:00", "--install",
            "--install-dir", tmp_path / "units", "--credentials-file", tmp_path / "cred" / "job.pgpass")
    assert r.exit_code == 0, r.output
    written = [reject, undo, manifest, *tmp_path.glob("migrator-idmap-*.json"), *backup.iterdir(),
               tmp_path / "restored" / "r.db", *(tmp_path / "units").iterdir(), tmp_path / "cred" / "job.pgpass"]
    assert len(written) >= 10
    for p in written:
        assert _mode(p) == 0o600, (p, oct(_mode(p)))
    for d in (tmp_path / "bk", backup, tmp_path / "cred"):
        assert _mode(d) == 0o700, (d, oct(_mode(d)))
    assert reject.read_text() != "old\n" and undo.read_text() != "old\n"
