"""Every file migrator writes that holds store content is private from its first byte: files 0600,
folders 0700, whatever the umask, and an existing file's mode is fixed before anything is written."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import IO, Any, Iterable

FILE_MODE = 0o600
DIR_MODE = 0o700


def sha256_file(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def private_umask() -> None:
    """For the command line: every file the process (and its children, pg_dump among them) creates is
    0600 and every folder 0700 from the start."""
    os.umask(0o077)


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) 0700; an existing folder keeps its mode."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    return path


def open_private(path: Path, mode: str = "w", *, encoding: str | None = "utf-8") -> IO[Any]:
    """open() for a private file: created 0600, an existing one chmod-ed to 0600 before it is truncated
    (or appended to, mode "a") and written."""
    flags = os.O_WRONLY | os.O_CREAT
    flags |= os.O_APPEND if "a" in mode else os.O_TRUNC
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, mode, encoding=None if "b" in mode else encoding)
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: str | bytes) -> None:
    """Replace `path` atomically with `data` (a private temporary file in the same folder, then rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open_private(tmp, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    os.replace(tmp, path)


def writable_parent(path: Path, what: str) -> None:
    """Fail before any work when the folder of a file the user named cannot take it."""
    from .errors import MigratorError

    parent = path.expanduser().resolve().parent
    if not parent.exists():
        raise MigratorError(f"the folder of {what} {path} does not exist; create it or choose another path")
    if not parent.is_dir():
        raise MigratorError(f"{parent} (the folder of {what} {path}) is not a folder; choose another path")
    if path.is_dir():
        raise MigratorError(f"{what} {path} is a folder; give a file path")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise MigratorError(f"cannot write {what} {path}: its folder is not writable; choose another path")


def sync_folders(folders: Iterable[Path]) -> None:
    """Flush to disk everything written under `folders` (file data and the folders' entries): syncfs(2) once
    per filesystem where the C library has it (Linux), else sync(2). What pg_dump does before it reports
    success (its --no-sync turns it off)."""
    import ctypes
    import ctypes.util

    seen: set[int] = set()
    try:
        syncfs = getattr(ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True), "syncfs", None)
    except (OSError, TypeError):  # no C library to load by name (Windows): each file's close is all there is
        syncfs = None
    for folder in folders:
        try:
            dev = folder.stat().st_dev
        except OSError:
            continue
        if dev in seen:
            continue
        seen.add(dev)
        if syncfs is None:
            if hasattr(os, "sync"):
                os.sync()
            return
        fd = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(fd) != 0:
                err = ctypes.get_errno()
                raise OSError(err, os.strerror(err), str(folder))
        finally:
            os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())
