"""Benchmark `migrator sqlite-to-pg` against the PostgreSQL-side ceiling and pgloader, in one run.

    python bench/bench_sqlite_to_pg.py [--rows 1500000] [--pg-url URL] [--keep]

Measures, on the same store and the same server:
  1. migrator sqlite-to-pg --no-verify   (wall, phases, metrics phase = COPY + index/FK rebuild, peak RSS)
  2. migrator verify                     (wall; must not exceed the migration)
  3. ceiling: server-side COPY metrics FROM a CSV of the same rows into an index-free copy of the
     table, then building the same indexes
  4. pgloader (Debian package) on the same SQLite file into an empty database
  5. peak RSS of the migration at rows/10, to show memory does not grow with the store
Prints figures and ratios. Targets: migration >= 1.3x faster than pgloader; metrics phase <= 1.5x the
ceiling; peak RSS < 300 MB and not higher at 10x the rows; verify <= migration.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_big_store import make_store  # noqa: E402


def run_measured(cmd: list[str]) -> tuple[float, int, str, str]:
    """(wall seconds, peak RSS in MB, stdout, stderr) of a child process."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        so, se = out.read(), err.read()
    if proc.returncode not in (0,):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{se[-3000:]}")
    return wall, usage.ru_maxrss // 1024, so, se


def db_url(admin: str, name: str) -> str:
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def create_db(admin: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    eng = sa.create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    eng.dispose()
    return name


def migrate(store: Path, admin: str) -> dict:
    name = create_db(admin)
    url = db_url(admin, name)
    wall, rss, out, _ = run_measured([sys.executable, "-m", "migrator", "sqlite-to-pg", str(store), url,
                                      "--no-verify", "--json"])
    res = json.loads(out)
    metrics = next(t for t in res["tables"] if t["table"] == "metrics")
    return {"url": url, "wall": wall, "rss_mb": rss, "phases": res["phases"],
            "metrics_phase": metrics["seconds"] + res["phases"]["indexes"], "rows": metrics["rows"]}


def ceiling(store: Path, url: str, workdir: Path) -> dict:
    csv_path = workdir / "metrics.csv"
    src = sqlite3.connect(store)
    cols = [r[1] for r in src.execute("PRAGMA table_info(metrics)")]
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        for row in src.execute(f"SELECT {', '.join(cols)} FROM metrics"):
            w.writerow(["t" if c == "is_nan" and v else "f" if c == "is_nan" else repr(v) if isinstance(v, float) else v
                        for c, v in zip(cols, row)])
    src.close()
    os.chmod(csv_path, 0o644)
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with eng.begin() as c:
        idx = c.exec_driver_sql("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'metrics'").all()
        c.exec_driver_sql("CREATE TABLE ceiling_metrics (LIKE metrics)")
    with eng.begin() as c:
        t0 = time.perf_counter()
        c.exec_driver_sql(f"COPY ceiling_metrics ({', '.join(cols)}) FROM '{csv_path}' WITH (FORMAT csv)")
        t_copy = time.perf_counter() - t0
        c.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        t1 = time.perf_counter()
        for name, d in idx:
            c.exec_driver_sql(d.replace(f"INDEX {name} ON public.metrics", f"INDEX ceil_{name} ON public.ceiling_metrics"))
        t_idx = time.perf_counter() - t1
    eng.dispose()
    return {"copy": t_copy, "indexes": t_idx, "total": t_copy + t_idx}


def pgloader(store: Path, admin: str, pgdata: str | None) -> dict | None:
    exe = shutil.which("pgloader")
    if not exe:
        return None
    name = create_db(admin)
    u = make_url(admin)
    sock = u.query.get("host")
    if pgdata is None and isinstance(sock, str) and sock.startswith("/"):
        pgdata = sock  # a unix-socket URL (host=/dir): pgloader connects through the same socket
    if pgdata:
        target = f"pgsql://{u.username}@unix:{pgdata}:{u.port or 5432}/{name}"
    else:
        target = f"pgsql://{u.username}:{u.password or ''}@{u.host}:{u.port or 5432}/{name}"
    wall, rss, _, _ = run_measured([exe, str(store), target])
    return {"wall": wall, "rss_mb": rss}


def verify_time(store: Path, url: str) -> float:
    wall, _, out, _ = run_measured([sys.executable, "-m", "migrator", "verify", str(store), url, "--json", "--sample", "50"])
    assert json.loads(out)["ok"], "verify found a mismatch"
    return wall


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_500_000)
    ap.add_argument("--pg-url", default=os.environ.get("MIGRATOR_TEST_PG_URL"))
    ap.add_argument("--workdir", type=Path, default=HERE / "out")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    os.chmod(a.workdir, 0o755)
    server = None
    pgdata = None
    if a.pg_url:
        admin = a.pg_url.replace("postgresql://", "postgresql+psycopg2://", 1)
    else:
        import pgserver

        pgdata = tempfile.mkdtemp(prefix="migrator-bench-pg-")
        server = pgserver.get_server(pgdata, cleanup_mode="delete")
        admin = server.get_uri().replace("postgresql://", "postgresql+psycopg2://", 1)
    try:
        stores = {}
        for n in (a.rows // 10, a.rows):
            p = a.workdir / f"store_{n}.db"
            if not p.exists():
                t0 = time.perf_counter()
                make_store(p, n)
                print(f"made {p.name} ({n:,} metric rows) in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            stores[n] = p
        big = stores[a.rows]
        small_run = migrate(stores[a.rows // 10], admin)
        m = migrate(big, admin)
        v = verify_time(big, m["url"])
        c = ceiling(big, m["url"], a.workdir)
        pl = pgloader(big, admin, pgdata)
    finally:
        if server is not None:
            server.cleanup()
    print(f"store: {m['rows']:,} metric rows ({big.stat().st_size / 1e6:.0f} MB)")
    print(f"migrator sqlite-to-pg --no-verify: {m['wall']:.1f}s wall; phases "
          + ", ".join(f"{k} {v:.1f}s" for k, v in m["phases"].items()))
    print(f"metrics phase (COPY + index/FK rebuild): {m['metrics_phase']:.1f}s "
          f"({m['rows'] / m['phases']['copy']:,.0f} rows/s COPY)")
    print(f"ceiling (server-side COPY FROM csv, index-free, + indexes): {c['total']:.1f}s "
          f"(COPY {c['copy']:.1f}s + indexes {c['indexes']:.1f}s)")
    print(f"  ratio metrics phase / ceiling: {m['metrics_phase'] / c['total']:.2f} (target <= 1.5)")
    if pl:
        print(f"pgloader: {pl['wall']:.1f}s wall")
        print(f"  ratio pgloader / migrator: {pl['wall'] / m['wall']:.2f} (target >= 1.3)")
    else:
        print("pgloader: not installed (apt-get install pgloader)")
    print(f"migrator verify: {v:.1f}s wall; ratio verify / migration: {v / m['wall']:.2f} (target <= 1.0)")
    print(f"peak RSS: {small_run['rss_mb']} MB at {small_run['rows']:,} rows, {m['rss_mb']} MB at {m['rows']:,} rows "
          f"(target < 300 MB and flat)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
