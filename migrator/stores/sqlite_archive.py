"""SQLite archives: a dump is an online-backup-API snapshot, checked (integrity_check) and compressed; a restore
decompresses, checks and renames it into place (the old file kept aside)."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import MigratorError, StoreError
from ..files import fsync_dir, fsync_file, open_private
from ..locks import file_lock
from ..tempdirs import scratch as scratch_dir
from . import sqlite_db as lite
from .base import Restored

SUFFIX = {"gzip": ".gz", "zstd": ".zst", "none": ""}


def compress(src: Path, dest: Path, method: str) -> None:
    """Compress src into dest (src is left in place)."""
    if method == "none":
        with open(src, "rb") as fin, open_private(dest, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
        return
    with open(src, "rb") as fin, open_private(dest, "wb") as fout:
        if method == "gzip":
            with gzip.GzipFile(fileobj=fout, mode="wb", compresslevel=6, mtime=0) as gz:
                shutil.copyfileobj(fin, gz, 1 << 20)
        elif method == "zstd":
            try:
                import zstandard
            except ImportError:
                raise MigratorError("--compress zstd needs the zstandard package (pip install zstandard); "
                                    "or use --compress gzip") from None
            zstandard.ZstdCompressor(level=3, threads=-1).copy_stream(fin, fout, read_size=1 << 20)
        else:
            raise MigratorError(f"unknown compression {method!r}: use gzip, zstd or none")


def decompress(src: Path, dest: Path, method: str) -> None:
    with open(src, "rb") as fin, open_private(dest, "wb") as fout:
        if method == "gzip":
            with gzip.GzipFile(fileobj=fin, mode="rb") as gz:
                shutil.copyfileobj(gz, fout, 1 << 20)
        elif method == "zstd":
            import zstandard

            zstandard.ZstdDecompressor().copy_stream(fin, fout, read_size=1 << 20)
        else:
            shutil.copyfileobj(fin, fout, 1 << 20)


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
    return "ok" if rows == ["ok"] else "; ".join(rows[:5])


def backup_sqlite(path: Path, folder: Path, method: str, stem: str = "store") -> dict[str, Any]:
    """Snapshot into `folder`, check it, compress it; return the manifest fields it knows."""
    snap = folder / f"{stem}.db"
    lite.snapshot(path, snap, require_mlflow_store=False)
    name = snap.name + SUFFIX[method]
    with ThreadPoolExecutor(max_workers=1) as pool:
        # integrity_check (SQLite) and compression (zlib/zstd) both release the GIL: run them side by side
        checking = pool.submit(integrity, snap)
        if method == "none":
            name = snap.name
        else:
            compress(snap, folder / name, method)
        status = checking.result()
    if status != "ok":
        raise StoreError(f"the snapshot of {path} fails PRAGMA integrity_check ({status}); the store itself may "
                         f"be damaged: run sqlite3 {path} 'PRAGMA integrity_check'")
    conn = sqlite3.connect(f"file:{snap}?mode=ro", uri=True)
    try:
        db = lite.SqliteDatabase(conn, snap)
        kinds = db.kinds()
        if not kinds:
            raise StoreError(f"{path} is a SQLite database but holds no MLflow store (no tracking or basic-auth "
                             "tables); give the file the server uses")
        stores = db.revisions()
        counts = db.counts()
        rev = stores[kinds[0]]
    finally:
        conn.close()
    raw_size = snap.stat().st_size
    if method != "none":
        snap.unlink()
    return {"kind": "sqlite", "file": name, "stores": stores, "compression": method, "schema_revision": rev,
            "tables": counts,
            "database_size": raw_size, "integrity_check": "ok"}


def _read_restored(dump: Path, compression: str, dest: Path) -> tuple[str | None, dict[str, int]]:
    decompress(dump, dest, compression)
    status = integrity(dest)
    if status != "ok":
        raise MigratorError(f"the restored database fails PRAGMA integrity_check ({status})")
    with lite.SqliteDatabase(sqlite3.connect(f"file:{dest}?mode=ro", uri=True), dest) as db:
        return db.main_revision(), db.counts()


def check_restore_target(path: Path, force: bool) -> None:
    """Every refusal of a restore into `path`, before anything is written."""
    if path.is_dir():
        raise MigratorError(f"{path} is a folder; give the path of the SQLite file to restore into")
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise MigratorError(f"cannot restore to {path}: {parent} is a file, not a folder; choose another path")
    if path.exists() and not force:
        raise MigratorError(f"{path} exists; restore refuses to overwrite it without --force "
                            "(which keeps the old file aside)")


def restore_file(dump: Path, compression: str, path: Path, force: bool) -> Restored:
    check_restore_target(path, force)
    path.parent.mkdir(parents=True, exist_ok=True)
    # one restore into a file at a time; what a killed one left (.NAME.restoring-*) goes first
    with file_lock(path.with_name(f".{path.name}.migrator-restore.lock"), f"is restoring into {path}"):
        for leftover in path.parent.glob(f".{path.name}.restoring-*"):
            leftover.unlink(missing_ok=True)
        return _replace(dump, compression, path)


def _replace(dump: Path, compression: str, path: Path) -> Restored:
    tmp = path.with_name(f".{path.name}.restoring-{uuid.uuid4().hex[:8]}")
    try:
        rev, counts = _read_restored(dump, compression, tmp)
        os.chmod(tmp, 0o600)
        fsync_file(tmp)
        kept = None
        if path.exists():
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            kept = path.with_name(f"{path.name}.before-restore-{stamp}-{uuid.uuid4().hex[:6]}")
            os.rename(path, kept)
            for suffix in ("-wal", "-shm"):
                side = Path(f"{path}{suffix}")
                if side.exists():
                    os.rename(side, Path(f"{kept}{suffix}"))
        os.rename(tmp, path)
        fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return Restored(str(path), rev, counts, str(kept) if kept else None)


def drill(dump: Path, compression: str) -> Restored:
    """A restore into a temporary file, thrown away: revision and counts of what the dump holds."""
    with scratch_dir("drill") as tmp:
        rev, counts = _read_restored(dump, compression, Path(tmp) / "drill.db")
    return Restored("(scratch SQLite file)", rev, counts)
