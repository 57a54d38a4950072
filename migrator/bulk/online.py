"""The online move of a SQLite store: phase one while the old server runs, the cutover once it has stopped.

Phase one (`sqlite-to-pg --online`) is the ordinary move of a snapshot (SQLite's backup API: consistent while
the server writes) into the target, verified, with one difference: the snapshot is kept, untouched, in a
private state folder (0700, files 0600) together with a baseline: each table's row count, its largest rowid
and the pages its b-tree held (`stores.sqlite_pages`). The target must not be used until the cutover.

The cutover (`sqlite-to-pg --cutover`), once the old server is stopped:
1. refuses while any process holds the source open (named from /proc), or while it has a hot journal;
2. compares the source with the kept snapshot page for page: only the tables with a changed page of their
   b-tree can hold a change; of those, only the rowid ranges of their changed leaf pages and the rows past
   the snapshot's largest rowid are compared row for row (a changed overflow page, or a row count outside
   those ranges that differs from the snapshot's, sends the whole table to a full comparison);
3. applies what differs (rows new or changed: upserted by primary key; rows gone: deleted) in ONE PostgreSQL
   transaction per target database, resets the sequences and compares every changed table's row count with
   the source's before it commits, and refuses if the source changed meanwhile;
4. records the transaction's id in the state: a cutover killed before its commit left the target as it
   was and runs again; one killed after it is found committed (txid_status) and not applied twice.

`--online` again before the stop (`catch_up`) does steps 2-4 against a new snapshot of the running source
and makes that snapshot the baseline, so that the cutover has only the last minutes of writes to apply.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .. import schema
from ..artifacts import parse_user_rules
from ..errors import Locked, MigratorError
from ..files import open_private, private_dir, write_private
from ..outcome import NULL_PROGRESS, Outcome, Progress
from ..schema import Table, qlist
from ..schema import quote_ident as q
from ..stores import PostgresStore, SqliteStore, Store, pg_db, sqlite_db
from ..stores import sqlite_pages as pages
from ..tempdirs import private_tempdir
from .preflight import Preflight
from .result import Timer

if TYPE_CHECKING:
    import sqlalchemy as sa

STATE_VERSION = 1
STATE_FILE = "state.json"


def default_state_dir(source: Store, target: Store | None) -> Path:
    """./migrator-online-<hash of the source file and the target>/ (the phase-one output names it)."""
    where = f"{source.path.resolve() if source.path is not None else source.redacted}|" \
            f"{target.redacted if target is not None else 'embedded'}"
    return Path(f"migrator-online-{hashlib.sha256(where.encode()).hexdigest()[:12]}")


class OnlineState:
    """The state folder between the phases: state.json and one kept snapshot per store kind."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def file(self) -> Path:
        return self.folder / STATE_FILE

    def snapshot(self, kind: str) -> Path:
        return self.folder / f"{kind}.snapshot.db"

    def pages_file(self, kind: str) -> Path:
        return self.folder / f"{kind}.pages.json"

    def digests_file(self, kind: str) -> Path:
        """The SHA-256 of each page of the baseline's tables, taken with it: the cutover reads only the source."""
        return self.folder / f"{kind}.pages.sha256"

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.file.read_text())
        except FileNotFoundError:
            raise MigratorError(f"no phase one was run for this move (no {self.file}); run `migrator sqlite-to-pg "
                                "SOURCE TARGET --online` first, or give its --state-dir") from None
        except (OSError, ValueError) as e:
            raise MigratorError(f"cannot read the online move's state {self.file}: {e}") from None
        if data.get("version") != STATE_VERSION:
            raise MigratorError(f"{self.file} was written by another migrator release; run phase one again")
        return data

    def save(self, data: dict[str, Any]) -> None:
        data["version"] = STATE_VERSION
        write_private(self.file, json.dumps(data, indent=1, sort_keys=True))

    # ---------------------------------------------------------------- phase one: called by the pipeline

    def awaiting_cutover(self) -> bool:
        """A phase one was run into this folder and its cutover is still to come."""
        return self.file.exists() and not self.load().get("cutover")

    def prepare(self) -> None:
        """Before phase one writes anything: the folder is ours (created 0700); what an earlier phase one left
        there goes (a rerun without --replace catches up instead: `catch_up`)."""
        private_dir(self.folder)
        for f in [*self.folder.glob("*.snapshot.db"), *self.folder.glob("*.next.db"), *self.folder.glob("*.pages.json"),
                  *self.folder.glob("*.pages.sha256")]:
            f.unlink()
        self.file.unlink(missing_ok=True)

    def keep(self, kind: str, snap_path: Path, job: Any) -> None:
        """The snapshot just loaded into the target becomes the baseline of the cutover (moved, untouched)."""
        rows = {t.table: t.rows for t in job.result.tables}
        entry = self._baseline(kind, snap_path, rows)
        data = json.loads(self.file.read_text()) if self.file.exists() else {}
        assert job.target is not None and job.source.path is not None
        entry.update({"source": str(job.source.path.resolve()), "target": job.target.redacted,
                      "revision": job.result.source_revision,
                      "rules": [f"{r.old}={r.new}" for r in job.options.rules],
                      "target_id": _target_identity(job.target),
                      "target_writes": _target_writes(job.target, entry["tables"])})
        data.setdefault("stores", {})[kind] = entry
        data["cutover"] = None
        self.save(data)

    def _baseline(self, kind: str, snap_path: Path, rows: dict[str, int] | None) -> dict[str, Any]:
        """Move `snap_path` in as the baseline of `kind` (its pages file written first); returns its state
        entry (row counts: `rows`, or counted)."""
        conn = sqlite3.connect(f"file:{snap_path}?mode=ro", uri=True)
        try:
            tables = schema.own_tables(sqlite_db.tables(conn), kind)
            if rows is None:
                rows = {n: int(conn.execute(f"SELECT count(*) FROM {q(n)}").fetchone()[0]) for n in tables}
            base = {name: {"rows": rows.get(name, 0),
                           "max_rowid": conn.execute(f"SELECT max(rowid) FROM {q(name)}").fetchone()[0]}
                    for name in tables}
            owned = pages.table_runs(conn, tables)
            size = pages.page_size(conn)
            schema_sql = _schema_sql(conn)
        finally:
            conn.close()
        with open_private(self.digests_file(kind), "wb") as f:
            pages.page_digests(snap_path, size, pages.all_runs(owned), f)
        with open_private(self.pages_file(kind)) as f:
            pages.dump_runs(f, owned)
        dest = self.snapshot(kind)
        try:
            os.replace(snap_path, dest)
        except OSError:  # another file system: copied (0600 from its first byte)
            with open(snap_path, "rb") as src, open_private(dest, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 22)
            snap_path.unlink()
        return {"page_size": size, "tables": base, "schema": schema_sql, "taken": time.time()}

    def next_snapshot(self, kind: str) -> Path:
        return self.folder / f"{kind}.next.db"

    def rebase(self, kind: str, data: dict[str, Any], target: Store, writes: dict[str, int] | None = None) -> None:
        """A catch-up committed: its snapshot becomes the baseline. `writes`: the rows it wrote per table, added
        to the write statistics phase one recorded (PostgreSQL publishes its own a moment after the commit);
        None: read now."""
        st = data["stores"][kind]
        st.update(self._baseline(kind, self.next_snapshot(kind), None))
        if writes is None:
            st["target_writes"] = _target_writes(target, st["tables"])
        else:
            st["target_writes"] = {t: n + writes.get(t, 0) for t, n in st["target_writes"].items()}
        st.pop("pending", None)
        self.save(data)


