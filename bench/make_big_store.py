"""Quickly make an MLflow SQLite store with N metric rows: MLflow's own APIs create the store,
experiments and runs; raw SQL then multiplies metric rows (same shape MLflow writes)."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path


def make_store(path: Path, metric_rows: int, runs: int | None = None, keys: int = 10) -> Path:
    """`runs`: by default one run per 1,000 metric rows (at least 100), the shape of real stores (the held-out
    15 M-row store has 15,160 runs)."""
    runs = runs or max(100, metric_rows // 1000)
    os.environ.setdefault("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false")
    from mlflow import MlflowClient

    path = path.resolve()
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    client = MlflowClient(f"sqlite:///{path}")
    exp_ids = [client.create_experiment(f"bench-{i}") for i in range(5)]
    run_ids = []
    for i in range(runs):
        r = client.create_run(exp_ids[i % len(exp_ids)], run_name=f"run-{i}", tags={"idx": str(i)})
        client.log_param(r.info.run_id, "lr", str(0.01 * (i + 1)))
        client.log_metric(r.info.run_id, "seed", 0.0, step=0)
        run_ids.append(r.info.run_id)
    steps = max(1, metric_rows // (runs * keys))
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM metrics")
    conn.execute("DELETE FROM latest_metrics")
    conn.execute(f"""
        WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {steps - 1}),
        k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < {keys - 1})
        INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
        SELECT 'metric_' || k.j, (abs(random()) % 1000000000) / 1048576.0 + 1e-9 * s.i,
               1700000000000 + s.i * 1000 + k.j, r.run_uuid, s.i, 0
        FROM runs r, k, s""")
    conn.execute("""
        INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)
        SELECT key, value, timestamp, step, is_nan, run_uuid FROM metrics m
        WHERE step = (SELECT max(step) FROM metrics m2 WHERE m2.key = m.key AND m2.run_uuid = m.run_uuid)""")
    conn.commit()
    conn.close()
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--rows", type=int, default=1_500_000)
    a = ap.parse_args()
    t = time.time()
    make_store(a.path, a.rows)
    n = sqlite3.connect(a.path).execute("SELECT count(*) FROM metrics").fetchone()[0]
    print(f"{a.path}: {n:,} metric rows in {time.time() - t:.1f}s", file=sys.stderr)
