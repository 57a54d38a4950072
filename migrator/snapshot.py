"""Consistent SQLite snapshots through SQLite's online backup API (safe while a server writes)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import MigratorError, UsageError
from .stores import open_sqlite_readonly, require_mlflow_sqlite, sqlite_failure


def snapshot_sqlite(src: Path, dest: Path, *, require_mlflow: bool = True, durable: bool = True) -> None:
    """Copy `src` to `dest` in one backup step (a single read transaction: consistent).

    durable=False, for snapshots that live only as long as this process: no journal and no fsync of
    `dest` (a failed backup step leaves it unusable, and it is thrown away then). That spares writing
    the whole store to disk while a migration needs the disk for PostgreSQL's WAL.
    """
    source = open_sqlite_readonly(src)
    try:
        if require_mlflow:
            require_mlflow_sqlite(source, src)
        require_room(dest.parent, store_size(src), f"a snapshot of {src}")
        fd = os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        target = sqlite3.connect(dest)
        if not durable:
            target.execute("PRAGMA synchronous = OFF")
            target.execute("PRAGMA journal_mode = OFF")
        try:
            source.backup(target, pages=-1)
        except sqlite3.DatabaseError as e:
            if "full" in str(e).lower():
                raise MigratorError(f"{dest.parent} filled up while taking a snapshot of {src} "
                                    f"({store_size(src) / 1e6:,.1f} MB needed); free space there, or give --tmpdir "
                                    "(or TMPDIR, or --dest) a folder with room") from None
            raise sqlite_failure(src, e, "cannot snapshot") from None
        finally:
            target.close()
    finally:
        source.close()


def store_size(path: Path) -> int:
    """Bytes a snapshot of a SQLite store can take: the file and its write-ahead log."""
    size = path.stat().st_size
    wal = path.with_name(path.name + "-wal")
    return size + (wal.stat().st_size if wal.exists() else 0)


def require_room(folder: Path, needed: int, what: str) -> None:
    """A clear error before the work when `folder` cannot hold `needed` bytes."""
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise MigratorError(f"{folder} has {free / 1e6:,.1f} MB free but {what} needs {needed / 1e6:,.1f} MB; "
                            "free space there, or choose a folder with room (--tmpdir or TMPDIR for temporary snapshots)")


PREFIX = "migrator-snap-"


def remove_stale_snapshots() -> None:
    """Remove snapshot folders left by runs that were killed (their process no longer exists)."""
    root = Path(tempfile.gettempdir())
    for d in root.glob(f"{PREFIX}*-*"):
        pid_text = d.name[len(PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or not d.is_dir():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except OSError:  # alive but not ours (EPERM): leave it
            continue


def use_tmpdir(folder: Path) -> None:
    """--tmpdir: every temporary folder of this process (snapshots, staging) goes under `folder`."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder; create it, or choose another folder for temporary files")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise MigratorError(f"{folder} is not writable; choose a folder for temporary files that you can write, "
                            "with room")
    tempfile.tempdir = str(folder.resolve())


def private_tempdir(kind: str) -> Path:
    """A 0700 temporary folder named after this process, so that the next run removes it if this one is
    killed (see remove_stale_snapshots)."""
    remove_stale_snapshots()
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{kind}-"))


@contextmanager
def temporary_snapshot(src: Path, *, require_mlflow: bool = True,
                       timer: Callable[[str], Any] | None = None) -> Iterator[Path]:
    """A snapshot of `src` in a private temporary folder, removed afterwards (or by the next run, if this
    process is killed)."""
    tmp = private_tempdir("snap")
    try:
        dest = tmp / "snapshot.db"
        if timer is not None:
            with timer("snapshot"):
                snapshot_sqlite(src, dest, require_mlflow=require_mlflow, durable=False)
        else:
            snapshot_sqlite(src, dest, require_mlflow=require_mlflow, durable=False)
        yield dest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def analyze(snapshot: Path) -> None:
    """Planner statistics in one of migrator's own snapshots (a sample of each index, a fraction of a second):
    without them SQLite answers MLflow's metric-history query (run_uuid = ? AND key = ?) by walking every row
    of the key, seconds per call on a big store; with them it takes its (run_uuid, key, step) index. Only
    ever on a private copy, while nothing else reads it; a failure leaves it as it was."""
    conn = sqlite3.connect(snapshot)
    try:
        conn.execute("PRAGMA analysis_limit = 1000")
        conn.execute("ANALYZE")
        conn.commit()
    except sqlite3.Error:
        conn.rollback()
    finally:
        conn.close()
