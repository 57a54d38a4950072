"""PostgreSQL's binary COPY format as psycopg 3's C dumpers write it: which column types have an exact binary
form, and which SQLite values those dumpers would take without a word but not as PostgreSQL means them. Shared
by the big tables' COPY (bulk/direct.py) and the verification's byte-for-byte compare (verification/binary.py).
"""

from __future__ import annotations

from typing import Any, Sequence

from ..schema import Column
from ..schema import quote_ident as q

# PostgreSQL type -> the psycopg type whose binary form its receive function takes
BINARY_TYPES = {"text": "text", "varchar": "text", "bpchar": "text", "int2": "int2", "int4": "int4",
                "int8": "int8", "float4": "float4", "float8": "float8", "bool": "bool", "bytea": "bytea"}
# that psycopg type -> the column kind (schema.Column.kind) both sides must declare
KINDS = {"text": "text", "int2": "smallint", "int4": "int", "int8": "bigint", "float4": "float4",
         "float8": "float", "bool": "bool", "bytea": "bytes"}
INT_RANGE = {"int": (-(2**31), 2**31 - 1), "smallint": (-(2**15), 2**15 - 1)}
SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"  # header: flags, extension
TRAILER = b"\xff\xff"


def formatter(types: Sequence[str]) -> Any:
    """psycopg 3's binary COPY formatter with its C dumpers for `types` (no connection: the global adapters,
    text as UTF-8): write_row gives a row's bytes (the header before the first), end() the trailer."""
    import psycopg
    from psycopg._copy_base import BinaryFormatter  # the formatter psycopg's own Copy writes with
    from psycopg.adapt import Transformer
    from psycopg.pq import Format

    tx = Transformer()
    tx.set_dumper_types([psycopg.adapters.types[t].oid for t in types], Format.BINARY)
    return BinaryFormatter(tx)


def pg_types(conn: Any, table: str) -> dict[str, str]:
    """Column -> PostgreSQL type name (an enum counts as text), through a SQLAlchemy connection."""
    rows = conn.exec_driver_sql(f"""
        SELECT a.attname, CASE WHEN t.typtype = 'e' THEN 'text' ELSE t.typname END
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = '{q(table)}'::regclass AND a.attnum > 0 AND NOT a.attisdropped""").all()
    return {name: typ for name, typ in rows}


def binary_types(cols: list[Column], pg: dict[str, str]) -> list[str] | None:
    """The psycopg type of each column, or None when one has no exact binary form or the declared kinds
    disagree."""
    out = []
    for c in cols:
        b = BINARY_TYPES.get(pg.get(c.name, ""))
        if b is None or KINDS[b] != c.kind:
            return None
        out.append(b)
    return out


def silent(c: Column) -> str | None:
    """An SQL condition (SQLite) true for the values of `c` that the binary encoder would take without a word
    but not as PostgreSQL would (psycopg's int4/int2 dumpers wrap around, float4 becomes infinity, any true
    value a boolean true). Every other bad value is refused on the way: the encoder raises on a value of the
    wrong type (a BLOB in a text column, text in a number column)."""
    col = q(c.name)
    if c.kind in INT_RANGE:
        lo, hi = INT_RANGE[c.kind]
        return f"{col} NOT BETWEEN {lo} AND {hi}"
    if c.kind == "float4":
        return f"abs({col}) > 3.4028234663852886e38 AND abs({col}) < 9e999"  # an infinity is a real's too
    if c.kind == "bool":
        return f"{col} NOT IN (0, 1)"
    return None
