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
from typing import Any, Iterator

_LOCK = threading.Lock()


@contextmanager
def hidden_main() -> Iterator[None]:
    """Around the code that starts worker processes (and only that: Ctrl-C waits until it ends): `__main__`
    hidden, and SIGINT blocked in this thread, so a worker begins with it blocked (the mask is inherited
    across fork and exec) until quiet_worker() takes it over, instead of dying of it half started (a "Fatal
    Python error" while it imports); a Ctrl-C meanwhile reaches this process right after (in the main thread)
    or at once (started from another thread, the main thread takes it)."""
    import signal

    with _LOCK:
        real = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
            if real is not None:
                sys.modules["__main__"] = real


def stop_pool(pool: Any) -> None:
    """End a process pool now (Ctrl-C, a failure): its workers are killed, then it is shut down. Its futures
    are not cancelled: the executor's manager thread sets an exception on each when it finds the workers
    gone, and CPython 3.11 raises InvalidStateError in that thread for a future already cancelled."""
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            p.kill()
        except Exception:  # noqa: BLE001 - a worker that is gone already
            pass
    pool.shutdown(wait=True)


def _quiet_manager_thread_race(args: Any) -> None:
    """The same CPython race when a future was cancelled by the pool itself (shutdown(cancel_futures=True)):
    not a failure of the work, never a traceback for the user."""
    if type(args.thread).__name__ == "_ExecutorManagerThread" and args.exc_type.__name__ == "InvalidStateError":
        return
    _previous_hook(args)


_previous_hook = threading.excepthook
threading.excepthook = _quiet_manager_thread_race


def quiet_worker() -> None:
    """In a worker process: Ctrl-C (SIGINT reaches the whole process group) ends it at once and silently;
    the main process says what was and was not written, in its one Error line."""
    import signal

    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # as the main process: a job started with SIGINT
        signal.signal(signal.SIGINT, lambda *_: os._exit(130))  # ignored (nohup, `cmd &`) ignores it in workers too
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while it started (hidden_main)


def default_jobs() -> int:
    """Connections (and processes) of parallel database work: the cores here, 2 to 4 (a client cannot see
    the PostgreSQL server's cores)."""
    return max(2, min(4, os.cpu_count() or 2))


def raise_if_interrupted() -> None:
    """Before calling a dead worker a crash: Ctrl-C reaches the whole process group, and a worker may die of it
    before this process's own KeyboardInterrupt surfaces. Give a pending SIGINT the moment to be raised here
    (a short sleep lets Python run its handler; a SIGINT still blocked counts too)."""
    import signal
    import time

    time.sleep(0.2)
    if signal.SIGINT in signal.sigpending():
        raise KeyboardInterrupt
