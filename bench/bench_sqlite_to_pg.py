"""Benchmark `migrator sqlite-to-pg` against pgloader and the PostgreSQL-side ceiling, in one run.

    python bench/bench_sqlite_to_pg.py [--rows 1500000] [--repeat 3] [--pg-url URL] [--jobs N]

Measures, on the same store and the same server, `--repeat` times (medians printed; the pair 1 + 4 every
run, the rest in the first run unless --full-every-run; --pair-only: the pair alone):
  1. migrator sqlite-to-pg --no-verify   (wall, phases, metrics phase = COPY + index/FK rebuild, peak RSS)
  2. migrator sqlite-to-pg (default: verifies before its final switch) -> ratio to 1.
  3. migrator verify on the result        -> ratio to 1.
  4. pgloader (Debian package) on the same SQLite file into an empty database, verification off
  5. the ceiling: server-side COPY metrics FROM a CSV of the same rows into an index-free copy of the
     table, then the same indexes; once serially, once with the CSV cut in --jobs parts COPYed on as
     many connections at once and the indexes built concurrently (the best PostgreSQL itself can do)
  6. peak RSS of the migration at rows/10, to show memory does not grow with the store
Targets: pgloader / migrator >= 2.0; metrics phase <= 1.2x the best ceiling; peak RSS < 300 MB and flat;
verify <= 0.6x the migration; default sqlite-to-pg <= 1.5x the --no-verify wall.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_big_store import make_store  # noqa: E402
from measure import run_tree  # noqa: E402


def run_measured(cmd: list[str]) -> tuple[float, int, str, str]:
    """(wall seconds, peak RSS in MB of the process tree, worker processes included: measure.run_tree,
    stdout, stderr) of a child process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        wall, peak, code = run_tree(cmd, stdout=out, stderr=err)
        out.seek(0)
        err.seek(0)
        so, se = out.read(), err.read()
    if code != 0:
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{se[-3000:]}")
    return wall, peak // (1024 * 1024), so, se


