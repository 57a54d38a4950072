"""Benchmark the online move: phase one while a real MLflow server takes writes, then the outage (--cutover).

    python bench/bench_online.py [--rows 1500000] [--rate 20] [--points 50] [--repeat 1] [--pg-url URL]

In one run, on copies of the same store (bench/out/store_N.db, made by make_big_store when missing):
  1. the offline move `migrator sqlite-to-pg --no-verify` into an empty database (the baseline: today's outage;
     --no-offline leaves it out, at 50 M rows ~6 minutes and 13 GB of disk)
  2. `mlflow server` (the installed MLflow, --server-workers) on a second copy; --clients MlflowClient threads
     log through its REST API --rate runs per second in all, each run with --points metric points (one
     log_batch), two params and two tags, then terminated; every 50th run of a client deletes an earlier run,
     every 100th registers a model version
  3. phase one `migrator sqlite-to-pg --online` while that goes on (wall, peak RSS of the process tree), then
     (unless --no-catch-up) `--online` once more: the catch-up of what was written meanwhile
  4. the writer stops, the server stops (SIGTERM), then `migrator sqlite-to-pg --cutover --json`: its wall as
     a process is the outage (start-up included); the rows caught up per table
  5. `migrator verify` of the stopped source against the target (must pass)
Targets (issue #30): outage <= 0.25x the offline wall at 1.5 M rows; <= 10 s at 15 M; <= 30 s at 50 M.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ["MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT"] = "true"  # stdout is the bench's JSON
sys.path.insert(0, str(HERE))
from bench_sqlite_to_pg import create_db, db_url, drop_db, run_measured  # noqa: E402
from make_big_store import make_store  # noqa: E402
from measure import admin_url  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`mlflow server` on the SQLite store, until stop()."""

    def __init__(self, db: Path, workdir: Path, workers: int = 1) -> None:
        import requests

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / "online-server.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mlflow", "server", "--backend-store-uri", f"sqlite:///{db}", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--default-artifact-root", str(workdir / "online-artifacts")],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=workdir, start_new_session=True)
        deadline = time.monotonic() + 180
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"mlflow server stopped: see {workdir / 'online-server.log'}")
            try:
                if requests.get(f"{self.base}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("mlflow server did not start")
            time.sleep(0.3)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


class Writer(threading.Thread):
    """A real MlflowClient over HTTP at a fixed rate of runs per second (as far as the server keeps up)."""

    def __init__(self, base: str, rate: float, points: int, index: int = 0) -> None:
        super().__init__(daemon=True)
        self.base, self.rate, self.points, self.index = base, rate, points, index
        self.halt = threading.Event()
        self.runs = 0
        self.deleted = 0
        self.versions = 0
        self.error: BaseException | None = None
        self.started = self.ended = 0.0

    def run(self) -> None:
        try:
            self._write()
        except BaseException as e:  # noqa: BLE001 - reported by the bench
            self.error = e

    def _write(self) -> None:
        from mlflow import MlflowClient
        from mlflow.entities import Metric, Param, RunTag

        c = MlflowClient(self.base, registry_uri=self.base)
        exp = c.create_experiment(f"online-bench-{int(time.time())}-{self.index}")
        model = f"online-bench-model-{int(time.time())}-{self.index}"
        c.create_registered_model(model)
        ids: list[str] = []
        self.started = time.perf_counter()
        while not self.halt.is_set():
            due = self.started + self.runs / self.rate
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            r = c.create_run(exp)
            now = int(time.time() * 1000)
            c.log_batch(r.info.run_id, metrics=[Metric("loss", 1.0 / (s + 1), now + s, s) for s in range(self.points)],
                        params=[Param("lr", "0.01"), Param("i", str(self.runs))],
                        tags=[RunTag("phase", "one"), RunTag("writer", "bench")])
            c.set_terminated(r.info.run_id)
            ids.append(r.info.run_id)
            self.runs += 1
            if self.runs % 50 == 0:
                c.delete_run(ids[-25])
                self.deleted += 1
            if self.runs % 100 == 0:
                c.create_model_version(model, f"runs:/{r.info.run_id}/model", run_id=r.info.run_id)
                self.versions += 1
        self.ended = time.perf_counter()


def one_run(store: Path, admin: str, workdir: Path, rate: float, points: int, settle: float, clients: int,
            workers: int, catch_up: bool, offline: bool = True) -> dict:
    out: dict = {}
    # 1. the offline move of the same store: the outage of a move without --online
    if offline:
        base = workdir / "online-offline.db"
        shutil.copy(store, base)
        url = db_url(admin, create_db(admin))
        wall, rss, so, _ = run_measured([sys.executable, "-m", "migrator", "sqlite-to-pg", str(base), url,
                                         "--no-verify", "--json"])
        out["offline"] = {"wall": wall, "rss_mb": rss, "phases": json.loads(so)["phases"]}
        drop_db(admin, url)
        base.unlink()
    # 2.-3. phase one while a server takes writes
    live = workdir / "online-live.db"
    shutil.copy(store, live)
    state = Path(tempfile.mkdtemp(prefix="online-state-", dir=workdir))
    url = db_url(admin, create_db(admin))
    server = Server(live, workdir, workers)
    writers = [Writer(server.base, rate / clients, points, i) for i in range(clients)]
    for w in writers:
        w.start()
    time.sleep(5)  # the writers are under way before the snapshot
    try:
        wall, rss, so, _ = run_measured([sys.executable, "-m", "migrator", "sqlite-to-pg", str(live), url, "--online",
                                         "--state-dir", str(state), "--json"])
        out["phase_one"] = {"wall": wall, "rss_mb": rss, "phases": json.loads(so)["phases"]}
        if catch_up:  # `--online` once more: what was written during phase one, while the server still runs
            wall, rss, so, _ = run_measured([sys.executable, "-m", "migrator", "sqlite-to-pg", str(live), url,
                                             "--online", "--state-dir", str(state), "--json"])
            res = json.loads(so)
            out["catch_up"] = {"wall": wall, "rss_mb": rss, "phases": res["phases"],
                               "caught_up": sum(v["upserted"] + v["deleted"] for v in res["rows_caught_up"].values())}
        time.sleep(settle)  # the operator stops the old server a little later
    finally:
        for w in writers:
            w.halt.set()
        for w in writers:
            w.join(120)
        server.stop()
    failed = [w.error for w in writers if w.error is not None]
    if failed:
        raise SystemExit(f"a writer failed: {failed[0]!r}")
    span = max(w.ended for w in writers) - min(w.started for w in writers)
    n = sum(w.runs for w in writers)
    out["writer"] = {"clients": clients, "server_workers": workers, "runs": n, "seconds": span,
                     "runs_per_s": n / span if span else 0.0, "metric_points": n * points,
                     "deleted_runs": sum(w.deleted for w in writers),
                     "model_versions": sum(w.versions for w in writers)}
    # 4. the outage
    wall, rss, so, _ = run_measured([sys.executable, "-m", "migrator", "sqlite-to-pg", str(live), url, "--cutover",
                                     "--state-dir", str(state), "--json"])
    res = json.loads(so)
    out["cutover"] = {"wall": wall, "rss_mb": rss, "inside": res["outage_seconds"], "phases": res["phases"],
                      "caught_up": res["rows_caught_up"],
                      "changed_pages": sum(s["changed_pages"] for s in res["stores"]),
                      "full": [t["table"] for s in res["stores"] for t in s["tables"] if t["compared"] == "full"]}
    # 5. the proof
    t0 = time.perf_counter()
    v = subprocess.run([sys.executable, "-m", "migrator", "verify", str(live), url, "--json"], capture_output=True,
                       text=True)
    out["verify"] = {"seconds": time.perf_counter() - t0, "ok": v.returncode == 0}
    if v.returncode != 0:
        raise SystemExit(f"verify after the cutover failed:\n{v.stdout[-3000:]}{v.stderr[-2000:]}")
    drop_db(admin, url)
    shutil.rmtree(state, ignore_errors=True)
    live.unlink()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_500_000)
    ap.add_argument("--rate", type=float, default=20.0, help="runs per second the client logs")
    ap.add_argument("--points", type=int, default=50, help="metric points per run")
    ap.add_argument("--settle", type=float, default=5.0, help="seconds of writes after phase one, before the stop")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--clients", type=int, default=4, help="client threads sharing --rate")
    ap.add_argument("--no-catch-up", action="store_true", help="no second --online (catch-up) before the stop")
    ap.add_argument("--no-offline", action="store_true",
                    help="no offline move first (its wall is the outage without --online: ratios are left out)")
    ap.add_argument("--server-workers", type=int, default=2, help="mlflow server --workers")
    ap.add_argument("--pg-url", default=os.environ.get("MIGRATOR_TEST_PG_URL"))
    ap.add_argument("--workdir", type=Path, default=HERE / "out")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    admin, server = admin_url(a.pg_url)  # the embedded server lives as long as `server`
    store = a.workdir / f"store_{a.rows}.db"
    if not store.exists():
        make_store(store, a.rows)
    runs = []
    for i in range(a.repeat):
        r = one_run(store, admin, a.workdir, a.rate, a.points, a.settle, a.clients, a.server_workers, not a.no_catch_up,
                    not a.no_offline)
        runs.append(r)
        off = r.get("offline", {}).get("wall")
        print(f"run {i + 1}: offline {f'{off:.1f}s' if off else '-'}; phase one {r['phase_one']['wall']:.1f}s"
              + (f" + catch-up {r['catch_up']['wall']:.1f}s" if "catch_up" in r else "") + " while "
              f"{r['writer']['runs_per_s']:.1f} runs/s were logged; outage {r['cutover']['wall']:.2f}s "
              f"(in-process {r['cutover']['inside']:.2f}s)"
              + (f" = {r['cutover']['wall'] / off:.3f}x offline" if off else "")
              + f"; verify OK in {r['verify']['seconds']:.1f}s", file=sys.stderr)
    kinds = [k for k in ("offline", "phase_one", "catch_up", "cutover") if all(k in r for r in runs)]
    med = {k: statistics.median(r[k]["wall"] for r in runs) for k in kinds}
    print(json.dumps({"rows": a.rows, "runs": runs, "median": med,
                      "outage_ratio": med["cutover"] / med["offline"] if "offline" in med else None,
                      "peak_rss_mb": {k: max(r[k]["rss_mb"] for r in runs) for k in kinds}},
                     indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