def _schema_sql(conn: sqlite3.Connection) -> list[list[str]]:
    return [list(r) for r in conn.execute(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name")]


def _identity(conn: sa.Connection) -> list[Any]:
    """Which database this is: the cluster's system identifier, the database's oid, the schema."""
    return list(conn.exec_driver_sql(
        "SELECT (SELECT system_identifier::text FROM pg_control_system()), "
        "(SELECT oid::int FROM pg_database WHERE datname = current_database()), current_schema()").one())


def _writes(conn: sa.Connection, tables: Any) -> dict[str, int]:
    """Rows PostgreSQL has counted as inserted, updated or deleted in each table (its statistics): a cheap
    sign that something wrote the target between the phases."""
    rows = conn.exec_driver_sql(
        "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables "
        "WHERE schemaname = current_schema()").all()
    return {str(n): int(w) for n, w in rows if n in tables}


def _target_identity(target: Store) -> list[Any]:
    with pg_db.connection(target.url, target.redacted) as conn:
        return _identity(conn)


def _target_writes(target: Store, tables: Any) -> dict[str, int]:
    with pg_db.connection(target.url, target.redacted) as conn:
        return _writes(conn, tables)


# ==================================================================== the cutover


@dataclass
class TableDelta:
    table: str
    compared: str  # "ranges" or "full"
    upserted: int = 0
    deleted: int = 0
    source_rows: int = 0
    why_full: str | None = None


@dataclass
class KindCutover:
    kind: str
    changed_pages: int = 0
    tables: list[TableDelta] = field(default_factory=list)
    unchanged_tables: int = 0
    txid: int | None = None
    writes: dict[str, int] = field(default_factory=dict)  # rows inserted, updated or deleted per table


@dataclass
class CutoverResult(Outcome):
    source: str
    target: str
    state_dir: str
    stores: list[KindCutover] = field(default_factory=list)
    outage_seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    already_done: bool = False
    server: Any = None
    catch_up: bool = False  # a catch-up of phase one (the old server still runs), not the cutover
    kinds: list[str] = field(default_factory=list)  # the stores phase one moved (tracking, auth)

    @property
    def failure(self) -> str | None:
        return None

    @property
    def caught_up(self) -> dict[str, dict[str, int]]:
        return {f"{k.kind}.{t.table}" if k.kind != schema.TRACKING else t.table:
                {"upserted": t.upserted, "deleted": t.deleted}
                for k in self.stores for t in k.tables if t.upserted or t.deleted}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True, "source": self.source, "target": self.target, "state_dir": self.state_dir,
            "phase": "catch-up" if self.catch_up else "cutover",
            "already_done": self.already_done, "outage_seconds": round(self.outage_seconds, 3),
            "rows_caught_up": self.caught_up,
            "stores": [{"store": k.kind, "changed_pages": k.changed_pages, "unchanged_tables": k.unchanged_tables,
                        "txid": k.txid,
                        "tables": [{"table": t.table, "compared": t.compared, "upserted": t.upserted,
                                    "deleted": t.deleted, "source_rows": t.source_rows, "why_full": t.why_full}
                                   for t in k.tables]} for k in self.stores],
            "phases": {k: round(v, 3) for k, v in self.phases.items()}, "notes": self.notes,
            "server": self.server.as_dict() if self.server is not None else None,
        }


def cutover(source: Store, target: Store, state_dir: Path, progress: Progress = NULL_PROGRESS, *,
            auth_source: Store | None = None) -> CutoverResult:
    """Phase two: everything the source (and its basic-auth database, `auth_source`) gained, changed or lost
    since phase one's snapshot, applied to the target in one transaction per store, with the proof described
    in the module's doc."""
    t0 = time.perf_counter()
    state, data, stores, result = _open(source, target, state_dir, catch_up=False)
    assert isinstance(target, PostgresStore)  # _open refuses another kind
    if data.get("cutover"):
        result.already_done = True
        result.notes.append(f"the cutover was completed at {time.ctime(data['cutover'])}; nothing was applied again "
                            "(the target may be in use)")
        return result
    files = _source_files(source, auth_source, stores, target, state_dir)
    for path in sorted(set(files.values())):
        _require_stopped(path)
    marks = {p: _file_marks(p) for p in set(files.values())}
    _settle_catch_ups(state, data, target)
    if _finished_before(target, stores, result):
        data["cutover"] = time.time()
        state.save(data)
        return result
    for kind in (schema.AUTH, schema.TRACKING):  # auth first: a user's permissions before their runs' rows
        if kind not in stores:
            continue
        kc = KindCutover(kind)
        result.stores.append(kc)
        pending = _cutover_kind(files[kind], target, state, kind, stores[kind], kc, result, marks, progress)
        if pending is None:
            continue
        try:
            data["stores"][kind]["txid"] = kc.txid
            state.save(data)  # the transaction id, before its commit: a rerun asks PostgreSQL what became of it
            pending.tx.commit()
        finally:
            pending.close()
    data["cutover"] = time.time()
    state.save(data)
    result.outage_seconds = time.perf_counter() - t0
    return result


def catch_up(source: Store, target: Store, state_dir: Path, progress: Progress = NULL_PROGRESS, *,
             auth_source: Store | None = None) -> CutoverResult:
    """`--online` again, while the old server still runs: a new snapshot of the live source, what changed
    since the baseline applied to the target and committed (the same detection and transaction as the
    cutover), the new snapshot the baseline from then on. The cutover then has only the last minutes to do."""
    t0 = time.perf_counter()
    state, data, stores, result = _open(source, target, state_dir, catch_up=True)
    assert isinstance(target, PostgresStore)  # _open refuses another kind
    files = _source_files(source, auth_source, stores, target, state_dir)
    _settle_catch_ups(state, data, target)
    timer = Timer(result.phases, progress)
    for kind in (schema.AUTH, schema.TRACKING):
        if kind not in stores:
            continue
        nxt = state.next_snapshot(kind)
        with timer(f"{kind} snapshot"):
            sqlite_db.snapshot(files[kind], nxt, require_mlflow_store=False, durable=False)
        kc = KindCutover(kind)
        result.stores.append(kc)
        pending = _cutover_kind(nxt, target, state, kind, stores[kind], kc, result, {}, progress)
        assert pending is not None
        try:
            stores[kind]["pending"] = kc.txid
            state.save(data)  # as for the cutover: a rerun asks PostgreSQL whether this committed
            pending.tx.commit()
        finally:
            pending.close()
        with timer(f"{kind} new baseline"):
            state.rebase(kind, data, target, kc.writes)
    result.outage_seconds = 0.0
    result.phases["catch-up"] = time.perf_counter() - t0
    return result


def _open(source: Store, target: Store, state_dir: Path,
          catch_up: bool) -> tuple[OnlineState, dict[str, Any], dict[str, Any], CutoverResult]:
    """The state of the move and an empty result (a catch-up's or the cutover's)."""
    if not isinstance(target, PostgresStore):
        raise MigratorError("the online move takes the SQLite source and the PostgreSQL target of phase one")
    state = OnlineState(state_dir)
    data = state.load()
    stores = data.get("stores") or {}
    return state, data, stores, CutoverResult(source.redacted, target.redacted, str(state_dir), kinds=list(stores),
                                              catch_up=catch_up)


def _settle_catch_ups(state: OnlineState, data: dict[str, Any], target: Store) -> None:
    """A catch-up killed between its commit and its new baseline: committed -> the baseline is moved on now;
    not committed -> its snapshot is thrown away (the target is as before it)."""
    for kind, st in (data.get("stores") or {}).items():
        txid = st.get("pending")
        if not txid:
            continue
        if _txid_status(target, [txid])[txid] == "committed":
            if not state.next_snapshot(kind).is_file():
                raise MigratorError(f"a catch-up committed but its snapshot {state.next_snapshot(kind)} is gone; "
                                    "run phase one again (--online --replace)")
            state.rebase(kind, data, target)
        else:
            state.next_snapshot(kind).unlink(missing_ok=True)
            st.pop("pending", None)
            state.save(data)


def _txid_status(target: Store, txids: Any) -> dict[Any, str | None]:
    """What became of recorded transactions: 'committed', 'aborted', 'in progress' (PostgreSQL's txid_status)."""
    with pg_db.connection(target.url, target.redacted) as conn:
        return {t: conn.exec_driver_sql(f"SELECT txid_status({int(t)})").scalar() for t in txids}


def _source_files(source: Store, auth_source: Store | None, stores: dict[str, Any], target: Store,
                  state_dir: Path) -> dict[str, Path]:
    """The file each store of phase one came from, which this run must name the same way."""
    files: dict[str, Path] = {}
    for kind, st in stores.items():
        given = auth_source if kind == schema.AUTH and auth_source is not None else source
        if not isinstance(given, SqliteStore) or given.path is None:
            raise MigratorError("--cutover takes the SQLite source and the PostgreSQL target of phase one")
        path = given.path.resolve()
        if st["source"] != str(path) or st["target"] != target.redacted:
            what = "--auth-db " if kind == schema.AUTH and st["source"] != stores.get(schema.TRACKING, {}).get(
                "source") else ""
            raise MigratorError(f"{state_dir} belongs to the move of {what}{st['source']} into {st['target']}; give "
                                "those (as phase one did), or the --state-dir of this move")
        if not path.is_file():
            raise MigratorError(f"{path} does not exist any more; the cutover reads the stopped source")
        files[kind] = path
    return files


def _require_stopped(path: Path) -> None:
    from ..stores.sqlite_upgrade import holders

    found = holders(path)
    if found:
        raise Locked(f"{path} is still open in {', '.join(found)}: stop the old server (and every other "
                     "writer) first, then run --cutover again")
    journal = path.with_name(path.name + "-journal")
    if journal.exists() and journal.stat().st_size > 0:
        raise MigratorError(f"{journal} is a hot journal (a writer stopped in the middle of a write); open the "
                            "store once with `sqlite3 FILE 'PRAGMA quick_check'` to roll it back, then run --cutover "
                            "again")


def _file_marks(path: Path) -> tuple[Any, ...]:
    """What changes when anything writes the file: size, mtime, its change counter, and those of its WAL."""
    out: list[Any] = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            s = p.stat()
        except FileNotFoundError:
            out.append(None)
            continue
        with open(p, "rb") as f:
            head = f.read(100)
        out.append((s.st_size, s.st_mtime_ns, s.st_ino, head[24:28] if p == path else b""))
    return tuple(out)


def _finished_before(target: Store, stores: dict[str, Any], result: CutoverResult) -> bool:
    """A cutover killed after its commit: every recorded transaction committed -> done (nothing applied
    again); one that committed while another did not cannot happen (each is recorded before its commit and
    the next starts after it) except for a kill between them: that one is redone."""
    ids = {k: st.get("txid") for k, st in stores.items() if st.get("txid")}
    if not ids:
        return False
    by_id = _txid_status(target, ids.values())
    status = {kind: by_id[txid] for kind, txid in ids.items()}
    if all(s == "committed" for s in status.values()) and len(ids) == len(stores):
        result.already_done = True
        result.notes.append("an earlier --cutover committed before it was stopped; nothing was applied again")
        return True
    for kind, s in status.items():
        if s == "committed":  # this store is done: only the other is applied now
            stores[kind]["done"] = True
    return False


def _cutover_kind(path: Path, target: PostgresStore, state: OnlineState, kind: str, st: dict[str, Any],
                  kc: KindCutover, result: CutoverResult, marks: dict[Path, Any], progress: Progress) -> _Pending | None:
    if st.get("done"):
        return None
    snap = state.snapshot(kind)
    if not snap.is_file():
        raise MigratorError(f"the kept snapshot {snap} is missing; run phase one again")
    timer = Timer(result.phases, progress)
    with _source_as_read(path, result) as src_file:
        with timer(f"{kind} compare pages"):
            owned = pages.load_runs(state.pages_file(kind).read_text())
            runs = pages.all_runs(owned)
            digests = state.digests_file(kind)
            if digests.is_file():  # the source's pages against the digests taken with the baseline
                try:
                    changed = pages.changed_by_digest(digests.read_bytes(), src_file, st["page_size"], runs)
                except ValueError:
                    raise MigratorError(f"{digests} does not belong to the kept baseline; run phase one again "
                                        "(--online --replace)") from None
            else:  # a state folder of an earlier release: against the snapshot's bytes
                changed = pages.changed_pages(snap, src_file, st["page_size"], runs)
        kc.changed_pages = len(changed)
        sconn = sqlite3.connect(f"file:{src_file}?mode=ro", uri=True)
        try:
            sconn.execute(f"ATTACH 'file:{snap}?mode=ro' AS snap")
            if _schema_sql(sconn) != st["schema"]:
                raise MigratorError(f"the schema of {path} changed since phase one (an upgrade, or another "
                                    "program); run phase one again (--online --replace)")
            with timer(f"{kind} find changes"):
                deltas = _detect(sconn, snap, src_file, st, owned, changed)
            kc.unchanged_tables = len(st["tables"]) - len(deltas)
            kc.tables = list(deltas.values())
            return _apply(sconn, target, kind, st, deltas, kc, result, marks, progress)
        finally:
            sconn.close()


class _Pending:
    """The open transaction of one store kind, committed by the caller once its id is recorded."""

    def __init__(self, tx: Any, close: Any) -> None:
        self.tx, self.close = tx, close


@contextmanager
def _source_as_read(path: Path, result: CutoverResult) -> Iterator[Path]:
    """The file to read the source from: itself, or, when its WAL still holds committed pages (the file alone
    is not the database then), a backup-API copy in a private temporary folder."""
    wal = path.with_name(path.name + "-wal")
    if not (wal.exists() and wal.stat().st_size > 0):
        yield path
        return
    tmp = private_tempdir("cutover")
    try:
        copy = tmp / "source.db"
        with Timer(result.phases, NULL_PROGRESS)("source copy (WAL)"):
            sqlite_db.snapshot(path, copy, require_mlflow_store=False, durable=False)
        result.notes.append(f"{wal} held committed pages: the source was read through a backup-API copy")
        yield copy
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- change detection


def _detect(sconn: sqlite3.Connection, snap: Path, src_file: Path, st: dict[str, Any],
            owned: dict[str, Any], changed: set[int]) -> dict[str, TableDelta]:
    """Per table with a changed page: the rowid ranges that may differ and the source's row count, proven by
    counting the rows outside them on both sides; the rows that differ are put in temp.mig_up (source rowids)
    and temp.mig_gone (snapshot rowids)."""
    sconn.execute("CREATE TEMP TABLE mig_up (tbl TEXT, rid INTEGER)")
    sconn.execute("CREATE TEMP TABLE mig_gone (tbl TEXT, rid INTEGER)")
    size = st["page_size"]
    tables = sqlite_db.tables(sconn)
    roots = {str(n): r for n, r in sconn.execute("SELECT name, rootpage FROM main.sqlite_master WHERE type = 'table'")}
    out: dict[str, TableDelta] = {}
    for name, base in st["tables"].items():
        runs = owned[name] if name in owned else pages.as_array(())  # load_runs: sorted arrays already
        mine = pages.kinds_of(runs, changed) if changed else {}
        if not mine:
            continue  # no page of its b-tree changed (its root included): not one of its rows did
        delta = TableDelta(name, "ranges")
        found = _ranges(src_file, snap, base, runs, mine, changed, roots.get(name), size, delta)
        ranges: list[tuple[int | None, int | None]] | None = None
        if found is not None:
            ranges, delta.source_rows = found
            inside_new = pages.count_between(sconn, name, ranges, "main")
            inside_old = pages.count_between(sconn, name, ranges, "snap")
            if delta.source_rows - inside_new != base["rows"] - inside_old:
                delta.why_full = (f"{delta.source_rows - inside_new:,} rows outside the changed pages' ranges "
                                  f"against {base['rows'] - inside_old:,} in the snapshot")
                ranges = None
        if ranges is None:
            delta.compared = "full"
            delta.source_rows = int(sconn.execute(f"SELECT count(*) FROM main.{q(name)}").fetchone()[0])
            ranges = [(None, None)]
        _differences(sconn, tables[name], ranges, delta)
        out[name] = delta
    return out


def _ranges(src_file: Path, snap: Path, base: dict[str, Any], runs: Any, mine: dict[int, int],
            changed: set[int], root: Any, size: int,
            delta: TableDelta) -> tuple[list[tuple[int | None, int | None]], int] | None:
    """The (lo, hi] rowid ranges that may hold a difference, and the source's row count; None when the table
    must be compared whole (and counted by SQLite).

    Every row lies on one leaf page of its table's b-tree. The source's leaves are listed from its interior
    pages; the snapshot's are the baseline's. A leaf that is the same page on both sides with the same bytes
    holds the same rows on both sides. Every other leaf (the source's version of a page that is a leaf now,
    the snapshot's of one that was) is read: its first and last rowid make a range, its cell count corrects
    the snapshot's row count into the source's. So a row outside the ranges is on a page equal on both sides,
    and the source's count costs a few pages, not a scan of the table. The rows past the snapshot's largest
    rowid are a range as well."""
    if any(k == pages.OVERFLOW for k in mine.values()):
        delta.why_full = "an overflow page (a wide row) changed"
        return None
    now = pages.table_leaves(src_file, root, size) if isinstance(root, int) and root > 0 else None
    if now is None:
        delta.why_full = "the source's b-tree of the table is not one the cutover reads (compared whole)"
        return None
    new, old = pages.leaf_difference(pages.run_pages(runs, pages.LEAF), now, changed)
    top = base["max_rowid"]
    ranges: list[tuple[int | None, int | None]] = [(top, None)] if top is not None else [(None, None)]
    rows = int(base["rows"])
    for path, pgnos, sign in ((snap, old, -1), (src_file, new, 1)):
        with open(path, "rb", buffering=0) as f:
            for pgno in pgnos:
                page = pages.read(f, pgno, size)
                found = pages.leaf(page, pgno) if len(page) == size else None
                if found is None:
                    delta.why_full = f"page {pgno} of the {'source' if sign > 0 else 'snapshot'} is not a table leaf"
                    return None
                cells, span = found
                rows += sign * cells
                if span is not None:
                    ranges.append((span[0] - 1, span[1]))
    return _merge(ranges), rows


def _merge(ranges: list[tuple[int | None, int | None]]) -> list[tuple[int | None, int | None]]:
    lo_key = [(float("-inf") if lo is None else lo, float("inf") if hi is None else hi) for lo, hi in ranges]
    lo_key.sort()
    out: list[list[float]] = []
    for lo, hi in lo_key:
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(None if lo == float("-inf") else int(lo), None if hi == float("inf") else int(hi)) for lo, hi in out]


