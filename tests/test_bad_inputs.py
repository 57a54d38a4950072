"""Hostile inputs, every command: one `Error:` line, the documented exit code, no traceback, nothing written
(no new file anywhere under the test's folders, no table in the target, the source unchanged), and with
--json a stdout that is empty or one JSON object with "ok": false."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from conftest import SAMPLE, error_line, pg_table_names, sha256

NO_JSON = ("schedule",)  # commands without --json


@dataclass
class World:
    root: Path  # everything a case may touch lives here
    store: Path  # a copy of the sample store
    corrupt: Path  # a SQLite store with pages overwritten in the middle (sqlite_master still reads)
    plain_sqlite: Path  # a SQLite file that is not an MLflow store
    text_file: Path
    pg: str  # an empty PostgreSQL database
    backup: Path  # a good backup folder (with artifacts)
    bad_manifest: Path  # a backup folder whose manifest is a JSON array


def _corrupt_copy(src: Path, dest: Path) -> None:
    shutil.copy(src, dest)
    size = dest.stat().st_size
    with open(dest, "r+b") as f:  # keep page 1 (sqlite_master) and the first pages; wreck the middle
        f.seek(max(4096 * 8, size // 3))
        f.write(os.urandom(min(4096 * 40, size // 3)))


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory):
    from typer.testing import CliRunner

    from migrator.cli import app

    d = tmp_path_factory.mktemp("goodbk")
    art = d / "mlartifacts"
    (art / "0").mkdir(parents=True)
    (art / "0" / "a.txt").write_text("hello")
    r = CliRunner().invoke(app, ["backup", str(SAMPLE), "--dest", str(d / "bk"), "--artifacts", str(art), "--json"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return Path(json.loads(r.stdout)["backup"])


@pytest.fixture
def world(tmp_path, pg_url, good_backup, monkeypatch):
    root = tmp_path / "w"
    root.mkdir()
    monkeypatch.chdir(root)  # default output files (id maps, reject and undo files) would land here
    store = root / "store.db"
    shutil.copy(SAMPLE, store)
    corrupt = root / "corrupt.db"
    _corrupt_copy(SAMPLE, corrupt)
    plain = root / "plain.db"
    c = sqlite3.connect(plain)
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    text = root / "notes.txt"
    text.write_text("not a database\n")
    backup = root / "bk" / good_backup.name
    shutil.copytree(good_backup, backup)
    bad = root / "bk" / "mlflow-20200101T000000000000Z"
    bad.mkdir()
    (bad / "manifest.json").write_text("[1, 2, 3]")
    os.chmod(root / "bk", 0o700)
    other = root / "othercluster"  # a stopped PostgreSQL cluster that is not migrator's
    other.mkdir(mode=0o700)
    (other / "PG_VERSION").write_text("15\n")
    return World(root, store, corrupt, plain, text, pg_url, backup, bad)


def _tree(root: Path) -> dict[str, tuple[int, int, int, int]]:
    """Every path under `root` (the root itself too) with its size, a file's mtime, mode and owner: a failed
    command leaves no file, changes none, and chmods or chowns nothing (a folder's mtime may move: a run may
    create and remove its own folder inside it)."""
    out = {}
    for p in [root, *sorted(root.rglob("*"))]:
        st = p.lstat()
        out[str(p.relative_to(root))] = (st.st_size if p.is_file() else -1,
                                         int(st.st_mtime_ns) if p.is_file() else 0, st.st_mode, st.st_uid)
    return out


SECRET = "s3cr3tPW"  # the password of every URL a case passes: it must never be printed
PG_SECRET = f"postgresql://bob:{SECRET}@127.0.0.1:1/db"
ART = SAMPLE.parent / "mlartifacts"


A = Callable[[World], list]
CASES: list[tuple[str, A, int, str]] = [
    # inspect
    ("inspect-missing", lambda w: ["inspect", w.root / "nope.db"], 1, "does not exist"),
    ("inspect-folder", lambda w: ["inspect", w.root], 1, "is a directory"),
    ("inspect-text-file", lambda w: ["inspect", w.text_file], 1, "is not a SQLite database"),
    ("inspect-not-mlflow", lambda w: ["inspect", w.plain_sqlite], 1, "not an MLflow tracking store"),
    ("inspect-corrupt", lambda w: ["inspect", w.corrupt], 1, "damaged"),
    ("inspect-mysql", lambda w: ["inspect", "mysql://u:pw@localhost/db"], 1, "unsupported store address scheme"),
    ("inspect-bad-sqlite-url", lambda w: ["inspect", "sqlite:"], 1, "cannot read SQLite address"),
    ("inspect-unreachable-pg", lambda w: ["inspect", "postgresql://u:pw@127.0.0.1:1/x"], 1, "cannot connect"),
    ("inspect-empty-pg", lambda w: ["inspect", w.pg], 1, "not an MLflow tracking store"),
    ("inspect-missing-pg-db", lambda w: ["inspect", w.pg.rsplit("/", 1)[0] + "/no_such_db_x" + (
        "?" + w.pg.split("?", 1)[1] if "?" in w.pg else "")], 1, "does not exist"),
    # sqlite-to-pg
    ("s2pg-bad-on-bad-row", lambda w: ["sqlite-to-pg", w.store, w.pg, "--on-bad-row", "maybe"], 2, "must be fail or skip"),
    ("s2pg-bad-mode", lambda w: ["sqlite-to-pg", w.store, w.pg, "--mode", "bogus"], 2, "must be sql or client"),
    ("s2pg-client-dry-run", lambda w: ["sqlite-to-pg", w.store, w.pg, "--mode", "client", "--dry-run"], 2, "only apply"),
    ("s2pg-rule-without-equals", lambda w: ["sqlite-to-pg", w.store, w.pg, "--rewrite-artifacts", "abc"], 2, "OLD=NEW"),
    ("s2pg-rule-empty-new", lambda w: ["sqlite-to-pg", w.store, w.pg, "--rewrite-artifacts", "mlflow-artifacts:/="], 2,
     "empty NEW"),
    ("s2pg-rule-empty-old", lambda w: ["sqlite-to-pg", w.store, w.pg, "--rewrite-artifacts", "=s3://b/"], 2, "empty OLD"),
    ("s2pg-sqlite-target", lambda w: ["sqlite-to-pg", w.store, w.root / "t.db"], 1, "must be a PostgreSQL URL"),
    ("s2pg-pg-source", lambda w: ["sqlite-to-pg", w.pg, w.pg], 1, "source and target are the same database"),
    ("move-not-a-store", lambda w: ["move", "http://127.0.0.1:9", w.pg], 1, "unsupported store address scheme"),
    ("s2pg-missing-source", lambda w: ["sqlite-to-pg", w.root / "nope.db", w.pg], 1, "does not exist"),
    ("s2pg-corrupt-source", lambda w: ["sqlite-to-pg", w.corrupt, w.pg], 1, ""),
    ("s2pg-not-mlflow-source", lambda w: ["sqlite-to-pg", w.plain_sqlite, w.pg], 1, "not an MLflow tracking store"),
    ("s2pg-reject-file-no-folder", lambda w: ["sqlite-to-pg", w.store, w.pg, "--on-bad-row", "skip", "--reject-file",
                                              w.root / "no" / "r.jsonl"], 1, "does not exist"),
    ("s2pg-replace-without-yes", lambda w: ["sqlite-to-pg", w.store, w.pg, "--replace"], 2, "--yes"),
    ("s2pg-unreachable-target", lambda w: ["sqlite-to-pg", w.store, "postgresql://u:pw@127.0.0.1:1/x"], 1,
     "cannot connect"),
    ("s2pg-mysql-target", lambda w: ["sqlite-to-pg", w.store, "mysql://u:pw@h/db"], 1, "unsupported store address"),
    # copy
    ("copy-mysql-source", lambda w: ["copy", "mysql://u:pw@127.0.0.1:1/db", w.root / "t.db"], 1, "driver"),
    ("copy-ftp-source", lambda w: ["copy", "ftp://host/x", w.pg], 1, "unsupported tracking URI scheme"),
    ("copy-id-map-no-folder", lambda w: ["copy", w.store, w.pg, "--id-map", w.root / "no" / "ids.json"], 1,
     "does not exist"),
    ("copy-workers-zero", lambda w: ["copy", w.store, w.pg, "--workers", "0"], 2, "--workers"),
    ("copy-unreachable-http", lambda w: ["copy", "http://127.0.0.1:1", w.pg], 1, "cannot reach the MLflow server"),
    ("copy-same-store", lambda w: ["copy", w.store, w.store], 1, "same store"),
    ("copy-missing-file-store", lambda w: ["copy", w.root / "mlruns", w.pg], 1, "does not exist"),
    # verify
    ("verify-negative-sample", lambda w: ["verify", w.store, w.pg, "--sample", "-5"], 2, "--sample"),
    ("verify-missing-source", lambda w: ["verify", w.root / "nope.db", w.pg], 1, "does not exist"),
    ("verify-corrupt-source", lambda w: ["verify", w.corrupt, w.store], 1, "damaged"),
    ("verify-empty-pg-target", lambda w: ["verify", w.store, w.pg], 1, "not an MLflow tracking store"),
    ("verify-bad-rule", lambda w: ["verify", w.store, w.store, "--rewrite-artifacts", "x"], 2, "OLD=NEW"),
    # rewrite-artifacts
    ("rewrite-no-pairs", lambda w: ["rewrite-artifacts", w.store, "--yes"], 2, "in pairs"),
    ("rewrite-unpaired", lambda w: ["rewrite-artifacts", w.store, "--from", "a", "--yes"], 2, "in pairs"),
    ("rewrite-no-yes", lambda w: ["rewrite-artifacts", w.store, "--from", "mlflow-artifacts:/", "--to", "s3://b/"], 2,
     "--yes"),
    ("rewrite-empty-to", lambda w: ["rewrite-artifacts", w.store, "--from", "mlflow-artifacts:/", "--to", "", "--yes"],
     2, "empty NEW"),
    ("rewrite-undo-file-no-folder", lambda w: ["rewrite-artifacts", w.store, "--from", "mlflow-artifacts:/", "--to",
                                               "s3://b/", "--yes", "--undo-file", w.root / "no" / "u.jsonl"], 1,
     "does not exist"),
    ("rewrite-undo-missing", lambda w: ["rewrite-artifacts", w.store, "--undo", w.root / "nope.jsonl"], 1,
     "does not exist"),
    ("rewrite-corrupt", lambda w: ["rewrite-artifacts", w.corrupt, "--from", "mlflow-artifacts:/", "--to", "s3://b/",
                                   "--yes"], 1, "damaged"),
    ("rewrite-not-mlflow", lambda w: ["rewrite-artifacts", w.plain_sqlite, "--from", "a/", "--to", "b/", "--yes"], 1,
     "not an MLflow tracking store"),
    # upgrade
    ("upgrade-missing-store", lambda w: ["upgrade", w.root / "nope.db", "--yes"], 1, "does not exist"),
    ("upgrade-corrupt", lambda w: ["upgrade", w.corrupt, "--yes"], 1, ""),
    ("upgrade-not-mlflow", lambda w: ["upgrade", w.plain_sqlite, "--yes"], 1, "not an MLflow tracking store"),
    ("upgrade-text-file", lambda w: ["upgrade", w.text_file, "--rehearse"], 1, ""),
    ("upgrade-empty-pg", lambda w: ["upgrade", w.pg, "--yes"], 1, "not an MLflow"),
    ("upgrade-auth-not-auth", lambda w: ["upgrade", w.store, "--auth-db", w.plain_sqlite, "--yes"], 1, "MLflow"),
    ("upgrade-backup-and-no-backup", lambda w: ["upgrade", w.store, "--backup", w.root / "b", "--no-backup"], 2,
     "exclude"),
    ("upgrade-rehearse-force", lambda w: ["upgrade", w.store, "--rehearse", "--force"], 2, "--rehearse"),
    # backup
    ("backup-dest-is-file", lambda w: ["backup", w.store, "--dest", w.text_file], 1, "is a file"),
    ("backup-dest-under-file", lambda w: ["backup", w.store, "--dest", w.text_file / "sub"], 1, "is a file"),
    ("backup-bad-compress", lambda w: ["backup", w.store, "--dest", w.root / "nb", "--compress", "bogus"], 2,
     "gzip, zstd or none"),
    ("backup-negative-keep", lambda w: ["backup", w.store, "--dest", w.root / "nb", "--keep-daily", "-1"], 2,
     "--keep-daily"),
    ("backup-missing-store", lambda w: ["backup", w.root / "nope.db", "--dest", w.root / "nb"], 1, "does not exist"),
    ("backup-corrupt-store", lambda w: ["backup", w.corrupt, "--dest", w.root / "nb"], 1, ""),
    ("backup-artifacts-not-folder", lambda w: ["backup", w.store, "--dest", w.root / "nb", "--artifacts", w.text_file],
     1, "is not a folder"),
    ("backup-empty-pg", lambda w: ["backup", w.pg, "--dest", w.root / "nb"], 1, "not an MLflow tracking store"),
    # restore
    ("restore-missing-backup", lambda w: ["restore", w.root / "nobk", w.root / "r.db"], 1, "not a migrator backup"),
    ("restore-array-manifest", lambda w: ["restore", w.bad_manifest, w.root / "r.db"], 1, "damaged"),
    ("restore-parent-is-file", lambda w: ["restore", w.backup, w.text_file / "r.db"], 1, "is a file"),
    ("restore-existing-no-force", lambda w: ["restore", w.backup, w.store], 1, "without --force"),
    ("restore-artifacts-to-file", lambda w: ["restore", w.backup, w.root / "r.db", "--artifacts-to", w.text_file], 1,
     "is a file"),
    ("restore-no-target", lambda w: ["restore", w.backup], 2, "TARGET"),
    ("restore-sqlite-backup-to-pg", lambda w: ["restore", w.backup, w.pg], 1, "SQLite backup"),
    # backups
    ("backups-list-missing", lambda w: ["backups", "list", w.root / "nobk"], 1, "does not exist"),
    ("backups-prune-missing", lambda w: ["backups", "prune", w.root / "nobk", "--keep-daily", "1"], 1, "does not exist"),
    ("backups-prune-no-policy", lambda w: ["backups", "prune", w.backup.parent], 2, "empty retention policy"),
    ("backups-prune-negative", lambda w: ["backups", "prune", w.backup.parent, "--keep-daily", "-1"], 2, "--keep-daily"),
    # schedule
    ("schedule-bad-time", lambda w: ["schedule", w.store, "--dest", w.root / "nb", "--at", "25:99"], 2, "HH:MM"),
    ("schedule-bad-format", lambda w: ["schedule", w.store, "--dest", w.root / "nb", "--at", "03:00", "--format",
                                       "bogus"], 2, "unknown --format"),
    # embedded
    ("embedded-status-nothing", lambda w: ["embedded", "status", w.root / "nopg"], 1, "holds no embedded PostgreSQL"),
    ("embedded-stop-nothing", lambda w: ["embedded", "stop", w.root / "nopg"], 1, "holds no embedded PostgreSQL"),
    ("embedded-start-not-a-cluster", lambda w: ["embedded", "start", w.root / "bk"], 1,
     "not a folder of migrator's embedded PostgreSQL"),
    ("embedded-start-file", lambda w: ["embedded", "start", w.text_file], 1, "is a file"),
    ("embedded-stop-other-cluster", lambda w: ["embedded", "stop", w.root / "othercluster"], 1,
     "holds no embedded PostgreSQL"),
    # basic-auth stores named by mistake
    ("s2pg-auth-db-url", lambda w: ["sqlite-to-pg", w.store, w.pg, "--auth-db", PG_SECRET], 2, "must be a SQLite file"),
    ("s2pg-auth-target-file", lambda w: ["sqlite-to-pg", w.store, w.pg, "--auth-target", w.root / "a.db"], 2,
     "must be a PostgreSQL URL"),
    ("s2pg-auth-db-missing", lambda w: ["sqlite-to-pg", w.store, w.pg, "--auth-db", w.root / "nope.db"], 1,
     "does not exist"),
    ("restore-auth-target-no-auth", lambda w: ["restore", w.backup, w.root / "r.db", "--auth-target",
                                               w.root / "a.db"], 1, "holds no basic-auth database"),
    ("backup-auth-db-not-auth", lambda w: ["backup", w.store, "--dest", w.root / "nb", "--auth-db", w.plain_sqlite],
     1, ""),
    # artifacts copy | verify
    ("artifacts-copy-unpaired", lambda w: ["artifacts", "copy", w.store, "--from", "mlflow-artifacts:/"], 2, "in pairs"),
    ("artifacts-copy-manifest-not-ours", lambda w: ["artifacts", "copy", w.store, "--from", "mlflow-artifacts:/",
                                                    "--to", w.root / "moved", "--artifacts-destination", ART,
                                                    "--manifest", w.text_file], 1, "not a migrator artifact manifest"),
    ("artifacts-copy-manifest-folder", lambda w: ["artifacts", "copy", w.store, "--from", "mlflow-artifacts:/",
                                                  "--to", w.root / "moved", "--artifacts-destination", ART,
                                                  "--manifest", w.root / "bk"], 1, "is a folder"),
    ("artifacts-copy-no-served-from", lambda w: ["artifacts", "copy", w.store, "--from", "mlflow-artifacts:/",
                                                 "--to", w.root / "moved", "--artifacts-destination", w.root / "nope"],
     1, "--artifacts-destination"),
    ("artifacts-copy-to-under-file", lambda w: ["artifacts", "copy", w.store, "--from", "mlflow-artifacts:/", "--to",
                                                w.text_file / "x", "--artifacts-destination", ART], 1, "is a file"),
    ("artifacts-copy-needs-served-from", lambda w: ["artifacts", "copy", w.store, "--from", "mlflow-artifacts:/",
                                                    "--to", w.root / "moved"], 2, "--artifacts-destination"),
    ("artifacts-verify-no-served-from", lambda w: ["artifacts", "verify", w.store, "--from", "mlflow-artifacts:/",
                                                   "--to", w.root / "moved", "--artifacts-destination",
                                                   w.root / "nope"], 1, "--artifacts-destination"),
    ("artifacts-copy-pg-secret", lambda w: ["artifacts", "copy", PG_SECRET, "--from", "a/", "--to", "b/"], 1,
     "cannot connect"),
    # --tmpdir (exit 1: what it names is not as needed; README, Exit codes)
    ("tmpdir-missing", lambda w: ["verify", w.store, w.store, "--tmpdir", w.root / "nope"], 1, "--tmpdir"),
    ("tmpdir-file", lambda w: ["sqlite-to-pg", w.store, w.pg, "--tmpdir", w.text_file], 1, "--tmpdir"),
    # schedule: a refused install writes nothing (no password file either)
    ("schedule-install-units-under-file", lambda w: ["schedule", PG_SECRET, "--dest", w.root / "nb", "--at", "03:00",
                                                     "--install", "--install-dir", w.text_file / "units",
                                                     "--credentials-file", w.root / "secret" / "x.pgpass"], 1,
     "is a file"),
    ("schedule-install-env-under-file", lambda w: ["schedule", w.store, "--dest", f"sftp://bob:{SECRET}@h/b", "--at",
                                                   "03:00", "--install", "--install-dir", w.root / "units",
                                                   "--env-file", w.text_file / "x.env"], 1, "is a file"),
    # passwords in every URL a command echoes
    ("backup-dest-secret-url", lambda w: ["backup", w.store, "--dest", f"ftp://bob:{SECRET}@127.0.0.1:1/x"], 1, ""),
    ("verify-secret-target", lambda w: ["verify", w.store, PG_SECRET], 1, "cannot connect"),
    ("inspect-secret-with-at", lambda w: ["inspect", f"postgresql://bob:{SECRET}@x@127.0.0.1:1/db"], 1,
     "cannot connect"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input(cli, world, case):
    _, make, code, needle = case
    args = [str(a) for a in make(world)]
    as_json = args[0] not in NO_JSON
    if as_json:
        args.append("--json")
    before_tree, before_sha = _tree(world.root), sha256(world.store)
    tables_before = pg_table_names(world.pg)
    r = cli(*args)  # catch_exceptions=False: a traceback fails the test
    assert r.exit_code == code, r.output
    line = error_line(r)  # exactly one Error: line
    assert needle in line, line
    assert "Traceback" not in r.output and SECRET not in r.output
    assert _tree(world.root) == before_tree, "something was written"
    assert sha256(world.store) == before_sha
    assert pg_table_names(world.pg) == tables_before
    if as_json and r.stdout.strip():
        out = json.loads(r.stdout)
        assert out["ok"] is False and out["error"] in line


def test_enough_cases():
    assert len(CASES) >= 50


def test_a_damaged_manifest_does_not_hide_the_good_backups(cli, world):
    r = cli("backups", "list", world.backup.parent, "--json")
    assert r.exit_code == 0, r.output
    assert [Path(b["backup"]).name for b in json.loads(r.stdout)] == [world.backup.name]
    r = cli("backups", "prune", world.backup.parent, "--keep-daily", "1", "--dry-run", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["kept"] == [world.backup.name]


def test_restore_takes_the_data_file_for_its_folder(cli, world):
    r = cli("restore", world.backup / json.loads((world.backup / "manifest.json").read_text())["file"],
            world.root / "restored.db", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["ok"] is True and (world.root / "restored.db").exists()


def test_rewrite_on_a_store_locked_past_busy_timeout_exits_4(cli, world):
    writer = sqlite3.connect(world.store, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        r = cli("rewrite-artifacts", world.store, "--from", "mlflow-artifacts:/", "--to", "s3://b/", "--yes",
                "--busy-timeout", "0.5")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert r.exit_code == 4, r.output
    assert "--busy-timeout" in error_line(r)
    assert not list(world.root.glob("migrator-undo-*"))
