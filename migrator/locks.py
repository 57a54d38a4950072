"""One advisory file lock for runs that must not overlap (the kernel drops the lock of a dead process)."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import Locked


@contextmanager
def file_lock(path: Path, doing: str) -> Iterator[None]:
    """flock on `path` (created 0600, holding the owner's pid); a second holder gets Locked (exit 4)
    whose message says "another migrator run (pid N) <doing>; wait for it to finish".

    The file is removed when the lock is released, so a run leaves nothing behind; a run that locked a
    file which was removed meanwhile (by the previous holder) tries again on the new file."""
    for _ in range(20):
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise Locked(f"another migrator run (pid {holder}) {doing}; wait for it to finish") from None
        except BaseException:
            os.close(fd)
            raise
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    else:  # pragma: no cover - twenty lost races in a row
        raise Locked(f"could not take the lock {path}; another migrator run {doing}")
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(fd)
