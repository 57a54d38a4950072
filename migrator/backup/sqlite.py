"""SQLite backups: online-backup-API snapshot, integrity_check, compression."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import MigratorError, StoreError
from ..files import open_private
from ..snapshot import snapshot_sqlite

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
    snapshot_sqlite(path, snap, require_mlflow=False)
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
        kinds = schema.kinds_in(schema.sqlite_table_names(conn))
        if not kinds:
            raise StoreError(f"{path} is a SQLite database but holds no MLflow store (no tracking or basic-auth "
                             "tables); give the file the server uses")
        stores = {k: schema.sqlite_revision(conn, k) for k in kinds}
        counts = schema.sqlite_table_counts(conn)
        rev = stores[kinds[0]]
    finally:
        conn.close()
    raw_size = snap.stat().st_size
    if method != "none":
        snap.unlink()
    return {"kind": "sqlite", "file": name, "stores": stores, "compression": method, "schema_revision": rev,
            "tables": counts,
            "database_size": raw_size, "integrity_check": "ok"}
