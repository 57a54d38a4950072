"""Start worker processes ("spawn") without re-running the caller's main script in them.

multiprocessing's spawn start method imports the parent's `__main__` module in every child, so a
script that calls migrator without an `if __name__ == "__main__":` guard (or code read from stdin)
would run again, or fail, in each worker. Our workers only need migrator's own modules: while a
worker starts, `__main__` is hidden behind an empty module.
"""

from __future__ import annotations

import os
import sys
import threading
import types
from contextlib import contextmanager
from typing import Iterator

_LOCK = threading.Lock()


@contextmanager
def hidden_main() -> Iterator[None]:
    with _LOCK:
        real = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if real is not None:
                sys.modules["__main__"] = real


def default_jobs() -> int:
    """Connections (and processes) of parallel database work: the cores here, 2 to 4 (a client cannot see
    the PostgreSQL server's cores)."""
    return max(2, min(4, os.cpu_count() or 2))
