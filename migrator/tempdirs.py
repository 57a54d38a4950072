"""Temporary folders: private (0700), named after the process so the next run removes what a killed one left,
under --tmpdir when given, with room checked before the work."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import MigratorError


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
        if not process_alive(int(pid_text)):
            shutil.rmtree(d, ignore_errors=True)


def use_tmpdir(folder: Path) -> None:
    """--tmpdir: every temporary folder of this process (snapshots, staging) goes under `folder`."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise MigratorError(f"{folder} is not a folder; create it, or choose another folder for temporary files")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise MigratorError(f"{folder} is not writable; choose a folder for temporary files that you can write, "
                            "with room")
    tempfile.tempdir = str(folder.resolve())


@contextmanager
def scratch(kind: str) -> Iterator[Path]:
    """A private temporary folder for the block (removed after it; by the next run, if this one is killed)."""
    folder = private_tempdir(kind)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def process_alive(pid: int, started: str | None = None) -> bool:
    """`pid` runs on this host (and, when `started` is given, is the same process: its start time in clock
    ticks since boot, as /proc/PID/stat says, so a reused pid does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive but not ours (EPERM)
        pass
    return started is None or process_start(pid) in (None, started)


def process_start(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22: starttime


def private_tempdir(kind: str) -> Path:
    """A 0700 temporary folder named after this process, so that the next run removes it if this one is
    killed (see remove_stale_snapshots)."""
    remove_stale_snapshots()
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{kind}-"))


