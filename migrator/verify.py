"""Prove that two MLflow stores hold the same data: counts, every row, revision, sequences, API parity."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

import sqlalchemy as sa

from . import schema
from .artifacts import Rule, columns_for, rewrite_uri
from .errors import MigratorError
from .schema import Table
from .schema import quote_ident as q
from .snapshot import temporary_snapshot
from .stores import Store, connect_pg

MAX_KEYS = 10
SECRET_HINTS = ("secret", "password", "encrypted", "dek", "token", "api_key")
Progress = Callable[..., None]


@dataclass
class TableCheck:
    table: str
    source_rows: int | None
    target_rows: int | None
    status: str = "ok"  # ok | mismatch | missing_in_source | missing_in_target
    differences: list[dict[str, Any]] = field(default_factory=list)
    differing_rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "source_rows": self.source_rows, "target_rows": self.target_rows,
                "status": self.status, "differing_rows": self.differing_rows, "differences": self.differences}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass
class VerifyReport:
    tables: list[TableCheck] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(t.status == "ok" for t in self.tables) and all(c.ok for c in self.checks)

    def summary(self) -> str:
        bad = [t.table for t in self.tables if t.status != "ok"]
        badc = [c.name for c in self.checks if not c.ok]
        parts = []
        if bad:
            parts.append("tables differ: " + ", ".join(bad))
        if badc:
            parts.append("checks failed: " + ", ".join(badc))
        return "; ".join(parts) or "all match"

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "tables": [t.as_dict() for t in self.tables],
                "checks": [c.as_dict() for c in self.checks]}


# --------------------------------------------------------------------------- sides
class Side:
    """Read access to one store for comparison."""

    kind: str
    tables: dict[str, Table]

    def revision(self) -> str | None: ...
    def count(self, table: str) -> int: ...
    def rows(self, t: Table, cols: Sequence[str], key: Sequence[str], exclude_rejected: bool = False) -> Iterator[tuple]: ...


class SqliteSide(Side):
    kind = "sqlite"
    snap_path: Any = None

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.tables = schema.sqlite_tables(conn)
        self.tables.pop("alembic_version", None)

    def revision(self) -> str | None:
        return schema.sqlite_revision(self.conn)

    def count(self, table: str, exclude_rejected: bool = False) -> int:
        where = self._where(table) if exclude_rejected else ""
        return int(self.conn.execute(f"SELECT count(*) FROM {q(table)}{where}").fetchone()[0])

    @staticmethod
    def _where(table: str) -> str:
        return f" WHERE rowid NOT IN (SELECT rid FROM temp.mig_rej WHERE tbl = '{table}')"

    def rows(self, t: Table, cols: Sequence[str], key: Sequence[str], exclude_rejected: bool = False) -> Iterator[tuple]:
        where = self._where(t.name) if exclude_rejected else ""
        cur = self.conn.execute(f"SELECT {', '.join(q(c) for c in cols)} FROM {q(t.name)}{where} "
                                f"ORDER BY {', '.join(q(k) for k in key)}")
        while batch := cur.fetchmany(10_000):
            yield from batch


class PgSide(Side):
    kind = "postgresql"

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.tables = schema.pg_tables(conn)
        self.tables.pop("alembic_version", None)

    def revision(self) -> str | None:
        return schema.pg_revision(self.conn)

    def count(self, table: str, exclude_rejected: bool = False) -> int:
        return int(self.conn.exec_driver_sql(f"SELECT count(*) FROM {q(table)}").scalar())

    def rows(self, t: Table, cols: Sequence[str], key: Sequence[str], exclude_rejected: bool = False) -> Iterator[tuple]:
        kinds = {c.name: c.kind for c in t.columns}
        sel = ", ".join(f"{q(c)}::text" if kinds.get(c) == "json" else q(c) for c in cols)
        order = ", ".join(f'{q(k)} COLLATE "C"' if kinds.get(k) == "text" else q(k) for k in key)
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        cur = raw.cursor(name=f"mig_{uuid.uuid4().hex[:12]}")
        cur.itersize = 20_000
        try:
            cur.execute(f"SELECT {sel} FROM {q(t.name)} ORDER BY {order}")
            while batch := cur.fetchmany(20_000):
                yield from batch
        finally:
            cur.close()

    def sequence_checks(self, label: str) -> list[Check]:
        out = []
        for t, c, seq in schema.pg_sequences(self.conn):
            last, called = self.conn.exec_driver_sql(f"SELECT last_value, is_called FROM {seq}").one()
            nxt = last + 1 if called else last
            mx = self.conn.exec_driver_sql(f"SELECT max({q(c)}) FROM {q(t)}").scalar()
            ok = mx is None or nxt > mx
            detail = f"{label} {seq}: next value {nxt}, max({t}.{c}) = {mx}"
            what = "create_experiment" if t == "experiments" else f"insert into {t}"
            if not ok:
                detail += f": the next {what} would fail with a duplicate key"
            elif called and last == self.conn.exec_driver_sql(
                    f"SELECT seqmax FROM pg_sequence WHERE seqrelid = '{seq}'::regclass").scalar():
                detail += f" (the sequence is at its maximum: the next {what} will fail, as the largest id is taken)"
            out.append(Check(f"sequence {label} {t}.{c}", ok, detail))
        return out


# --------------------------------------------------------------------------- normalisation
def _float(v: Any) -> Any:
    return None if v is None else repr(float(v))


def _bool(v: Any) -> Any:
    return None if v is None else int(v)


def _bytes(v: Any) -> Any:
    return None if v is None else bytes(v) if not isinstance(v, str) else v.encode()


def _date(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return dt.date.fromisoformat(str(v)[:10]).isoformat() if len(str(v)) >= 10 else v


def _datetime(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None)
    try:
        return dt.datetime.fromisoformat(str(v))
    except ValueError:
        return v


def _json(v: Any) -> Any:
    if v is None or not isinstance(v, str):
        return v
    try:
        return json.dumps(json.loads(v), sort_keys=True)
    except ValueError:
        return v


_NORM: dict[str, Callable[[Any], Any]] = {"float": _float, "float4": _float, "bool": _bool, "bytes": _bytes,
                                          "date": _date, "datetime": _datetime, "jsonb": _json}


def _normalizer(t: Table, cols: Sequence[str], kinds: dict[str, str], rules: Sequence[Rule],
                key: Sequence[str]) -> Callable[[tuple], tuple]:
    """Row -> comparable tuple. Floats become repr() (bit-exact, NaN-safe); float key columns stay
    floats (so rows still sort as in the database) and their repr() is appended at the end."""
    env: dict[str, Any] = {"rw": lambda v: rewrite_uri(v, rules)}
    exprs, tail = [], []
    art = {a.column: a for a in columns_for(t.name, cols)} if rules else {}
    for i, c in enumerate(cols):
        e = f"r[{i}]"
        kind = kinds.get(c, "")
        fn = _NORM.get(kind)
        if kind in ("float", "float4") and c in key:
            env[f"n{i}"] = _float
            tail.append(f"n{i}({e})")
            env[f"f{i}"] = _key_float
            e = f"f{i}({e})"
        elif fn is not None:
            env[f"n{i}"] = fn
            e = f"n{i}({e})"
        if c in art:
            a = art[c]
            if a.key_column is None:
                e = f"rw({e})"
            else:
                env[f"k{i}"] = set(a.keys)
                e = f"(rw({e}) if r[{cols.index(a.key_column)}] in k{i} else {e})"
        exprs.append(e)
    return eval("lambda r: (" + ", ".join(exprs + tail) + ",)", env)  # noqa: S307 - fixed fragments only


def _key_float(v: Any) -> Any:
    return None if v is None else float(v)


def _redact_value(table: str, col: str, v: Any) -> Any:
    if any(h in table.lower() or h in col.lower() for h in SECRET_HINTS):
        return "***"
    if isinstance(v, bytes):
        return "0x" + v[:32].hex() + ("..." if len(v) > 32 else "")
    if isinstance(v, str) and len(v) > 200:
        return v[:200] + "..."
    return v


# --------------------------------------------------------------------------- comparisons
def compare_tables(src: Side, tgt: Side, rules: Sequence[Rule] = (), exclude_rejected: bool = False,
                   progress: Progress | None = None) -> list[TableCheck]:
    out: list[TableCheck] = []
    for name in sorted(set(src.tables) | set(tgt.tables)):
        if name not in tgt.tables:
            out.append(TableCheck(name, src.count(name), None, "missing_in_target"))
            continue
        if name not in src.tables:
            out.append(TableCheck(name, None, tgt.count(name), "missing_in_source"))
            continue
        out.append(_compare_table(src, tgt, name, rules, exclude_rejected, progress))
    return out


def _compare_table(src: Side, tgt: Side, name: str, rules: Sequence[Rule], exclude_rejected: bool,
                   progress: Progress | None) -> TableCheck:
    st, tt = src.tables[name], tgt.tables[name]
    check = TableCheck(name, src.count(name, exclude_rejected), tgt.count(name))
    scols = [c.name for c in st.columns]
    tcols = [c.name for c in tt.columns]
    if set(scols) != set(tcols):
        check.status = "mismatch"
        check.differences.append({"columns": {"only_in_source": sorted(set(scols) - set(tcols)),
                                              "only_in_target": sorted(set(tcols) - set(scols))}})
        return check
    cols = tcols
    key = tt.pk or st.pk or cols
    # kinds from the target (PostgreSQL knows bool/json/date exactly); fall back to the source's
    kinds = {c.name: c.kind for c in st.columns}
    kinds.update({c.name: c.kind for c in tt.columns if c.kind != "other"})
    for c in st.columns:  # a bool on either side normalises both
        if c.kind in ("bool", "float", "float4"):
            kinds[c.name] = c.kind
    nsrc = _normalizer(st, cols, kinds, rules, key)
    ntgt = _normalizer(tt, cols, kinds, (), key)
    kidx = [cols.index(k) for k in key]
    total = max(check.source_rows or 0, check.target_rows or 0)
    if progress:
        progress("table_start", table=f"verify {name}", total=total)
    a_raw: Iterator[tuple] = iter(src.rows(st, cols, key, exclude_rejected))
    b_raw: Iterator[tuple] = _prefetch(tgt.rows(tt, cols, key))
    simple = {"text", "int", "smallint", "bigint", "float", "float4", "bool", "bytes"}
    if all(kinds.get(c) in simple for c in cols) and not (rules and columns_for(name, cols)):
        a_raw, b_raw = _fast_equal_prefix(a_raw, b_raw, [i for i, c in enumerate(cols) if "float" in kinds[c]],
                                          progress, name)
    a_it = map(nsrc, a_raw)
    b_it = map(ntgt, b_raw)
    a, b = next(a_it, None), next(b_it, None)
    seen = 0
    while a is not None and b is not None:
        if a == b:  # the common case: one tuple comparison per row
            a, b = next(a_it, None), next(b_it, None)
        else:
            ka, kb = tuple(a[i] for i in kidx), tuple(b[i] for i in kidx)
            if ka == kb:
                diff = {cols[i]: [_redact_value(name, cols[i], x), _redact_value(name, cols[i], y)]
                        for i, (x, y) in enumerate(zip(a, b)) if x != y and i < len(cols)}
                if not diff:  # only the bit pattern of a float key differs (e.g. -0.0 vs 0.0)
                    diff = {key[j]: [a[len(cols) + j], b[len(cols) + j]] for j in range(len(a) - len(cols))}
                _add(check, name, key, a, kidx, {"columns": diff})
                a, b = next(a_it, None), next(b_it, None)
            elif _key_lt(ka, kb):
                _add(check, name, key, a, kidx, {"missing_in": "target"})
                a = next(a_it, None)
            else:
                _add(check, name, key, b, kidx, {"missing_in": "source"})
                b = next(b_it, None)
        seen += 1
        if progress and seen % 100_000 == 0:
            progress("rows", table=f"verify {name}", n=100_000)
    while a is not None:
        _add(check, name, key, a, kidx, {"missing_in": "target"})
        a = next(a_it, None)
    while b is not None:
        _add(check, name, key, b, kidx, {"missing_in": "source"})
        b = next(b_it, None)
    if progress:
        progress("table_done", table=f"verify {name}")
    if check.source_rows != check.target_rows and check.status == "ok":
        check.status = "mismatch"
    return check


def _fast_equal_prefix(a: Iterator[tuple], b: Iterator[tuple], float_idx: list[int], progress: Progress | None,
                       name: str, batch: int = 10_000) -> tuple[Iterator[tuple], Iterator[tuple]]:
    """Skip the leading batches that are equal as raw rows (bool == 0/1, memoryview == bytes, floats
    also compared bit for bit with struct); hand back iterators positioned at the first batch that is
    not, for the row-by-row merge."""
    import itertools
    import struct

    while True:
        xa = list(itertools.islice(a, batch))
        xb = list(itertools.islice(b, batch))
        same = len(xa) == len(xb) and xa == xb
        if same and float_idx and xa:
            fmt = f"<{len(xa) * len(float_idx)}d"
            # xa == xb already holds, so NULLs sit at the same places on both sides
            same = (struct.pack(fmt, *[0.0 if r[i] is None else r[i] for r in xa for i in float_idx])
                    == struct.pack(fmt, *[0.0 if r[i] is None else r[i] for r in xb for i in float_idx]))
        if not same or not xa:
            return itertools.chain(xa, a), itertools.chain(xb, b)
        if progress:
            progress("rows", table=f"verify {name}", n=len(xa))


def _key_lt(x: tuple, y: tuple) -> bool:
    try:
        return x < y
    except TypeError:  # mixed types in one column: fall back to a stable order
        return tuple(map(repr, x)) < tuple(map(repr, y))


def _prefetch(rows: Iterator[tuple], depth: int = 4, batch: int = 20_000) -> Iterator[tuple]:
    """Read `rows` in a background thread (the database driver releases the GIL while it waits)."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            buf = []
            for r in rows:
                buf.append(r)
                if len(buf) >= batch:
                    q.put(buf)
                    buf = []
                    if stop.is_set():
                        return
            q.put(buf)
            q.put(done)
        except BaseException as e:  # handed to the consumer, re-raised there
            q.put(e)

    th = threading.Thread(target=work, daemon=True)
    th.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield from item
    finally:
        stop.set()
        while th.is_alive():
            try:
                q.get_nowait()
            except Exception:
                th.join(0.05)