def _differences(sconn: sqlite3.Connection, t: Table, ranges: list[tuple[int | None, int | None]],
                 delta: TableDelta) -> None:
    """Rows of the source in the ranges with no identical row in the snapshot (matched by primary key,
    compared column by column with IS) are upserts; rows of the snapshot in the ranges whose key the source
    no longer holds are deletes."""
    keys = t.pk or [c.name for c in t.columns]
    cols = [c.name for c in t.columns]
    same_key = " AND ".join(f"s.{q(k)} = t.{q(k)}" for k in keys)
    same_row = " AND ".join(f"s.{q(c)} IS t.{q(c)}" for c in cols if c not in keys)
    name = q(t.name)
    cur = sconn.execute(
        f"INSERT INTO temp.mig_up SELECT ?, t.rowid FROM main.{name} t WHERE ({pages.rowid_condition(ranges, 't.rowid')}) "
        f"AND NOT EXISTS (SELECT 1 FROM snap.{name} s WHERE {same_key}{' AND ' + same_row if same_row else ''})",
        (t.name,))
    delta.upserted = cur.rowcount
    cur = sconn.execute(
        f"INSERT INTO temp.mig_gone SELECT ?, s.rowid FROM snap.{name} s WHERE ({pages.rowid_condition(ranges, 's.rowid')}) "
        f"AND NOT EXISTS (SELECT 1 FROM main.{name} t WHERE {same_key})", (t.name,))
    delta.deleted = cur.rowcount


