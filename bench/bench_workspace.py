"""Merging a store into a workspace of a populated target, against `sqlite-to-pg` of the same store into an
empty database, in one run.

    python bench/bench_workspace.py [--rows 1500000] [--rounds 3] [--populated-rows 150000]

The store: bench/make_big_store.py's (--rows metric rows, one run per 1,000 rows). The populated target: a
database whose `default` workspace holds another such store (--populated-rows), made once and cloned per
round (CREATE DATABASE ... TEMPLATE). Each round, on fresh databases:
- baseline: `migrator sqlite-to-pg STORE EMPTY --json` (verification on, as by default);
- merge:    `migrator sqlite-to-pg STORE POPULATED --workspace bench --json` (verification on, the merge
  transaction's collision checks and row sums, the id map);
and the same pair with --no-verify. Medians of the rounds; peak RSS of the process tree.
Target: merge <= 1.3x baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_sqlite_to_pg import db_url, drop_db, run_measured  # noqa: E402
from make_big_store import make_store  # noqa: E402
from measure import admin_url  # noqa: E402


def create_db(admin: str, template: str | None = None) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    eng = sa.create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    eng.dispose()
    return name


def run(cmd: list[str]) -> dict:
    wall, rss, out, _ = run_measured(cmd)
    res = json.loads(out)
    return {"wall": wall, "rss_mb": rss, "phases": res.get("phases", {})}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_500_000)
    ap.add_argument("--populated-rows", type=int, default=150_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pg-url", default=os.environ.get("MIGRATOR_TEST_PG_URL"))
    ap.add_argument("--workdir", type=Path, default=HERE / "out")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    admin, server = admin_url(a.pg_url)  # the embedded server lives as long as `server`
    stores = {}
    for n in (a.rows, a.populated_rows):
        p = a.workdir / f"store_{n}.db"
        if n == a.populated_rows:
            p = a.workdir / f"store_{n}_populated.db"
        if not p.exists():
            make_store(p, n)
        stores[n] = p
    template = create_db(admin)
    m = [sys.executable, "-m", "migrator", "sqlite-to-pg"]
    run([*m, str(stores[a.populated_rows]), db_url(admin, template), "--json", "--no-verify"])
    rows: dict[str, list[dict]] = {"empty": [], "merge": [], "empty_nv": [], "merge_nv": []}
    try:
        for i in range(a.rounds):
            for key, extra in (("empty", []), ("merge", ["--workspace", "bench"]), ("empty_nv", ["--no-verify"]),
                               ("merge_nv", ["--workspace", "bench", "--no-verify"])):
                db = create_db(admin, template if key.startswith("merge") else None)
                url = db_url(admin, db)
                with tempfile.TemporaryDirectory() as d:
                    idmap = ["--id-map", str(Path(d) / "map.json")] if key.startswith("merge") else []
                    rows[key].append(run([*m, str(stores[a.rows]), url, "--json", *extra, *idmap]))
                drop_db(admin, url)
                print(f"round {i + 1} {key}: {rows[key][-1]['wall']:.1f}s", file=sys.stderr)
    finally:
        drop_db(admin, db_url(admin, template))
        if server is not None:
            server.cleanup()  # type: ignore[attr-defined]

    def med(key: str) -> float:
        return statistics.median(r["wall"] for r in rows[key])

    out = {
        "rows": a.rows, "populated_rows": a.populated_rows, "rounds": a.rounds,
        "empty_s": round(med("empty"), 2), "merge_s": round(med("merge"), 2),
        "ratio": round(med("merge") / med("empty"), 3),
        "empty_no_verify_s": round(med("empty_nv"), 2), "merge_no_verify_s": round(med("merge_nv"), 2),
        "ratio_no_verify": round(med("merge_nv") / med("empty_nv"), 3),
        "peak_rss_mb": max(r["rss_mb"] for k in rows for r in rows[k]),
        "merge_phases": rows["merge"][len(rows["merge"]) // 2]["phases"],
        "empty_phases": rows["empty"][len(rows["empty"]) // 2]["phases"],
    }
    print(json.dumps(out, indent=1))
    print(f"merge into a populated target / sqlite-to-pg into an empty one: {out['ratio']:.2f}x "
          f"(target <= 1.3x); --no-verify: {out['ratio_no_verify']:.2f}x", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