def _add(check: TableCheck, name: str, key: Sequence[str], row: tuple, kidx: list[int], what: dict[str, Any]) -> None:
    check.status = "mismatch"
    check.differing_rows += 1
    if len(check.differences) < MAX_KEYS:
        k = {kn: _redact_value(name, kn, row[i]) for kn, i in zip(key, kidx)}
        check.differences.append({"key": k, **what})


def verify_content(sconn: sqlite3.Connection, pgconn: sa.Connection, rules: Sequence[Rule] = (),
                   exclude_rejected: bool = False, progress: Progress | None = None) -> VerifyReport:
    """Counts, content, revision and sequences of a SQLite snapshot against a PostgreSQL connection
    (used inside sqlite-to-pg's transaction, before commit)."""
    src, tgt = SqliteSide(sconn), PgSide(pgconn)
    report = VerifyReport(compare_tables(src, tgt, rules, exclude_rejected, progress))
    report.checks.append(_revision_check(src, tgt))
    report.checks += tgt.sequence_checks("target")
    return report


def _revision_check(src: Side, tgt: Side) -> Check:
    a, b = src.revision(), tgt.revision()
    return Check("schema revision", a == b, f"source {a}, target {b}")


# --------------------------------------------------------------------------- full verify
@contextmanager
def open_side(store: Store, stack: ExitStack) -> Iterator[Side]:
    if store.is_sqlite:
        assert store.path is not None
        snap = stack.enter_context(temporary_snapshot(store.path))
        conn = sqlite3.connect(snap, check_same_thread=False)  # read by the prefetch thread
        stack.callback(lambda: side.conn.close())
        side = SqliteSide(conn)
        side.snap_path = snap
        yield side
    else:
        engine, conn = connect_pg(store)
        stack.callback(engine.dispose)
        stack.callback(conn.close)
        conn.begin()
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        side = PgSide(conn)
        if side.revision() is None:
            raise MigratorError(f"{store.redacted} is not an MLflow store (no alembic_version table)")
        yield side