# ---------------------------------------------------------------- applying them


def _apply(sconn: sqlite3.Connection, target: PostgresStore, kind: str, st: dict[str, Any],
           deltas: dict[str, TableDelta], kc: KindCutover, result: CutoverResult, marks: dict[Path, Any],
           progress: Progress) -> _Pending:
    """One transaction: deletes (children first), upserts (parents first), sequences, counts; left open for
    the caller to commit once its id is recorded."""
    from .load import set_sequences
    from .preflight import register_rewrite
    from .target import lock_key

    rules = parse_user_rules(st.get("rules") or [])
    register_rewrite(sconn, rules)
    eng, conn = pg_db.connect(target.url, target.redacted)
    try:
        tx = conn.begin()
        conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
        if not conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({lock_key(conn)})").scalar():
            raise Locked(f"another migrator run is writing to {target.redacted}; wait for it to finish")
        _require_identity(conn, st, target)
        tgt_tables = schema.own_tables(pg_db.tables(conn), kind)
        timer = Timer(result.phases, progress)
        with timer(f"{kind} target unchanged"):
            _require_untouched(conn, st, tgt_tables, target)
        order = [n for n in schema.insert_order(tgt_tables) if n in deltas]
        with timer(f"{kind} preflight"):
            _preflight(sconn, {n: tgt_tables[n] for n in order if deltas[n].upserted}, rules)
        net = dict.fromkeys(order, 0)  # rows the target gained per table, as PostgreSQL counted them
        with timer(f"{kind} apply"):
            for name in reversed(order):
                if deltas[name].deleted:
                    gone = _delete(conn, sconn, tgt_tables[name], name)
                    net[name] -= gone
                    kc.writes[name] = kc.writes.get(name, 0) + gone
            for name in order:
                if deltas[name].upserted:
                    inserted, affected = _upsert(conn, sconn, tgt_tables[name], name, rules)
                    net[name] += inserted
                    kc.writes[name] = kc.writes.get(name, 0) + affected
            set_sequences(conn, tgt_tables)
        with timer(f"{kind} counts"):
            for name in order:
                # phase one left base rows (verified, and untouched since); the statements above changed them
                # by `net`; a small table is counted outright as well
                n = st["tables"][name]["rows"] + net[name]
                if st["tables"][name]["rows"] < COUNT_BELOW:
                    n = int(conn.exec_driver_sql(f"SELECT count(*) FROM {q(name)}").scalar_one())
                if n != deltas[name].source_rows:
                    raise MigratorError(f"after the changes {name} would hold {n:,} rows in the target but the source "
                                        f"holds {deltas[name].source_rows:,}; nothing was committed")
        moved = [str(p) for p, m in marks.items() if _file_marks(p) != m]
        if moved:
            raise Locked(f"{', '.join(moved)} changed during the cutover: a writer is still running; nothing was "
                         "committed. Stop it, then run --cutover again")
        kc.txid = int(conn.exec_driver_sql("SELECT txid_current()").scalar_one())
        if progress:
            progress.info(f"{kind}: {sum(d.upserted for d in deltas.values()):,} row(s) new or changed, "
                          f"{sum(d.deleted for d in deltas.values()):,} gone, in {len(deltas)} table(s)")
        def close() -> None:
            conn.close()
            eng.dispose()

        return _Pending(tx, close)
    except BaseException as e:
        conn.close()
        eng.dispose()
        if isinstance(e, MigratorError) or not isinstance(e, Exception):
            raise
        raise MigratorError(f"the cutover failed, nothing was committed: {_first_line(e)}") from None


