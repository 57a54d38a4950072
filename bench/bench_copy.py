"""Benchmark `migrator copy` (through MlflowClient) against the baselines of issue #6, in one run.

    python bench/bench_copy.py [--runs 2000] [--points 50] [--pg-url URL] [--workers 4]

1. builds (once, cached in bench/out) a SQLite store of RUNS runs x POINTS metric points through MlflowClient
   (sample_data/make_runs_store.py: params, tags, nested, failed and deleted runs);
2. times `migrator copy STORE postgresql://...` into an empty database;
3. tries mlflow-export-import (export-experiments + import-experiments) on the same store, if installed;
4. times the straightforward baseline: one MlflowClient call per value (create_run, log_param, set_tag,
   log_metric per point, set_terminated, delete_run) into another empty database;
and prints the ratios. Target: migrator copy >= 5x faster than the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "sample_data"))
from bench_sqlite_to_pg import create_db, db_url  # noqa: E402

BASELINE = r'''
import sys
from mlflow import MlflowClient
from mlflow.entities import ViewType
src, dst = MlflowClient(sys.argv[1]), MlflowClient(sys.argv[2])
for e in src.search_experiments(view_type=ViewType.ALL):
    new_e = dst.get_experiment_by_name(e.name).experiment_id if e.name == "Default" else \
        dst.create_experiment(e.name, tags=e.tags)
    token = None
    while True:
        page = src.search_runs([e.experiment_id], run_view_type=ViewType.ALL, max_results=1000, page_token=token)
        for r in page:
            run = dst.create_run(new_e, start_time=r.info.start_time, run_name=r.info.run_name)
            rid = run.info.run_id
            for k, v in r.data.params.items():
                dst.log_param(rid, k, v)
            for k, v in r.data.tags.items():
                dst.set_tag(rid, k, v)
            for key in r.data.metrics:
                for m in src.get_metric_history(r.info.run_id, key):
                    dst.log_metric(rid, m.key, m.value, m.timestamp, m.step)
            dst.set_terminated(rid, r.info.status, r.info.end_time)
            if r.info.lifecycle_stage == "deleted":
                dst.delete_run(rid)
        token = page.token
        if not token:
            break
'''


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - t0, p


def count_runs(url: str) -> tuple[int, int]:
    import sqlalchemy as sa

    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        out = (c.exec_driver_sql("SELECT count(*) FROM runs").scalar(),
               c.exec_driver_sql("SELECT count(*) FROM metrics").scalar())
    eng.dispose()
    return int(out[0]), int(out[1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--points", type=int, default=50)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--pg-url", default=os.environ.get("MIGRATOR_TEST_PG_URL"))
    ap.add_argument("--workdir", type=Path, default=HERE / "out")
    ap.add_argument("--skip-baseline", action="store_true")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    store = a.workdir / f"runs-{a.runs}x{a.points}.db"
    if not store.exists():
        from make_runs_store import make_runs_store

        t0 = time.perf_counter()
        tmp = store.with_suffix(".tmp.db")
        tmp.unlink(missing_ok=True)
        make_runs_store(f"sqlite:///{tmp}", a.runs, a.points)
        tmp.rename(store)
        print(f"store: {a.runs} runs x {a.points} points built in {time.perf_counter() - t0:.1f}s")
    server = None
    admin = a.pg_url
    if not admin:
        import pgserver

        server = pgserver.get_server(tempfile.mkdtemp(prefix="migrator-bench-pg-"), cleanup_mode="delete")
        admin = server.get_uri().replace("postgresql://", "postgresql+psycopg2://", 1)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MLFLOW_DISABLE_TELEMETRY": "true",
           "MLFLOW_TRACKING_TELEMETRY_DISABLED": "true", "DO_NOT_TRACK": "true"}
    results: dict[str, object] = {"runs": a.runs, "points": a.points}
    try:
        url = db_url(admin, create_db(admin))
        idmap = a.workdir / "bench-copy-idmap.json"
        idmap.unlink(missing_ok=True)
        wall, p = timed([sys.executable, "-m", "migrator", "copy", str(store), url, "--json", "--id-map", str(idmap),
                         "--workers", str(a.workers)], env)
        if p.returncode != 0:
            raise SystemExit(f"migrator copy failed:\n{p.stderr[-3000:]}")
        results["migrator_copy_s"] = round(wall, 2)
        results["migrator_copy_rows"] = count_runs(url)
        print(f"migrator copy: {wall:.1f}s  (runs, metric rows on target: {results['migrator_copy_rows']})", flush=True)

        bindir = Path(sys.executable).parent
        mei_export, mei_import = bindir / "export-experiments", bindir / "import-experiments"
        if mei_export.exists() and mei_import.exists():
            exp_dir = Path(tempfile.mkdtemp(prefix="migrator-bench-mei-"))
            url2 = db_url(admin, create_db(admin))
            names = "sweep-0,sweep-1"
            t_exp, pe = timed([str(mei_export), "--experiments", names, "--output-dir", str(exp_dir)],
                              {**env, "MLFLOW_TRACKING_URI": f"sqlite:///{store}"})
            t_imp, pi = timed([str(mei_import), "--input-dir", str(exp_dir)], {**env, "MLFLOW_TRACKING_URI": url2})
            landed = count_runs(url2)
            ok = pe.returncode == 0 and pi.returncode == 0 and landed[0] > 0 and "Traceback" not in pi.stdout + pi.stderr
            results["export_import_s"] = round(t_exp + t_imp, 2)
            results["export_import_ok"] = ok
            results["export_import_rows"] = landed
            print(f"mlflow-export-import: export {t_exp:.1f}s + import {t_imp:.1f}s; "
                  f"{'OK' if ok else 'FAILED'} (runs, metric rows landed: {landed})", flush=True)
            if ok:
                print(f"ratio export-import / migrator copy = {(t_exp + t_imp) / wall:.2f}")
            shutil.rmtree(exp_dir, ignore_errors=True)
        else:
            print("mlflow-export-import: not installed (pip install mlflow-export-import tabulate)")

        if not a.skip_baseline:
            url3 = db_url(admin, create_db(admin))
            snap = a.workdir / "baseline-source.db"
            shutil.copy(store, snap)
            wall_b, pb = timed([sys.executable, "-c", BASELINE, f"sqlite:///{snap}", url3], env)
            if pb.returncode != 0:
                raise SystemExit(f"baseline failed:\n{pb.stderr[-3000:]}")
            results["baseline_one_call_per_value_s"] = round(wall_b, 2)
            results["baseline_rows"] = count_runs(url3)
            results["ratio_baseline_over_migrator"] = round(wall_b / wall, 2)
            print(f"baseline (one MlflowClient call per value): {wall_b:.1f}s (runs, metric rows: "
                  f"{results['baseline_rows']})")
            print(f"ratio baseline / migrator copy = {wall_b / wall:.2f}  (target >= 5)")
    finally:
        if server is not None:
            server.cleanup()
    (a.workdir / "bench_copy.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