def verify(source: Store, target: Store, rules: Sequence[Rule] = (), sample: int = 50,
           progress: Progress | None = None) -> VerifyReport:
    """Compare two stores of any kinds. Neither is modified (SQLite sides are read from snapshots)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .api_parity import api_parity

    parity = None
    with ExitStack() as stack:
        src = stack.enter_context(open_side(source, stack))
        tgt = stack.enter_context(open_side(target, stack))
        upgraded = []
        for label, side, other in (("source", src, tgt), ("target", tgt, src)):
            rev, other_rev = side.revision(), other.revision()
            if (isinstance(side, SqliteSide) and rev != other_rev and other_rev == schema.installed_head()
                    and schema.compare_to_installed(rev) == "older"):
                # what sqlite-to-pg does: bring an old SQLite store (its snapshot) to the installed head
                side.conn.close()
                schema.upgrade_sqlite_file(str(side.snap_path))
                side.__init__(sqlite3.connect(side.snap_path, check_same_thread=False))
                upgraded.append(Check(f"{label} upgraded", True, f"the {label} snapshot was upgraded from {rev} to "
                                      f"{other_rev} with MLflow's migrations before comparing (the store is untouched)"))
        stores = {"source": source, "target": target}
        for label, side, other in (("source", src, tgt), ("target", tgt, src)):
            check = _renumbered(side, other, label)
            if check is not None:  # the MlflowClient check reads the renumbered snapshot too
                upgraded.append(check)
                stores[label] = Store("sqlite", f"sqlite:///{side.snap_path}", side.snap_path)
        same_rev = src.revision() == tgt.revision()
        if sample > 0:  # the MlflowClient check runs in a second process, side by side with the row compare
            pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")))
            from ._spawn import hidden_main

            with hidden_main():  # the worker must not re-run the caller's main script
                parity = pool.submit(api_parity, stores["source"], stores["target"], tuple(rules), sample, same_rev)
        report = VerifyReport(compare_tables(src, tgt, rules, progress=progress), upgraded)
        report.checks.append(_revision_check(src, tgt))
        for label, side in (("source", src), ("target", tgt)):
            if isinstance(side, PgSide):
                report.checks += side.sequence_checks(label)
        if parity is not None:
            report.checks.append(parity.result())
    if sample == 0:
        report.checks.append(api_parity(source, target, rules, sample, same_rev))
    return report


def _renumbered(side: Side, other: Side, label: str) -> Check | None:
    """A SQLite side whose experiment ids do not fit PostgreSQL, against a PostgreSQL side that holds them
    renumbered by `sqlite-to-pg --renumber-experiments` (its migrator.renumbered_from tags): the same
    renumbering is applied to the SQLite side's snapshot before comparing."""
    from . import renumber

    if not isinstance(side, SqliteSide) or not isinstance(other, PgSide):
        return None
    big = renumber.out_of_range_ids(side.conn)
    if not big:
        return None
    rows = other.conn.exec_driver_sql("SELECT value, experiment_id FROM experiment_tags WHERE key = %(k)s",
                                      {"k": renumber.SOURCE_ID_TAG}).all()
    mapping = renumber.mapping_from_tags([tuple(r) for r in rows])
    if not all(b in mapping for b in big):
        return None  # not renumbered by migrator: the row compare reports the differences
    renumber.apply(side.conn, {b: mapping[b] for b in big})
    return Check("experiment ids renumbered", True,
                 f"{len(big)} experiment id(s) of the {label} that do not fit PostgreSQL's integer were compared "
                 f"under the new ids recorded in the other side's {renumber.SOURCE_ID_TAG} tags")