COUNT_BELOW = 1_000_000  # tables smaller than this are counted in the target after the cutover's changes


def _preflight(sconn: sqlite3.Connection, tables: dict[str, Table], rules: Sequence[Any]) -> None:
    """The new and changed rows get phase one's preflight (values PostgreSQL would refuse, named by table, key
    and column) before anything is written."""
    from ..errors import PreflightFailed
    from .rows import source_columns_of

    cols = {n: [c for c in source_columns_of(sconn, n) if c in {x.name for x in t.columns}] for n, t in tables.items()}
    found = Preflight(sconn, tables, cols, rules, thorough=True, only=_upserted_rows)
    problems = [p for t in tables.values() for p in found.scan_table(t)]
    if problems:
        raise PreflightFailed(f"{len(problems)} row(s) written to the source since phase one hold values PostgreSQL "
                              "would reject (listed above); nothing was committed. Fix them in the source, then run "
                              "--cutover again", problems)


def _upserted_rows(table: str) -> str:
    """SQL condition: the source rows of `table` that `_differences` found new or changed."""
    return "rowid IN (SELECT rid FROM temp.mig_up WHERE tbl = '" + table.replace("'", "''") + "')"


def _first_line(e: BaseException) -> str:
    return str(getattr(e, "orig", e)).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def _require_identity(conn: sa.Connection, st: dict[str, Any], target: Store) -> None:
    if _identity(conn) != st["target_id"]:
        raise MigratorError(f"{target.redacted} is not the database phase one loaded (it was dropped and made "
                            "again, or the URL points elsewhere); run phase one again")


