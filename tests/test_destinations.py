"""One suite for every kind of backup destination (`backup.destination.Destination`): a local folder and object
storage (moto's standalone S3 server, reached over HTTP through MLflow's S3 artifact repository). A new kind of
destination joins the `dest` fixture's list and must pass every test here."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest

from migrator.backup import manifest as mf
from migrator.backup.destination import Destination, open_destination
from migrator.errors import Locked, MigratorError


@pytest.fixture(params=["local", "s3"])
def dest(request, tmp_path) -> Destination:
    if request.param == "local":
        return open_destination(tmp_path / "backups")
    bucket = request.getfixturevalue("bucket")
    return open_destination(f"s3://{bucket}/suite-{uuid.uuid4().hex[:6]}")


def _name(i: int) -> str:
    return f"mlflow-20261203T0900{i:02d}000000Z"


def _stage(dest: Destination, name: str, payload: bytes = b"database bytes") -> None:
    """A minimal complete backup: one database file and its manifest, written the way create_backup does."""
    with dest.staging(name) as folder:
        (folder / "store.db").write_bytes(payload)
        database = {"kind": "sqlite", "file": "store.db", "compression": "none", "schema_revision": "abc",
                    "tables": {"experiments": 1}, "stores": {"tracking": "abc"}}
        meta = {"tool": "migrator", "source": "test", "created_utc": f"2026-12-03T09:00:{name[-9:-7]}.000000Z"}
        mf.write_manifest(folder, mf.assemble(meta, database, None, None, mf.file_list(folder)))


def test_a_complete_backup_is_listed_fetched_and_read(dest, tmp_path):
    with dest.writing():
        assert dest.list_backups() == []
        _stage(dest, _name(1), b"first")
        _stage(dest, _name(2), b"second")
    listed = dest.list_backups()
    assert [b.path.name for b in listed] == [_name(2), _name(1)]  # newest first
    with dest.fetched(_name(1)) as b:
        assert b.manifest.database.schema_revision == "abc"
        mf.check_integrity(b)
        assert b.db_file.read_bytes() == b"first"
        assert dest.read_file(b, "store.db", tmp_path / "r").read_bytes() == b"first"
    assert dest.at(_name(1)).endswith(_name(1))


def test_an_unfinished_backup_is_never_listed_and_is_removed_by_the_next_run(dest):
    with dest.writing():
        with pytest.raises(RuntimeError):
            with dest.staging(_name(3)) as folder:
                (folder / "store.db").write_bytes(b"half")
                raise RuntimeError("killed")
        assert dest.list_backups() == []
    with dest.writing():
        _stage(dest, _name(4))
    assert [b.path.name for b in dest.list_backups()] == [_name(4)]


def test_deleted_backups_are_gone(dest):
    with dest.writing():
        _stage(dest, _name(5))
        _stage(dest, _name(6))
    with dest.locked():
        dest.delete(next(b for b in dest.list_backups() if b.path.name == _name(5)))
    assert [b.path.name for b in dest.list_backups()] == [_name(6)]


def test_objects_are_content_addressed(dest, tmp_path):
    src = tmp_path / "artifact.bin"
    src.write_bytes(b"artifact bytes" * 100)
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    with dest.writing():
        dest.put_object(sha, src)
        assert dest.objects() == {sha: src.stat().st_size}
        got = dest.object_file(sha, tmp_path / "got.bin")
        assert got.read_bytes() == src.read_bytes()
        dest.delete_object(sha)
        assert dest.objects() == {}


def test_a_second_writer_is_refused_while_the_lock_is_held(dest):
    other = open_destination(dest.where)
    with dest.writing():
        with pytest.raises(Locked) as ei:
            with other.writing():
                pass
        assert ei.value.exit_code == 4
    with other.writing():  # released: the next run goes ahead
        pass


def test_a_missing_destination_is_one_error(dest):
    with pytest.raises(MigratorError):
        dest.require_exists()
        with dest.fetched("no-such-backup-20261203T090000000000Z"):
            pass


def test_a_local_destination_under_a_file_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "file").write_text("x")
    d = open_destination(tmp_path / "file" / "backups")
    with pytest.raises(MigratorError):
        d.check()
    assert not Path(tmp_path / "file").is_dir()
