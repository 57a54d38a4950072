"""What MLflow's data-changing migrations promise, read before they run and checked after, on the same
connection (inside the upgrade's copy or transaction, before anything counts).

- Every migration whose code rewrites rows: the tables it names keep at least their rows, unless its code
  deletes; then only exactly the rows it is meant to delete are gone (known for the migrations below).
- 3.17's trace analytics (`75868b020152`): every trace's name, session and token counts are in their new
  columns of trace_info, computed by the migration's own helper from the old tag, metadata and metric rows,
  and exactly those old rows are gone. The keys and helpers are read from the migration module itself.
"""

from __future__ import annotations

from typing import Any

from .. import schema
from ..checks import Check
from ..migrations import Step
from ..schema import quote_ident as q

TRACE_ANALYTICS = "75868b020152"


def _names(conn: Any) -> set[str]:
    import sqlalchemy as sa

    return set(sa.inspect(conn).get_table_names())


def _count(conn: Any, table: str, where: str = "", params: tuple = ()) -> int:
    sql = f"SELECT count(*) FROM {q(table)}" + (f" WHERE {where}" if where else "")
    return int(conn.exec_driver_sql(sql, params).scalar() if params else conn.exec_driver_sql(sql).scalar())


def _in(conn: Any, values: list[str]) -> tuple[str, tuple]:
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    return "(" + ", ".join([mark] * len(values)) + ")", tuple(values)


def capture(conn: Any, steps: list[Step]) -> dict[str, Any]:
    names = _names(conn)
    held: dict[str, Any] = {"counts": {t: _count(conn, t) for s in steps if s.changes_data for t in s.tables
                                       if t in names}}
    if any(s.revision == TRACE_ANALYTICS for s in steps) and {"trace_info", "trace_tags"} <= names:
        held["trace_analytics"] = _trace_before(conn, names)
    return held


def check(conn: Any, steps: list[Step], held: dict[str, Any]) -> list[Check]:
    out = []
    names = _names(conn)
    deleting = {t for s in steps if s.deletes for t in s.tables}
    exact = held.get("trace_analytics", {}).get("deleted", {})
    shrunk = []
    for table, before in sorted(held["counts"].items()):
        if table not in names or table in exact:
            continue
        after = _count(conn, table)
        if after < before and table not in deleting:
            shrunk.append(f"{table}: {before:,} rows before, {after:,} after")
    out.append(Check("rows of rewritten tables", not shrunk,
                     f"{len(held['counts'])} tables named by data migrations kept their rows" if not shrunk
                     else "; ".join(shrunk)))
    if "trace_analytics" in held:
        out.append(_trace_after(conn, held["trace_analytics"]))
    return out


def planned_deletes(db: Any, steps: list[Step]) -> dict[str, dict[str, int]]:
    """revision -> {table: rows it will delete}, counted on the store, for the migrations whose deletions are
    known exactly (read through a store's read-only `Database`, before anything runs)."""
    out: dict[str, dict[str, int]] = {}
    names = set(db.table_names())
    if any(s.revision == TRACE_ANALYTICS for s in steps) and "trace_tags" in names:
        out[TRACE_ANALYTICS] = {
            t: int(db.query(f"SELECT count(*) FROM {q(t)} WHERE key IN ({', '.join('?' * len(k))})", k)[0][0])
            for t, k in _moved_keys().items() if t in names}
    return out


def _module() -> Any:
    return schema.script(schema.TRACKING).get_revision(TRACE_ANALYTICS).module


def _moved_keys() -> dict[str, list[str]]:
    """table -> the keys whose rows the trace-analytics migration moves into trace_info and then deletes
    (its own constants)."""
    mod = _module()
    return {"trace_tags": [mod._TRACE_NAME_TAG_KEY],
            "trace_request_metadata": [mod._TRACE_SESSION_METADATA_KEY, mod._TOKEN_USAGE_METADATA_KEY,
                                       mod._COST_METADATA_KEY],
            "trace_metrics": list(mod._TOKEN_COLUMNS), "span_metrics": list(mod._COST_COLUMNS)}


def _trace_before(conn: Any, names: set[str]) -> dict[str, Any]:
    mod = _module()
    bf = mod._backfill
    keys = {t: k for t, k in _moved_keys().items() if t in names}
    token_cols = dict(mod._TOKEN_COLUMNS)
    where = {t: _in(conn, k) for t, k in keys.items()}
    deleted = {t: _count(conn, t, f"key IN {ins}", params) for t, (ins, params) in where.items()}
    traces = [r[0] for r in conn.exec_driver_sql("SELECT request_id FROM trace_info").all()]
    ins, params = where["trace_tags"]
    tnames = dict(conn.exec_driver_sql(f"SELECT request_id, value FROM trace_tags WHERE key IN {ins}", params).all())
    meta: dict[str, dict[str, Any]] = {}
    if "trace_request_metadata" in where:
        ins, params = where["trace_request_metadata"]
        for rid, k, v in conn.exec_driver_sql(
                f"SELECT request_id, key, value FROM trace_request_metadata WHERE key IN {ins}", params).all():
            meta.setdefault(rid, {})[k] = v
    metrics: dict[str, dict[str, Any]] = {}
    if "trace_metrics" in where:
        ins, params = where["trace_metrics"]
        for rid, k, v in conn.exec_driver_sql(
                f"SELECT request_id, key, value FROM trace_metrics WHERE key IN {ins}", params).all():
            metrics.setdefault(rid, {})[token_cols[k]] = bf.token_count_or_none(v)
    compared = ["session_id", *token_cols.values()]
    expected = {}
    for rid in traces:
        values = bf.trace_analytics_values(meta.get(rid, {}), metrics.get(rid, {}))
        expected[rid] = {"trace_name": bf.bounded_string_or_none(tnames.get(rid), mod.TRACE_NAME_MAX_LENGTH),
                         **{c: values[c] for c in compared}}
    return {"expected": expected, "deleted": deleted, "counts": {t: _count(conn, t) for t in deleted}}


def _trace_after(conn: Any, held: dict[str, Any]) -> Check:
    name = "trace analytics moved (75868b020152)"
    expected = held["expected"]
    cols = list(next(iter(expected.values())).keys()) if expected else ["trace_name"]
    got = {r[0]: dict(zip(cols, r[1:])) for r in conn.exec_driver_sql(
        f"SELECT request_id, {', '.join(q(c) for c in cols)} FROM trace_info").all()}
    bad = [rid for rid, want in expected.items() if got.get(rid) != want]
    gone = []
    for table, n in held["deleted"].items():
        before, after = held["counts"][table], _count(conn, table)
        if after != before - n:
            gone.append(f"{table}: {before:,} rows before, {n:,} to move, {after:,} after")
    moved = sum(held["deleted"].values())
    if bad or gone:
        return Check(name, False, "; ".join([*(f"trace {r}: {got.get(r)} instead of {expected[r]}" for r in bad[:5]),
                                            *gone]))
    return Check(name, True, f"{len(expected):,} traces hold their name, session and token counts in trace_info; "
                             f"the {moved:,} old rows they came from are gone, no other")