def _require_untouched(conn: sa.Connection, st: dict[str, Any], tables: dict[str, Table], target: Store) -> None:
    """Nothing wrote the target between the phases: its write statistics are as phase one left them, or else
    every table still holds the snapshot's row count."""
    if _writes(conn, tables) == st["target_writes"]:
        return
    differ = []
    for name, base in st["tables"].items():
        if name in tables:
            n = int(conn.exec_driver_sql(f"SELECT count(*) FROM {q(name)}").scalar_one())
            if n != base["rows"]:
                differ.append(f"{name}: {n:,} rows, phase one left {base['rows']:,}")
    if differ:
        raise MigratorError(f"{target.redacted} was written after phase one ({'; '.join(differ[:5])}): a server "
                            "may have used it already; run phase one again (--online --replace)")


def _columns(sconn: sqlite3.Connection, t: Table) -> list[schema.Column]:
    from .rows import source_columns_of

    present = set(source_columns_of(sconn, t.name))
    return [c for c in t.columns if c.name in present]


def _delete(conn: sa.Connection, sconn: sqlite3.Connection, t: Table, name: str) -> int:
    """Rows gone from the source, by primary key (values read from the snapshot); returns the rows deleted."""
    import psycopg2.extras

    keys = t.pk or [c.name for c in t.columns]
    kinds = {c.name: c for c in t.columns}
    types: dict[str, str] = dict(conn.exec_driver_sql(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
        f"WHERE attrelid = '{q(name)}'::regclass AND attnum > 0 AND NOT attisdropped").all())
    rows = sconn.execute(f"SELECT {', '.join('s.' + q(k) for k in keys)} FROM snap.{q(name)} s "
                         "WHERE s.rowid IN (SELECT rid FROM temp.mig_gone WHERE tbl = ?)", (name,))
    template = "(" + ", ".join(f"%s::{types[k]}" for k in keys) + ")"
    match = " AND ".join(f"x.{q(k)} = d.{q(k)}" for k in keys)
    raw = conn.connection.dbapi_connection
    gone = 0
    with raw.cursor() as cur:  # type: ignore[union-attr]
        while batch := rows.fetchmany(5000):
            vals = [tuple(_py(v, kinds[k]) for v, k in zip(r, keys)) for r in batch]
            psycopg2.extras.execute_values(
                cur, f"DELETE FROM {q(name)} x USING (VALUES %s) AS d({qlist(keys)}) WHERE {match}", vals,
                template=template, page_size=5000)
            gone += cur.rowcount
    return gone


