"""`migrator upgrade` against MLflow's own `mlflow db upgrade` of a copy, on a SQLite store at an old revision.

    python bench/bench_upgrade.py [--rows 1500000] [--rounds 3]

The store: sample_data/mlflow_v2.db (written by MLflow 2.22, revision 0584bdc529eb, 45 migrations behind 3.17)
with its runs cloned and metric rows multiplied by SQL in the shape MLflow 2.22 writes them, to --rows. Each
round upgrades two fresh copies of it, in the same run:
- baseline: `mlflow db upgrade sqlite:///copy` (MLflow's own, not atomic, no checks);
- migrator: `migrator upgrade copy --no-backup --yes --no-server-check` (the copy, MLflow's migrations, every
  check of docs/upgrade.md, the rename); and once with the server check as well;
- the backup step: `migrator upgrade`'s own backup (reported in its --json) against `migrator backup` alone.

Targets: migrator <= 1.3x MLflow's own time; its backup step no slower than `migrator backup` alone.

The same on PostgreSQL (an embedded PostgreSQL 16): sample_data/old_servers/2.22.5/postgres.sql grown the same
way by SQL, each round two databases made from it as templates, `mlflow db upgrade URL` against
`migrator upgrade URL --no-backup --yes --no-server-check` (one transaction, checks before the commit).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
V2 = HERE.parent / "sample_data" / "mlflow_v2.db"


def make_old_store(path: Path, rows: int, keys: int = 10) -> Path:
    """The 2.22 sample grown to `rows` metric rows: runs cloned (one per 1,000 rows), metrics and
    latest_metrics filled by SQL in 2.22's own columns."""
    shutil.copy(V2, path)
    runs = max(100, rows // 1000)
    steps = max(1, rows // (runs * keys))
    conn = sqlite3.connect(path)
    (exp,) = conn.execute("SELECT experiment_id FROM runs LIMIT 1").fetchone()
    template = conn.execute("SELECT * FROM runs LIMIT 1").fetchone()
    cols = [d[1] for d in conn.execute("PRAGMA table_info(runs)")]
    conn.execute("DELETE FROM metrics")
    conn.execute("DELETE FROM latest_metrics")
    for i in range(runs):
        row = dict(zip(cols, template))
        row.update(run_uuid=f"{i:032x}", name=f"bench-{i}", experiment_id=exp, lifecycle_stage="active")
        conn.execute(f"INSERT INTO runs ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    conn.execute(f"""
        WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {steps - 1}),
        k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < {keys - 1})
        INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
        SELECT 'metric_' || k.j, (abs(random()) % 1000000000) / 1048576.0 + 1e-9 * s.i,
               1700000000000 + s.i * 1000 + k.j, r.run_uuid, s.i, 0
        FROM runs r, k, s WHERE r.name LIKE 'bench-%'""")
    conn.execute(f"""
        INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)
        SELECT key, value, timestamp, step, is_nan, run_uuid FROM metrics WHERE step = {steps - 1}""")
    conn.commit()
    conn.close()
    return path


def floor_parts(store: Path, upgraded: Path, work: Path) -> tuple[float, float]:
    """What an all-or-nothing, checked upgrade cannot skip beside MLflow's own migrations: the copy (SQLite's
    backup API) and `PRAGMA integrity_check` of the result, each timed alone."""
    copy = work / "floor_copy.db"
    t0 = time.perf_counter()
    src, dst = sqlite3.connect(f"file:{store}?mode=ro", uri=True), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    t1 = time.perf_counter()
    conn = sqlite3.connect(f"file:{upgraded}?mode=ro", uri=True)
    conn.execute("PRAGMA integrity_check").fetchall()
    conn.close()
    t2 = time.perf_counter()
    copy.unlink()
    return t1 - t0, t2 - t1


def pg_rounds(rows: int, rounds: int, keys: int = 10) -> None:
    import pgserver
    import psycopg2

    with tempfile.TemporaryDirectory(prefix="bench-upgrade-pg-") as d:
        srv = pgserver.get_server(d, cleanup_mode="delete")
        admin = psycopg2.connect(srv.get_uri())
        admin.autocommit = True
        admin.cursor().execute("CREATE DATABASE old")
        conn = psycopg2.connect(srv.get_uri("old"))
        cur = conn.cursor()
        cur.execute((V2.parent / "old_servers" / "2.22.5" / "postgres.sql").read_text())
        cur.execute("SET search_path = public")
        runs = max(100, rows // 1000)
        steps = max(1, rows // (runs * keys))
        cur.execute("SELECT experiment_id FROM runs LIMIT 1")
        (exp,) = cur.fetchone()
        cur.execute(f"""
            INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time,
                              end_time, source_version, lifecycle_stage, artifact_uri, experiment_id)
            SELECT lpad(to_hex(i), 32, '0'), 'bench-' || i, 'LOCAL', '', '', 'bench', 'FINISHED', 1700000000000,
                   1700000001000, '', 'active', 'mlflow-artifacts:/bench/' || i, {exp}
            FROM generate_series(0, {runs - 1}) i""")
        cur.execute(f"""
            INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
            SELECT 'metric_' || k, random() * 1000, 1700000000000 + s * 1000 + k, r.run_uuid, s, false
            FROM runs r, generate_series(0, {keys - 1}) k, generate_series(0, {steps - 1}) s
            WHERE r.name LIKE 'bench-%'""")
        cur.execute(f"""
            INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)
            SELECT key, value, timestamp, step, is_nan, run_uuid FROM metrics WHERE step = {steps - 1}""")
        conn.commit()
        cur.execute("SELECT count(*) FROM metrics")
        print(f"\nPostgreSQL store: {cur.fetchone()[0]:,} metric rows at revision 0584bdc529eb (MLflow 2.22)")
        conn.close()
        theirs, ours, migrations = [], [], []
        py = sys.executable
        for i in range(rounds):
            for name in ("theirs", "ours"):
                admin.cursor().execute(f"DROP DATABASE IF EXISTS {name}")
                admin.cursor().execute(f"CREATE DATABASE {name} TEMPLATE old")
            t, _ = timed([py, "-m", "mlflow", "db", "upgrade",
                          srv.get_uri("theirs").replace("postgresql://", "postgresql+psycopg2://")])
            theirs.append(t)
            t, r = timed([py, "-m", "migrator", "upgrade", srv.get_uri("ours"), "--no-backup", "--yes",
                          "--no-server-check", "--json"])
            res = json.loads(r.stdout)
            assert res["ok"] and res["upgraded"], res
            ours.append(t)
            migrations.append(res["upgrade_seconds"])
            print(f"round {i + 1}: mlflow db upgrade {theirs[-1]:.1f}s, migrator upgrade {ours[-1]:.1f}s "
                  f"(migrations {migrations[-1]:.1f}s)", flush=True)
        med = statistics.median
        print(f"PostgreSQL, median of {rounds}: mlflow db upgrade {med(theirs):.1f}s, migrator upgrade {med(ours):.1f}s "
              f"-> {med(ours) / med(theirs):.2f}x (target <= 1.3x); migrations alone {med(migrations):.1f}s")
        admin.close()


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{cmd} failed: {r.stderr[-2000:]}")
    return wall, r


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_500_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=HERE / "out")
    ap.add_argument("--no-pg", action="store_true", help="Only the SQLite store.")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    store = a.workdir / f"upgrade_store_{a.rows}.db"
    if not store.exists():
        make_old_store(store, a.rows)
    n = sqlite3.connect(store).execute("SELECT count(*) FROM metrics").fetchone()[0]
    print(f"store: {store.stat().st_size / 1e6:.0f} MB, {n:,} metric rows, revision 0584bdc529eb (MLflow 2.22)")
    py = sys.executable
    theirs, ours, migrations, backup_step, backup_alone, copies, checks = [], [], [], [], [], [], []
    for i in range(a.rounds):
        work = a.workdir / "upgrade_round"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for name in ("mlflow.db", "ours.db", "backed.db"):
            shutil.copy(store, work / name)
        t, _ = timed([py, "-m", "mlflow", "db", "upgrade", f"sqlite:///{work / 'mlflow.db'}"])
        theirs.append(t)
        t, r = timed([py, "-m", "migrator", "upgrade", str(work / "ours.db"), "--no-backup", "--yes",
                      "--no-server-check", "--json"])
        res = json.loads(r.stdout)
        assert res["ok"] and res["upgraded"], res
        ours.append(t)
        migrations.append(res["upgrade_seconds"])
        c, k = floor_parts(store, work / "mlflow.db", work)
        copies.append(c)
        checks.append(k)
        t, _ = timed([py, "-m", "migrator", "backup", str(store), "--dest", str(work / "alone")])
        backup_alone.append(t)
        _, r = timed([py, "-m", "migrator", "upgrade", str(work / "backed.db"), "--yes", "--no-server-check",
                      "--backup", str(work / "backups"), "--json"])
        res = json.loads(r.stdout)
        backup_step.append(res["backup_seconds"])
        print(f"round {i + 1}: mlflow db upgrade {theirs[-1]:.1f}s, migrator upgrade {ours[-1]:.1f}s "
              f"(migrations {migrations[-1]:.1f}s), backup step {backup_step[-1]:.1f}s (+ drill "
              f"{res['drill_seconds']:.1f}s), migrator backup alone {backup_alone[-1]:.1f}s", flush=True)
    t, r = timed([py, "-m", "migrator", "upgrade", str(a.workdir / "upgrade_round" / "mlflow.db"), "--yes",
                  "--no-backup", "--json"])  # already upgraded by MLflow: a no-op
    work = a.workdir / "upgrade_round"
    shutil.copy(store, work / "served.db")
    served, _ = timed([py, "-m", "migrator", "upgrade", str(work / "served.db"), "--no-backup", "--yes"])
    med = statistics.median
    print(f"\nmedian of {a.rounds}: mlflow db upgrade {med(theirs):.1f}s, migrator upgrade {med(ours):.1f}s "
          f"-> {med(ours) / med(theirs):.2f}x (target <= 1.3x); migrations alone {med(migrations):.1f}s")
    floor = med(theirs) + med(copies) + med(checks)
    print(f"the floor of a copied, checked upgrade: MLflow's own {med(theirs):.1f}s + the copy {med(copies):.1f}s + "
          f"integrity_check {med(checks):.1f}s = {floor:.1f}s -> {floor / med(theirs):.2f}x MLflow's own; migrator is "
          f"{med(ours) / floor:.2f}x that floor")
    print(f"backup step {med(backup_step):.1f}s vs migrator backup alone {med(backup_alone):.1f}s -> "
          f"{med(backup_step) / med(backup_alone):.2f}x (target <= 1.0x)")
    print(f"with the mlflow server check as well (one run): {served:.1f}s")
    shutil.rmtree(work, ignore_errors=True)
    if not a.no_pg:
        pg_rounds(a.rows, a.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