def db_url(admin: str, name: str) -> str:
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def create_db(admin: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    eng = sa.create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    eng.dispose()
    return name


def drop_db(admin: str, url: str) -> None:
    eng = sa.create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    eng.dispose()


def migrate(store: Path, admin: str, verify: bool = False, jobs: int | None = None) -> dict:
    name = create_db(admin)
    url = db_url(admin, name)
    cmd = [sys.executable, "-m", "migrator", "sqlite-to-pg", str(store), url, "--json"]
    cmd += [] if verify else ["--no-verify"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    wall, rss, out, _ = run_measured(cmd)
    res = json.loads(out)
    metrics = next(t for t in res["tables"] if t["table"] == "metrics")
    return {"url": url, "wall": wall, "rss_mb": rss, "phases": res["phases"], "builds": res.get("builds", {}),
            "metrics_phase": metrics["seconds"] + res["phases"]["indexes"], "rows": metrics["rows"]}


def ceiling(store: Path, url: str, workdir: Path, jobs: int, fmt: str = "csv") -> dict:
    """Server-side COPY of metrics from files (`fmt`: csv, or PostgreSQL's binary COPY format) into an
    index-free copy, then its indexes: serially, and in `jobs` parts on as many connections with the indexes
    built concurrently. The CSV is written from the SQLite store; the binary files are PostgreSQL's own
    `COPY (...) TO STDOUT (FORMAT binary)` of the migrated table, cut by a hash of the rows."""
    src = sqlite3.connect(store)
    cols = [r[1] for r in src.execute("PRAGMA table_info(metrics)")]
    parts = [workdir / f"metrics-{i}.{fmt}" for i in range(jobs)]
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    if fmt == "csv":
        files = [open(p, "w", newline="") for p in parts]
        writers = [csv.writer(f) for f in files]
        for n, row in enumerate(src.execute(f"SELECT {', '.join(cols)} FROM metrics")):
            writers[n % jobs].writerow(["t" if c == "is_nan" and v else "f" if c == "is_nan" else repr(v)
                                        if isinstance(v, float) else v for c, v in zip(cols, row)])
        for f in files:
            f.close()
    else:
        with eng.connect() as c:
            raw = c.connection.dbapi_connection
            for i, p in enumerate(parts):
                with open(p, "wb") as f, raw.cursor() as cur:
                    cur.copy_expert(f"COPY (SELECT {', '.join(cols)} FROM metrics WHERE abs(hashtext(ctid::text)) % {jobs} = {i}) "
                                    "TO STDOUT WITH (FORMAT binary)", f)
    src.close()
    for p in parts:
        os.chmod(p, 0o644)
    with eng.begin() as c:
        idx = c.exec_driver_sql("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'metrics'").all()

    def one_table(tag: str) -> str:
        with eng.begin() as c:
            c.exec_driver_sql(f"CREATE TABLE {tag} (LIKE metrics)")
        return tag

    def ddl(tag: str) -> list[str]:
        return [d.replace(f"INDEX {name} ON public.metrics", f"INDEX {tag}_{name} ON public.{tag}") for name, d in idx]

    def run(sqls: list[str]) -> None:
        def work(q: str) -> None:
            with eng.begin() as c:
                c.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
                c.exec_driver_sql(q)
        threads = [threading.Thread(target=work, args=(q,)) for q in sqls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    out = {}
    for mode in ("serial", "parallel"):
        tag = one_table(f"ceil_{mode}")
        copies = [f"COPY {tag} ({', '.join(cols)}) FROM '{p}' WITH (FORMAT {fmt})" for p in parts]
        t0 = time.perf_counter()
        if mode == "serial":
            for q in copies:
                run([q])
        else:
            run(copies)
        t_copy = time.perf_counter() - t0
        t1 = time.perf_counter()
        if mode == "serial":
            for q in ddl(tag):
                run([q])
        else:
            run(ddl(tag))
        t_idx = time.perf_counter() - t1
        out[mode] = {"copy": t_copy, "indexes": t_idx, "total": t_copy + t_idx}
        with eng.begin() as c:
            c.exec_driver_sql(f"DROP TABLE {tag}")
    eng.dispose()
    for p in parts:
        p.unlink()
    return out


def _read_part(store: str, lo: int, hi: int) -> int:
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    cur = conn.execute("SELECT * FROM metrics WHERE rowid >= ? AND rowid < ?", (lo, hi))
    n = 0
    while batch := cur.fetchmany(5_000):
        n += len(batch)
    conn.close()
    return n


def read_floor(store: Path, jobs: int) -> float:
    """Seconds to read every metrics row from the store into Python tuples (the sqlite3 module, rowid order,
    `jobs` processes on rowid ranges) and nothing else: no encoding, no PostgreSQL. Any reader that hands
    SQLite's rows to Python, as migrator's must, spends at least this in its COPY phase."""
    import multiprocessing

    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    lo = con.execute("SELECT min(rowid) FROM metrics").fetchone()[0]
    hi = con.execute("SELECT max(rowid) FROM metrics").fetchone()[0] + 1
    con.close()
    step = -(-(hi - lo) // jobs)
    parts = [(str(store), lo + i * step, min(hi, lo + (i + 1) * step)) for i in range(jobs)]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        pool.starmap(_read_part, [(str(store), 0, 0)] * jobs * 4)  # the workers started and their imports done
        t0 = time.perf_counter()
        pool.starmap(_read_part, parts)
        return time.perf_counter() - t0


def _both_sides_part(store: str, url: str, lo: int, hi: int, part: int, parts: int) -> int:
    """Rows [lo, hi) of metrics from SQLite into Python tuples, then 1/parts of PostgreSQL's metrics rows to
    this client as binary COPY (bytes, no Python values: the cheapest way PostgreSQL can hand them over)."""
    import psycopg

    n = _read_part(store, lo, hi) if hi > lo else 0
    if not url:
        return n
    with psycopg.connect(url.replace("postgresql+psycopg2://", "postgresql://", 1)) as pg, pg.cursor() as cur:
        sql = (f"COPY (SELECT key, value, timestamp, run_uuid, step, is_nan FROM metrics "
               f"WHERE abs(hashtext(run_uuid)) % {parts} = {part}) TO STDOUT (FORMAT BINARY)")
        with cur.copy(sql) as cp:
            for _block in cp:
                n += 1
    return n


def verify_floor(store: Path, url: str, jobs: int) -> float:
    """Seconds for `jobs` processes to bring every metrics row of both sides to Python and compare nothing:
    the SQLite side as tuples (its read floor), the PostgreSQL side as binary COPY bytes. A compare of every
    row (what `migrator verify` is) cannot take less on these cores."""
    import multiprocessing

    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    lo = con.execute("SELECT min(rowid) FROM metrics").fetchone()[0]
    hi = con.execute("SELECT max(rowid) FROM metrics").fetchone()[0] + 1
    con.close()
    step = -(-(hi - lo) // jobs)
    parts = [(str(store), url, lo + i * step, min(hi, lo + (i + 1) * step), i, jobs) for i in range(jobs)]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        pool.starmap(_both_sides_part, [(str(store), "", 0, 0, 0, 1)] * jobs * 4)  # workers started, imports done
        t0 = time.perf_counter()
        pool.starmap(_both_sides_part, parts)
        return time.perf_counter() - t0


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
    drop_db(admin, db_url(admin, name))
    return {"wall": wall, "rss_mb": rss}


def verify_time(store: Path, url: str) -> float:
    wall, _, out, _ = run_measured([sys.executable, "-m", "migrator", "verify", str(store), url, "--json", "--sample", "50"])
    assert json.loads(out)["ok"], "verify found a mismatch"
    return wall


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_500_000)
    ap.add_argument("--repeat", type=int, default=1, help="measure this many times; medians are printed")
    ap.add_argument("--jobs", type=int, default=None, help="migrator's --jobs (default: its own)")
    ap.add_argument("--pg-url", default=os.environ.get("MIGRATOR_TEST_PG_URL"))
    ap.add_argument("--workdir", type=Path, default=HERE / "out")
    ap.add_argument("--no-small", action="store_true", help="skip the rows/10 RSS run")
    ap.add_argument("--full-every-run", action="store_true",
                    help="verify, the default run and the ceiling in every run (default: the first only)")
    ap.add_argument("--pair-only", action="store_true", help="only migrator --no-verify and pgloader (a 50 M-row run)")
    ap.add_argument("--skip-default", action="store_true", help="leave out the default (verifying) migration")
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
    jobs = a.jobs or max(2, min(4, os.cpu_count() or 2))
    runs: list[dict] = []
    try:
        sizes = [a.rows] if a.no_small else [a.rows // 10, a.rows]
        stores = {}
        for n in sizes:
            p = a.workdir / f"store_{n}.db"
            if not p.exists():
                t0 = time.perf_counter()
                make_store(p, n)
                print(f"made {p.name} ({n:,} metric rows) in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            stores[n] = p
        big = stores[a.rows]
        small_run = None if a.no_small else migrate(stores[a.rows // 10], admin, jobs=a.jobs)
        if small_run:
            drop_db(admin, small_run["url"])
        for i in range(a.repeat):
            r: dict = {}
            full = i == 0 or a.full_every_run  # the pair (migrator, pgloader) every run; the rest once
            r["m"] = migrate(big, admin, jobs=a.jobs)
            if full and not a.pair_only:
                r["v"] = verify_time(big, r["m"]["url"])
                r["c"] = ceiling(big, r["m"]["url"], a.workdir, jobs)
                r["cb"] = ceiling(big, r["m"]["url"], a.workdir, jobs, "binary")
                r["rf"] = read_floor(big, jobs)
                r["vf"] = verify_floor(big, r["m"]["url"], jobs)
            drop_db(admin, r["m"]["url"])
            if full and not a.pair_only and not a.skip_default:
                r["d"] = migrate(big, admin, verify=True, jobs=a.jobs)
                drop_db(admin, r["d"]["url"])
            r["pl"] = pgloader(big, admin, pgdata)
            runs.append(r)
            m, pl = r["m"], r["pl"]
            print(f"run {i + 1}: migrator {m['wall']:.1f}s, pgloader {pl['wall'] if pl else float('nan'):.1f}s"
                  + (f", verify {r['v']:.1f}s, ceiling csv serial {r['c']['serial']['total']:.1f}s parallel "
                     f"{r['c']['parallel']['total']:.1f}s, binary serial {r['cb']['serial']['total']:.1f}s parallel "
                     f"{r['cb']['parallel']['total']:.1f}s" if "c" in r else "")
                  + (f", default (verify) {r['d']['wall']:.1f}s" if "d" in r else ""),
                  file=sys.stderr, flush=True)
    finally:
        if server is not None:
            server.cleanup()
    by_wall = sorted(runs, key=lambda r: r["m"]["wall"])
    m = by_wall[len(by_wall) // 2]["m"]
    wall = med([r["m"]["wall"] for r in runs])
    mphase = med([r["m"]["metrics_phase"] for r in runs])
    print(f"store: {m['rows']:,} metric rows ({big.stat().st_size / 1e6:.0f} MB); {len(runs)} run(s), medians; "
          f"PostgreSQL {'at ' + make_url(admin).render_as_string() if a.pg_url else 'embedded (pgserver)'}")
    print(f"migrator sqlite-to-pg --no-verify: {wall:.1f}s wall (runs: "
          + ", ".join(f"{r['m']['wall']:.1f}" for r in runs) + "); phases of the median run: "
          + ", ".join(f"{k} {x:.1f}s" for k, x in m["phases"].items()))
    print("  slowest builds: " + ", ".join(f"{k} {x:.1f}s" for k, x in list(m["builds"].items())[:4]))
    print(f"metrics phase (COPY + index/FK rebuild): {mphase:.1f}s ({m['rows'] / m['phases']['copy']:,.0f} rows/s COPY)")
    full_runs = [r for r in runs if "c" in r]
    best = {}
    for key, fmt in (("c", "csv"), ("cb", "binary")):
        if not full_runs:
            break
        cser = med([r[key]["serial"]["total"] for r in full_runs])
        cpar = med([r[key]["parallel"]["total"] for r in full_runs])
        best[fmt] = min(cser, cpar)
        print(f"ceiling (server-side COPY FROM {fmt} + indexes): serial {cser:.1f}s, parallel ({jobs} connections) "
              f"{cpar:.1f}s (COPY {med([r[key]['parallel']['copy'] for r in full_runs]):.1f}s + indexes "
              f"{med([r[key]['parallel']['indexes'] for r in full_runs]):.1f}s)")
        print(f"  ratio metrics phase / best {fmt} ceiling: {mphase / best[fmt]:.2f} (target <= 1.2)")
    if best:
        other = wall - mphase
        print(f"  migrator's wall outside the metrics phase: {other:.1f}s; with the metrics phase at the binary "
              f"ceiling the wall would be {other + best['binary']:.1f}s")
    pls = [r["pl"]["wall"] for r in runs if r["pl"]]
    if full_runs and "rf" in full_runs[0]:
        rf = med([r["rf"] for r in full_runs])
        builds = min(med([r[k]["parallel"]["indexes"] for r in full_runs]) for k in ("c", "cb"))
        reach = wall - mphase + rf + builds
        print(f"SQLite read floor (every metrics row into Python tuples, {jobs} processes, nothing else): {rf:.1f}s; "
              f"with the COPY at that floor and the builds at the ceiling's {builds:.1f}s the wall would be {reach:.1f}s"
              + (f": pgloader / migrator at most {med(pls) / reach:.2f}" if pls else ""))
    if pls and best:
        floor = wall - mphase + min(best.values())
        print(f"  the most pgloader / migrator can reach here (pgloader / that wall at the best ceiling): "
              f"{med(pls) / floor:.2f}")
    if pls:
        print(f"pgloader: {med(pls):.1f}s wall (runs: " + ", ".join(f"{x:.1f}" for x in pls) + ")")
        print(f"  ratio pgloader / migrator: {med(pls) / wall:.2f} (target >= {2.0 if n < 5_000_000 else 1.7}); per run: "
              + ", ".join(f"{r['pl']['wall'] / r['m']['wall']:.2f}" for r in runs if r["pl"]))
    else:
        print("pgloader: not installed (apt-get install pgloader)")
    if full_runs:
        v = med([r["v"] for r in full_runs])
        print(f"migrator verify: {v:.1f}s wall; ratio verify / migration: {v / wall:.2f} (target <= 0.5)")
        if "vf" in full_runs[0]:
            vf = med([r["vf"] for r in full_runs])
            print(f"  verify floor (every metrics row of both sides brought to Python, {jobs} processes, nothing "
                  f"compared): {vf:.1f}s = {vf / wall:.2f}x the migration")
    if any("d" in r for r in runs):
        dwall = med([r["d"]["wall"] for r in runs if "d" in r])
        print(f"default sqlite-to-pg (verifies): {dwall:.1f}s wall; ratio to --no-verify: {dwall / wall:.2f} "
              "(target <= 1.5)")
    rss = max(r["m"]["rss_mb"] for r in runs)
    small = f"{small_run['rss_mb']} MB at {small_run['rows']:,} rows, " if small_run else ""
    print(f"peak RSS of the process tree: {small}{rss} MB at {m['rows']:,} rows (target < 400 MB and flat)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