def _py(value: Any, col: schema.Column) -> Any:
    if col.kind == "bool" and value is not None:
        return bool(value)
    return value


def _upsert(conn: sa.Connection, sconn: sqlite3.Connection, t: Table, name: str,
            rules: Sequence[Any]) -> tuple[int, int]:
    """Rows new or changed in the source: COPY into a temporary table (formatted as phase one formats them),
    then INSERT ... ON CONFLICT (primary key) DO UPDATE; returns (rows inserted, rows inserted or updated)."""
    from .rows import ChunkReader, row_stream

    cols = _columns(sconn, t)
    names = [c.name for c in cols]
    keys = t.pk or names
    conn.exec_driver_sql(f"CREATE TEMP TABLE mig_up ON COMMIT DROP AS SELECT {qlist(names)} FROM {q(name)} WITH NO DATA")
    stream: Iterator[str] = row_stream(sconn, t, cols, rules, False, lambda n: None, where=_upserted_rows(name))
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur:  # type: ignore[union-attr]
        cur.copy_expert(f"COPY mig_up ({qlist(names)}) FROM STDIN", ChunkReader(stream), size=1 << 20)
    rest = [c for c in names if c not in keys]
    action = ("DO UPDATE SET " + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in rest)) if rest else "DO NOTHING"
    inserted, affected = conn.exec_driver_sql(
        f"WITH up AS (INSERT INTO {q(name)} ({qlist(names)}) SELECT {qlist(names)} FROM mig_up "
        f"ON CONFLICT ({qlist(keys)}) {action} RETURNING xmax = 0 AS new) "
        "SELECT count(*) FILTER (WHERE new), count(*) FROM up").one()
    conn.exec_driver_sql("DROP TABLE mig_up")
    return int(inserted), int(affected)
