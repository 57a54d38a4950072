"""How the bench scripts time a command and take its peak memory."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from typing import IO, Any

import psutil


def run_tree(cmd: list[str], env: dict | None = None, durable: bool = False, stdout: IO[Any] | int | None = None,
             stderr: IO[Any] | int | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in bytes, exit code) of a command. The RSS is that of the whole process tree
    (worker processes included), sampled every 20 ms once the command runs: samples taken before the exec
    (the forked image of the bench script) are not counted, nor is the kernel's ru_maxrss, which keeps that
    image's size across the exec and leaves out the children. `durable`: until the command's writes are on
    disk (sync(2) after it exits, inside the timing)."""
    peak = [0]
    done = threading.Event()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL if stdout is None else stdout,
                         stderr=subprocess.DEVNULL if stderr is None else stderr)

    def sample() -> None:
        proc, running = psutil.Process(p.pid), False
        while not done.wait(0.02):
            try:
                running = running or proc.cmdline()[:len(cmd)] == cmd
                if running:
                    peak[0] = max(peak[0], sum(x.memory_info().rss for x in [proc, *proc.children(recursive=True)]))
            except psutil.Error:
                pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, _usage = os.wait4(p.pid, 0)
    if durable:
        os.sync()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    return wall, peak[0], os.waitstatus_to_exitcode(status)


def admin_url(pg_url: str | None) -> tuple[str, Any]:
    """(a psycopg2 admin URL, the embedded server to keep alive): `pg_url` as given, or a pgserver of its own."""
    if pg_url:
        return pg_url.replace("postgresql://", "postgresql+psycopg2://", 1), None
    import tempfile

    import pgserver

    server = pgserver.get_server(tempfile.mkdtemp(prefix="migrator-bench-pg-"), cleanup_mode="delete")
    return server.get_uri().replace("postgresql://", "postgresql+psycopg2://", 1), server
