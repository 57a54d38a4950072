"""SQLite rows in PostgreSQL's binary COPY format without a Python object per value.

Python's sqlite3 module makes a Python object of every value it reads: at 15 M metric rows that is ~90 M
objects and about 3/4 of the COPY's CPU (1.5-2.9 s a million rows, against 0.3 s for SQLite to read them).
Here ADBC's SQLite driver (C) reads a key range into one Arrow record batch, and Arrow's compute kernels join
each row's fields, every one a 4-byte big-endian length then its bytes, into the COPY payload: one C pass,
no object per value. The bytes are the ones psycopg 3's C dumpers write for the same rows
(`tests/test_arrow_copy.py` compares them on hostile values).

Only rows whose every value has the storage class its column expects (text; integer; real; blob; or NULL)
go this way. The query computes, per row, whether one does not (`ODD`) and the rowid of a row failing a
`binary_copy.silent` check (`FLAGGED`, NULL otherwise); a segment with an odd row, a column that ADBC typed
otherwise, or any error of the driver returns None, and the caller encodes that segment with psycopg as
before (which refuses or converts such a value exactly as it always did).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Iterator, Sequence

ODD = "mig_odd"
FLAGGED = "mig_flagged"
# psycopg type -> (numpy dtype of its binary form, its width) for the fixed-width types
FIXED = {"float8": (">f8", 8), "float4": (">f4", 4), "int8": (">i8", 8), "int4": (">i4", 4), "int2": (">i2", 2),
         "bool": ("u1", 1)}
# psycopg type -> the SQLite storage class its values must have to go this way. Only text and bytea columns
# are checked row by row: the driver types a column by its first value and refuses any later value of
# another storage class, except text and BLOB (taken for each other) and an integer in a REAL column
# (converted as psycopg converts it: (double) of the integer). A column typed otherwise (a first value of
# another class) is caught on the batch's schema.
CHECKED = ("text", "bytea")
STORAGE = {"text": "text", "bytea": "blob", "float8": "real", "float4": "real", "int8": "integer",
           "int4": "integer", "int2": "integer", "bool": "integer"}


def available() -> bool:
    """Whether the packages are installed (found, not imported: the main process never loads them)."""
    from importlib.util import find_spec

    try:
        return all(find_spec(m) is not None for m in ("adbc_driver_sqlite", "adbc_driver_manager", "numpy", "pyarrow"))
    except (ImportError, ValueError):
        return False


def connect(uri: str, lean: bool = False) -> Any:
    """An ADBC connection to a SQLite URI (`file:...?mode=ro`), or None when the driver cannot open it. The
    driver manager's low-level API: its DB-API module would import pandas (~90 MB a process). `lean`: a
    process of its own whose Arrow memory goes through malloc (trim() gives it back; mimalloc keeps ~25 MB
    more a process)."""
    if lean and "pyarrow" not in sys.modules:
        os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    try:
        import adbc_driver_manager
        import adbc_driver_sqlite

        db = adbc_driver_sqlite.connect(uri)
        return db, adbc_driver_manager.AdbcConnection(db)
    except Exception:  # noqa: BLE001 - psycopg encodes every segment instead
        return None


def trim() -> None:
    """Give freed memory back to the system (glibc's malloc_trim; elsewhere nothing)."""
    global _libc
    try:
        if _libc is None:
            import ctypes

            _libc = ctypes.CDLL("libc.so.6")
        _libc.malloc_trim(0)
    except (OSError, AttributeError):
        _libc = False


_libc: Any = None


def odd_sql(exprs: Sequence[str], types: Sequence[str]) -> str:
    """SQL true for a row with a value (each of `exprs`, as it is sent) of a storage class its column's
    encoder here does not take."""
    conds = [f"typeof({e}) NOT IN ('{STORAGE[t]}', 'null')" for e, t in zip(exprs, types) if t in CHECKED]
    return " OR ".join(conds) if conds else "0"


def _field(col: Any, typ: str) -> Any:
    """One column as a binary array: each value's 4-byte length (-1: NULL), then its bytes."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(col)
    valid = None if col.null_count == 0 else col.is_valid().to_numpy(zero_copy_only=False)
    if pa.types.is_null(col.type):
        lens = np.full(n, -1, dtype=">i4")
        return pa.Array.from_buffers(pa.binary(4), n, [None, pa.py_buffer(lens.tobytes())]).cast(pa.binary())
    if typ in FIXED:
        dtype, width = FIXED[typ]
        rec = np.empty(n, dtype=[("len", ">i4"), ("v", dtype)])
        rec["len"] = width
        values = (col.fill_null(0) if valid is not None else col).to_numpy(zero_copy_only=False)
        with np.errstate(over="ignore"):  # a float4 out of range becomes infinity, as psycopg's: flagged
            rec["v"] = values != 0 if typ == "bool" else values
        whole = pa.Array.from_buffers(pa.binary(4 + width), n, [None, pa.py_buffer(rec.tobytes())]).cast(pa.binary())
        if valid is None:
            return whole
        rec["len"][~valid] = -1
        head = pa.Array.from_buffers(pa.binary(4), n, [None, pa.py_buffer(rec["len"].tobytes())]).cast(pa.binary())
        return pc.if_else(pa.array(valid), whole, head)
    data = col if pa.types.is_binary(col.type) else col.cast(pa.binary())
    lens = pc.binary_length(data).fill_null(-1).to_numpy(zero_copy_only=False).astype(">i4")
    head = pa.Array.from_buffers(pa.binary(4), n, [None, pa.py_buffer(lens.tobytes())]).cast(pa.binary())
    return pc.binary_join_element_wise(head, data, b"", null_handling="replace", null_replacement=b"")


# the Arrow types ADBC gives each psycopg type's values (a column of NULLs only may come as any of them)
def _arrow_ok(arrow_type: Any, typ: str) -> bool:
    import pyarrow as pa

    if pa.types.is_null(arrow_type):
        return True
    if typ == "text":
        return bool(pa.types.is_string(arrow_type))
    if typ == "bytea":
        return bool(pa.types.is_binary(arrow_type))
    if typ in ("float8", "float4"):
        return bool(pa.types.is_float64(arrow_type))
    return bool(pa.types.is_int64(arrow_type))


class NotTaken(Exception):
    """A value this path does not take (another storage class, a type ADBC gave otherwise)."""


def encode(conn: Any, sql: str, params: Sequence[Any], types: Sequence[str],
           batch_rows: int) -> tuple[bytes, int, list[int]] | None:
    """Run `sql` (its columns: the values, then ODD, then FLAGGED) and return (the rows in binary COPY format
    without header or trailer, the row count, rowids of flagged rows), or None: the segment holds a value
    this path does not take, or the driver failed; the caller encodes it with psycopg."""
    payload: list[bytes] = []
    rows = 0
    flagged: list[int] = []
    try:
        for data, n, marks in stream(conn, sql, params, types, batch_rows):
            payload.append(data)
            rows += n
            flagged += marks
    except Exception:  # noqa: BLE001 - NotTaken, a type the driver will not mix in a column, or any failure of it
        return None
    return b"".join(payload), rows, flagged


def stream(conn: Any, sql: str, params: Sequence[Any], types: Sequence[str],
           batch_rows: int) -> Iterator[tuple[bytes, int, list[int]]]:
    """encode's pieces one record batch at a time (at most `batch_rows` rows each): (bytes, rows, rowids of
    flagged rows). Raises NotTaken, or the driver's error, where encode returns None."""
    import adbc_driver_manager
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    ncols = len(types)
    head = pa.scalar(ncols.to_bytes(2, "big"), pa.binary())
    stmt = adbc_driver_manager.AdbcStatement(conn[1])
    try:
        stmt.set_options(**{"adbc.sqlite.query.batch_rows": str(max(1, batch_rows))})
        stmt.set_sql_query(sql)
        if params:  # bound as Arrow values (an int stays an int64, a text a string): the bounds are exact
            stmt.bind(pa.record_batch([pa.array([p]) for p in params], names=[f"p{i}" for i in range(len(params))]))
        handle, _rows = stmt.execute_query()
        for b in pa.RecordBatchReader.from_stream(handle):
            if b.num_rows == 0:
                continue
            odd = b.column(ncols)
            if odd.null_count != len(odd) and pc.any(pc.not_equal(odd, 0)).as_py():
                raise NotTaken("a value of another storage class")
            if not all(_arrow_ok(b.column(i).type, t) for i, t in enumerate(types)):
                raise NotTaken("a column typed otherwise")
            marks = b.column(ncols + 1)
            flagged = [] if marks.null_count == len(marks) else [int(r) for r in marks.drop_null().to_pylist()]
            joined = pc.binary_join_element_wise(head, *(_field(b.column(i), t) for i, t in enumerate(types)), b"")
            offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32, count=b.num_rows + 1,
                                    offset=joined.offset * 4)
            yield joined.buffers()[2][int(offsets[0]):int(offsets[-1])].to_pybytes(), b.num_rows, flagged
    finally:
        stmt.close()


__all__ = ["FLAGGED", "ODD", "NotTaken", "available", "connect", "encode", "odd_sql", "stream"]
