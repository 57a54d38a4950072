"""Statements spread over several PostgreSQL connections: a small scheduler of tasks with dependencies.

Each worker thread owns one connection (psycopg2 releases the GIL while PostgreSQL works). A task runs
once every task it depends on has finished, biggest first among the ready ones. The first failure
cancels the statements still running on the other connections and is raised in the caller; so does
Ctrl-C. With one connection (the single-transaction path) the tasks run in the calling thread.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

if TYPE_CHECKING:  # SQLAlchemy and psycopg2 load on first use: copy workers (direct.py) import this package too
    import sqlalchemy as sa


DEADLOCK = "40P01"


@dataclass
class Task:
    name: str
    run: Callable[[sa.Connection], Any]
    cost: float = 0.0
    after: set[str] = field(default_factory=set)
    seconds: float = 0.0  # how long it ran


class Connections:
    """`n` connections made by `connect` (lazily, one per worker thread), or the one given."""

    def __init__(self, connect: Callable[[], sa.Connection] | None, n: int, single: sa.Connection | None = None) -> None:
        self.connect, self.n, self.single = connect, max(1, n), single
        self._local = threading.local()
        self._all: list[sa.Connection] = []
        self._lock = threading.Lock()

    @property
    def parallel(self) -> bool:
        return self.single is None and self.n > 1

    def mine(self) -> sa.Connection:
        if self.single is not None:
            return self.single
        conn = getattr(self._local, "conn", None)
        if conn is None:
            assert self.connect is not None
            conn = self.connect()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def cancel(self) -> None:
        """Stop whatever statement each connection is running (from another thread)."""
        with self._lock:
            conns = list(self._all)
        for c in conns:
            try:
                raw = c.connection.dbapi_connection
                if raw is not None:
                    raw.cancel()
            except Exception:  # noqa: BLE001 - a connection already gone has nothing to cancel
                pass

    def close(self) -> None:
        with self._lock:
            conns, self._all = list(self._all), []
        for c in conns:
            try:
                c.close()
            except Exception:  # noqa: BLE001
                pass


def run_tasks(tasks: Sequence[Task], conns: Connections, stoppers: Sequence[Callable[[], None]] = ()) -> None:
    """Run every task (respecting `after`); raise the first error after stopping the rest (`stoppers`: what
    stops work the tasks started outside these connections, such as worker processes)."""
    names = {t.name for t in tasks}
    pending = {t.name: t for t in tasks}
    for t in tasks:
        t.after &= names
    done: set[str] = set()
    if not conns.parallel:
        while pending:
            t = _next_ready(pending, done)
            _run_one(t, conns)
            done.add(t.name)
            del pending[t.name]
        return
    pool = ThreadPoolExecutor(conns.n, thread_name_prefix="migrator-pg")
    running: dict[Future, Task] = {}
    try:
        while pending or running:
            while len(running) < conns.n and pending:
                ready = [t for t in pending.values() if t.after <= done]
                if not ready:
                    break
                t = max(ready, key=lambda x: x.cost)
                del pending[t.name]
                running[pool.submit(_run_one, t, conns)] = t
            if not running:
                raise RuntimeError(f"tasks wait on each other: {sorted(pending)}")
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for f in finished:
                t = running.pop(f)
                f.result()  # raises the task's error
                done.add(t.name)
    except BaseException:
        conns.cancel()
        for stop in list(stoppers):
            stop()
        for f in running:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _next_ready(pending: dict[str, Task], done: set[str]) -> Task:
    ready = [t for t in pending.values() if t.after <= done]
    if not ready:
        raise RuntimeError(f"tasks wait on each other: {sorted(pending)}")
    return ready[0]


def _run_one(t: Task, conns: Connections) -> Any:
    import sqlalchemy as sa

    conn = conns.mine()
    for attempt in range(3):
        try:
            t0 = time.perf_counter()
            try:
                return t.run(conn)
            finally:
                t.seconds = time.perf_counter() - t0
        except sa.exc.DBAPIError as e:  # two constraint builds that locked each other: PostgreSQL picks one
            if getattr(e.orig, "pgcode", None) != DEADLOCK or attempt == 2 or not conns.parallel:
                raise
    return None
