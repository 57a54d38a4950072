"""The compare's fast path for a SQLite side against a PostgreSQL side: bytes, not Python values.

PostgreSQL sends its rows of a table (or a key range of it) as one binary COPY, in key order; the SQLite
rows of the same range, read in the same order, are encoded by psycopg 3's C dumpers for the target's column
types (what the move itself sends, bulk/direct.py). Equal streams are equal rows: a value's binary form is
exact (floats bit for bit, text as its UTF-8 bytes, NULL as its own marker). Nothing is concluded from a
difference: the caller then compares that range row by row, which names the rows. So is every case the
bytes cannot settle: a value the dumpers would take but not as PostgreSQL means it (an integer out of range,
a boolean other than 0 or 1: flagged inside SQLite), a value they refuse (a BLOB in a text column), a type
without an exact binary form, rewrite rules on the table. No Python value is made for a PostgreSQL row.
Measured at 15 M metric rows (docs/performance.md, sessions 14 and 15): 66.4 s row by row, 45.7 s bytes first.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Sequence

from ..schema import Table
from ..schema import quote_ident as q
from ..stores import KeyRange, PgSide, Side, SqliteSide
from ..stores.binary_copy import binary_types, formatter, pg_types, silent

BATCH = 2_000  # SQLite rows encoded at a time, ahead of PostgreSQL's stream


class _Differs(Exception):
    pass


def equal_bytes(src: Side, tgt: Side, st: Table, tt: Table, cols: Sequence[str], key: Sequence[str],
                part: KeyRange | None) -> bool:
    """True when the rows of `part` (or of the whole table) are proven equal byte for byte; False when not
    proven (the caller compares them row by row)."""
    if not isinstance(src, SqliteSide) or not isinstance(tgt, PgSide):
        return False
    by_name = {c.name: c for c in st.columns}
    scols = [by_name[c] for c in cols]
    types = binary_types(scols, pg_types(tgt.conn, tt.name))
    if types is None:
        return False
    try:
        return _compare(src, tgt, tt, cols, key, part, types,
                        " OR ".join(f"({c})" for c in map(silent, scols) if c))
    except (_Differs, sqlite3.Error, TypeError, ValueError, OverflowError):
        return False
    except Exception as e:  # psycopg's DataError and the like: the dumpers refused a value
        if type(e).__module__.startswith("psycopg"):
            return False
        raise


class _PgStream:
    """What psycopg2's copy_expert writes PostgreSQL's COPY data into (one call per row): each piece is
    matched against the SQLite rows encoded so far, more of them encoded as needed."""

    def __init__(self, rows: sqlite3.Cursor, fmt: Any) -> None:
        self.rows, self.fmt = rows, fmt
        self.mine = bytearray()  # SQLite's bytes not yet matched
        self.theirs = bytearray()  # PostgreSQL's bytes not yet matched
        self.done = False
        self.differs = False  # once set, PostgreSQL's rest is read and dropped (the COPY must run to its end)

    def _more(self) -> None:
        batch = self.rows.fetchmany(BATCH)
        write = self.fmt.write_row
        for r in batch:
            self.mine += write(r)
        if not batch:
            self.mine += self.fmt.end()
            self.done = True

    def write(self, data: Any) -> None:
        if self.differs:
            return
        if not isinstance(data, (bytes, bytearray, memoryview)):
            self.differs = True  # text: nothing to compare bytes with
            return
        theirs = self.theirs
        theirs += data
        if len(theirs) >= 65_536:
            self.match()

    def match(self) -> None:
        """Encode SQLite rows until they cover PostgreSQL's bytes so far; compare; drop what matched. An
        exception from here (a value the dumpers refuse) is kept for after the COPY, never raised into it."""
        mine, theirs = self.mine, self.theirs
        try:
            while len(mine) < len(theirs) and not self.done:
                self._more()
        except Exception:  # noqa: BLE001 - not proven: the caller compares row by row
            self.differs = True
            return
        n = min(len(mine), len(theirs))
        if mine[:n] != theirs[:n]:
            self.differs = True
            return
        del mine[:n], theirs[:n]


def _compare(src: SqliteSide, tgt: PgSide, t: Table, cols: Sequence[str], key: Sequence[str],
             part: KeyRange | None, types: list[str], flag: str) -> bool:
    plain = tgt.byte_ordered(t.name)
    kinds = {c.name: c.kind for c in t.columns}
    cond, params = part.where(pg=True, collate=part.column not in plain) if part is not None else ("TRUE", [])
    order = ", ".join(f'{q(k)} COLLATE "C"' if kinds.get(k) == "text" and k not in plain else q(k) for k in key)
    raw: Any = tgt.conn.connection.dbapi_connection  # psycopg2's: mogrify and copy_expert
    assert raw is not None
    if not hasattr(raw, "get_transaction_status"):  # psycopg 3 (postgresql+psycopg://): row by row
        return False
    with raw.cursor() as cur:
        where = cur.mogrify(cond, params).decode() if params else cond
    pg_sql = (f"COPY (SELECT {', '.join(q(c) for c in cols)} FROM {q(t.name)} WHERE {where} ORDER BY {order}) "
              "TO STDOUT (FORMAT BINARY)")
    scond, sparams = part.where(pg=False) if part is not None else ("1", [])
    flagged: list[int] = []

    def mark() -> int:
        flagged.append(1)
        return 1

    src.conn.create_function("mig_flag", 0, mark)
    check = f" AND CASE WHEN {flag} THEN mig_flag() ELSE 1 END" if flag else ""
    rows = src.conn.execute(f"SELECT {', '.join(q(c) for c in cols)} FROM {q(t.name)} WHERE ({scond}){check} "
                            f"ORDER BY {', '.join(q(k) for k in key)}", sparams)
    stream = _PgStream(rows, formatter(types))
    # inside the compare's transaction (its snapshot), a failed COPY must not abort it for the row compare
    savepoint = not raw.autocommit
    try:
        with raw.cursor() as cur:
            if savepoint:
                cur.execute("SAVEPOINT mig_bytes")
            try:
                cur.copy_expert(pg_sql, stream)
            except Exception:
                if savepoint:
                    cur.execute("ROLLBACK TO SAVEPOINT mig_bytes")
                raise
            if savepoint:
                cur.execute("RELEASE SAVEPOINT mig_bytes")
        if not stream.differs:
            stream.match()
        if stream.differs:
            return False
        # equal: SQLite's rows ran out (its trailer written) exactly where PostgreSQL's stream ended
        return stream.done and not stream.mine and not stream.theirs and not flagged
    finally:
        rows.close()
