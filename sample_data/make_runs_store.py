"""A store of many runs (params, tags, metric histories, nested and deleted runs), written through MlflowClient.

Used by the client-copy tests (small) and bench/bench_copy.py (>= 2,000 runs x 50 metric points).
"""

from __future__ import annotations

import argparse
import time


def make_runs_store(uri: str, runs: int, points: int, *, experiments: int = 2, keys: int = 1) -> None:
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param, RunTag

    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    exp_ids = [client.create_experiment(f"sweep-{i}", tags={"kind": "sweep"}) for i in range(experiments)]
    t0 = 1_700_000_000_000
    parent = None
    for i in range(runs):
        exp = exp_ids[i % experiments]
        tags = {"mlflow.user": f"user{i % 3}", "trial": str(i)}
        if parent is not None and parent[0] == exp and i % 10:
            tags["mlflow.parentRunId"] = parent[1]
        run = client.create_run(exp, start_time=t0 + i * 1000, tags=tags, run_name=f"trial-{i}")
        rid = run.info.run_id
        if i % 10 == 0:
            parent = (exp, rid)
        metrics = [Metric(f"m{k}", (i + s) / (k + 1) + 0.1, t0 + i * 1000 + s, s)
                   for k in range(keys) for s in range(points)]
        params = [Param("lr", str(0.001 * (i + 1))), Param("layers", str(i % 7)), Param("opt", "adam")]
        for j in range(0, len(metrics), 1000):
            client.log_batch(rid, metrics=metrics[j:j + 1000], params=params if j == 0 else [],
                             tags=[RunTag("phase", "train")] if j == 0 else [])
        client.set_terminated(rid, "FINISHED" if i % 13 else "FAILED", end_time=t0 + i * 1000 + points + 5)
        if i % 17 == 5:
            client.delete_run(rid)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("uri")
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--points", type=int, default=50)
    a = ap.parse_args()
    t = time.monotonic()
    make_runs_store(a.uri, a.runs, a.points)
    print(f"{a.runs} runs x {a.points} points in {time.monotonic() - t:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
