"""Where run shells and contents are copied: on threads (small batches) or worker processes.

MLflow's client-side work is pure Python (GIL-bound): threads share one core, processes use them all.
A worker process builds its own clients once and, per batch, a fresh CopyContext from what the main
process sends (the id-map entries the batch needs); it returns what changed, which the main process merges.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, Callable

from .. import spawn
from ..artifacts import Rule
from .context import PARENT_TAG, CopyContext
from .endpoints import Endpoint
from .idmap import IdMap
from .runs import RunCopier


class Dispatcher:
    PROCESS_THRESHOLD = 100  # runs in one batch before worker processes pay for their start-up
    CHUNK = 25

    def __init__(self, ctx: CopyContext, runs: RunCopier, workers: int) -> None:
        self.ctx, self.runs, self.workers = ctx, runs, max(1, workers)
        self.threads = ThreadPoolExecutor(self.workers, thread_name_prefix="migrator-copy")
        self.procs: Any = None  # a process pool, started for batches big enough to pay for it

    def close(self) -> None:
        if self.procs is not None:
            self.procs.shutdown(wait=True, cancel_futures=True)
            self.procs = None
        self.threads.shutdown(wait=True, cancel_futures=True)

    def __call__(self, kind: str, runs: list[Any], new_eid: str, done: Callable[[int], None] | None = None) -> None:
        """Copy the shells (`kind` 'shell') or contents ('contents') of `runs`."""
        if not runs:
            return
        if self.procs is None and self.workers > 1 and len(runs) >= self.PROCESS_THRESHOLD:
            self.procs = self._start_processes()
        if self.procs is None:
            fn = (lambda r: self.runs.shell(r, new_eid)) if kind == "shell" else self.runs.contents
            for _ in self.threads.map(fn, runs):
                if done is not None:
                    done(1)
            return
        futures = []
        with spawn.hidden_main():  # submit() may start worker processes
            for i in range(0, len(runs), self.CHUNK):
                chunk = runs[i:i + self.CHUNK]
                futures.append(self.procs.submit(
                    _worker_batch, kind, chunk, new_eid, self._entries_for(kind, chunk),
                    [r.info.run_id for r in chunk if r.info.run_id in self.ctx.resumed_runs]))
        for f in as_completed(futures):
            delta = f.result()
            self.ctx.merge_delta(delta)
            if done is not None:
                done(delta["n"])
            self.ctx.map.save(every=5)

    def _start_processes(self) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = self.ctx
        # local work is CPU-bound (one process per core); remote work waits on the network
        remote = "http" in (ctx.source.kind, ctx.target.kind)
        n = self.workers if remote else max(1, min(self.workers, os.cpu_count() or 1))
        return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init,
                                   initargs=(ctx.source, ctx.target, ctx.rules, ctx.copy_artifacts, os.getpid(),
                                             ctx.workspace))

    def _entries_for(self, kind: str, runs: list[Any]) -> dict[str, Any]:
        wanted = set()
        for r in runs:
            if kind == "contents":
                wanted.add(r.info.run_id)
            if PARENT_TAG in r.data.tags:
                wanted.add(r.data.tags[PARENT_TAG])
        m = self.ctx.map
        runs_map = {k: v for k in wanted if (v := m.get("runs", k)) is not None}
        complete = {k: True for k in wanted if m.is_complete(k)}
        return {"runs": runs_map, "complete_runs": complete,
                "logged_models": dict(m.data["logged_models"]) if kind == "contents" else {}}


# --------------------------------------------------------------------------- in the worker process
_WORKER: dict[str, Any] = {}


def _worker_init(source: Endpoint, target: Endpoint, rules: tuple[Rule, ...], copy_artifacts: bool,
                 parent_pid: int, workspace: str | None = None) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    spawn.quiet_worker()
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    src, dst = CopyContext.clients(source, target, workspace)
    _WORKER.update(source=source, target=target, rules=rules, copy_artifacts=copy_artifacts, src=src, dst=dst,
                   parent_pid=parent_pid)


def _exit_with_parent(parent_pid: int) -> None:
    """A worker whose main process was killed must neither write on nor idle forever."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            os._exit(1)


def _worker_batch(kind: str, runs: list[Any], new_eid: str, entries: dict[str, Any], resumed: list[str]) -> dict:
    """One chunk of runs in a worker process; returns what changed, for the main process to merge."""
    w = _WORKER
    idmap = IdMap(None, w["source"].label, w["target"].label)
    idmap.data.update({"runs": dict(entries["runs"]), "complete_runs": dict(entries["complete_runs"]),
                       "logged_models": dict(entries["logged_models"])})
    ctx = CopyContext(w["source"], w["target"], w["src"], w["dst"], rules=w["rules"],
                      copy_artifacts=w["copy_artifacts"], id_map=idmap)
    ctx.resumed_runs = set(resumed)
    copier = RunCopier(ctx)
    try:
        for r in runs:
            if os.getppid() != w["parent_pid"]:  # the main process is gone: stop writing
                break
            if kind == "shell":
                copier.shell(r, new_eid)
            else:
                copier.contents(r)
    finally:
        ctx.close()
    return ctx.delta(entries["runs"], entries["complete_runs"], len(runs))
