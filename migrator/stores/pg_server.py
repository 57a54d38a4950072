"""pgserver (an embedded PostgreSQL) started without loosening anybody's folders. Run as root, pgserver runs the
server as the user `pgserver` and, to let it in, chmods g+rx,o+rx every folder above the data folder and its
binaries, up to `/`. Here that step only checks: a folder others may not pass is named instead."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..errors import MigratorError


def traversable(path: Path) -> None:
    """Every folder above `path` lets others pass (the user pgserver must)."""
    for prefix in path.parents:
        if not prefix.stat().st_mode & stat.S_IXOTH:
            raise MigratorError(f"the embedded PostgreSQL runs as the user pgserver (migrator runs as root), which "
                                f"cannot pass through {prefix} (mode {stat.S_IMODE(prefix.stat().st_mode):04o}); "
                                "choose a folder under a path others may traverse (e.g. /srv/mlflow/pg), run migrator "
                                f"as a non-root user, or allow it yourself: chmod o+x {prefix}")


@contextmanager
def no_loosening() -> Iterator[None]:
    """While pgserver starts a server: its prefix chmod replaced by the check (as root; nothing to do else)."""
    if os.geteuid() != 0:
        yield
        return
    from pgserver import postgres_server

    traversable(postgres_server.POSTGRES_BIN_PATH)
    original = postgres_server.ensure_prefix_permissions
    postgres_server.ensure_prefix_permissions = traversable
    try:
        yield
    finally:
        postgres_server.ensure_prefix_permissions = original


def get_server(pgdata: Path, cleanup_mode: str | None) -> Any:
    import pgserver

    with no_loosening():
        if os.geteuid() == 0:
            traversable(pgdata)
        return pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
