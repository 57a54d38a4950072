"""`--workspace NAME`: a whole store merged into one workspace of a PostgreSQL target that may hold others.

The pipeline is the staging load's, with three differences:

1. Before anything is copied, `plan_workspace` checks the target (an MLflow store at the installed head, or
   empty) and reserves the experiments' new ids from the target's own sequence (`nextval`: safe beside a
   server that creates experiments meanwhile). NAME may be new or hold objects already (another source
   merged before): a name the two share is refused in step 3, with every other conflict.
2. `transform` / `transform_auth` rewrite migrator's private snapshot of the source with
   `consolidate.rewrite_*`, every other sequence-numbered key drawn from the target's sequence too, the
   basic-auth users matched by name with the target's. The stage is loaded from the snapshot and verified
   against it row for row.
   The keys of the small tables are looked up in the target before the load (`early_collisions`).
3. `merge_stage` replaces the switch: in ONE transaction (REPEATABLE READ) on the lock holder, every key of
   the stage that must be unique in the target (primary keys, unique constraints: names unique per
   workspace) is looked up there and the whole list of collisions refused; every other workspace's rows
   are summed per table (count and an order-free hash; recorded in the id map), and whole tables whose
   rows belong to no workspace; the stage's rows go in parents first (INSERT, or for a big table the
   target's rows into the staged table, which takes the target's place: `_swap`); sequences are moved past
   the new ids; the counts must then be before + source, and the sums as before (nothing else changed);
   the id map is written; the stage is dropped; commit. A kill at any moment leaves the target as it was.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .. import schema
from ..consolidate import (
    EXPERIMENT_KEY,
    MergeConflict,
    WorkspaceMerge,
    hash_sql,
    rewrite_auth,
    rewrite_tracking,
    several_workspaces,
    slice_views,
    source_users,
    sums,
)
from ..errors import MigratorError, VerificationFailed
from ..schema import Table
from ..schema import quote_ident as q
from ..stores import PostgresStore, Store, pg_db, sqlite_db

if TYPE_CHECKING:
    import sqlalchemy as sa


# --- planning: before anything is copied -----------------------------------------------------------------

def plan_workspace(merge: WorkspaceMerge, source: Store, target: PostgresStore, dry_run: bool) -> None:
    """Check the target and NAME, and reserve the experiments' new ids (a dry run only counts them)."""
    with source.open_readonly() as db:
        names = db.table_names()
        if "experiments" not in names:
            raise MigratorError(f"{source.redacted} is not an MLflow tracking store (no experiments table)")
        exp_ids = sorted(int(r[0]) for r in db.query("SELECT experiment_id FROM experiments"))
    if schema.TRACKING in merge.done:
        return
    with pg_db.connection(target.url, target.redacted) as conn:
        describe(conn, merge, target)
        merge.keys[EXPERIMENT_KEY] = reserve_ids(conn, "experiments", "experiment_id", exp_ids, dry_run)
        conn.commit()


def earlier_merge(merge: WorkspaceMerge, target: PostgresStore, auth_target: PostgresStore | None) -> None:
    """A run of this merge killed after one of its commits left its id map (written inside each merge
    transaction): the stores it committed are taken as done (`merge.done`; the pipeline proves each equal
    instead of writing it again) and their ids reused, so the rerun completes the rest."""
    path = merge.id_map_file
    if path is None or not path.exists():
        return
    try:
        prev = WorkspaceMerge.from_map(path, merge.name)
    except MigratorError:
        raise MigratorError(f"{path} exists and is not the id map of a merge into workspace {merge.name!r}; "
                            "give another --id-map (nothing was written)") from None
    probes = [(schema.TRACKING, target, "experiments", EXPERIMENT_KEY)]
    if "roles.id" in prev.keys:
        probes.append((schema.AUTH, auth_target or target, "roles", "roles.id"))
    for kind, store, table, key in probes:
        ids = sorted(prev.keys.get(key, {}).values())
        if not ids:
            continue
        with pg_db.connection(store.url, store.redacted) as conn:
            if conn.exec_driver_sql("SELECT to_regclass(%(t)s)", {"t": table}).scalar() is None:
                continue
            n = conn.exec_driver_sql(f"SELECT count(*) FROM {q(table)} WHERE workspace = %(w)s AND "
                                     f"{q(key.split('.')[1])} = ANY(%(i)s)", {"w": merge.name, "i": ids}).scalar()
        if n == len(ids):
            merge.done.add(kind)
    if merge.done:
        merge.keys, merge.sums, merge.skip = prev.keys, prev.sums, prev.skip
        merge.existing, merge.default_row, merge.keep_admins = prev.existing, prev.default_row, prev.keep_admins
        merge.password_updates = prev.password_updates


def plan_auth(merge: WorkspaceMerge, source: Store, target: PostgresStore) -> None:
    """Before anything is written (the tracking store is merged first): a user name both basic-auth stores
    hold with different passwords is refused unless --auth-users says whose password stays."""
    with source.open_readonly() as db:
        if "users" not in db.table_names():
            return
        mine = {str(u): h for u, h in db.query("SELECT username, password_hash FROM users")}
    with pg_db.connection(target.url, target.redacted) as conn:
        if conn.exec_driver_sql("SELECT to_regclass('users')").scalar() is None:
            return
        theirs = {str(u): h for u, h in conn.exec_driver_sql("SELECT username, password_hash FROM users").all()}
    _refuse_user_clash(merge, mine, theirs)


def _refuse_user_clash(merge: WorkspaceMerge, mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> list[str]:
    """User names both basic-auth stores hold with different password hashes (name -> hash): refused
    unless --auth-users says whose password stays; else returned."""
    clash = sorted(u for u, h in mine.items() if u in theirs and theirs[u] != h)
    if clash and merge.auth_users == "refuse":
        raise MergeConflict(
            f"{len(clash)} user name(s) of the basic-auth source exist in the target with another password; "
            "nothing was written. Choose whose password stays with --auth-users keep-target or keep-source",
            [f"user {u}" for u in clash])
    return clash


def describe(conn: sa.Connection, merge: WorkspaceMerge, target: Store) -> None:
    """The target's state for a merge: at the installed head (or empty), workspaces known, NAME's row."""
    names = set(pg_db.table_names(conn))
    if "alembic_version" not in names:
        if names & {"experiments", "runs", "metrics"}:
            raise MigratorError(f"target {target.redacted} holds MLflow-like tables without alembic_version; "
                                "give an MLflow database (or an empty one)")
        merge.target_empty = True
        return
    rev = pg_db.revision(conn)
    head = schema.installed_head()
    if rev != head:
        schema.require_not_newer(rev, f"target {target.redacted}")
        raise MigratorError(f"target {target.redacted} is at MLflow schema {schema.describe_revision(rev)}, older "
                            f"than the installed MLflow's {head}; upgrade it first (`migrator upgrade TARGET`), "
                            "then merge")
    if "workspaces" not in names:
        raise MigratorError("the installed MLflow has no workspaces (MLflow 3.10 or newer has them); "
                            "install a newer MLflow")
    row = conn.exec_driver_sql("SELECT * FROM workspaces WHERE name = %(n)s", {"n": merge.name}).mappings().first()
    merge.existing = dict(row) if row is not None else None
    row = conn.exec_driver_sql("SELECT * FROM workspaces WHERE name = 'default'").mappings().first()
    merge.default_row = dict(row) if row is not None else None


def reserve_ids(conn: sa.Connection, table: str, column: str, old: Sequence[int],
                dry_run: bool = False) -> dict[int, int]:
    """old -> new for `old` (ascending), the new values drawn from the target's sequence of table.column
    (nextval: never a value another writer gets); a target without the table, or a dry run, counts past
    the largest."""
    old = sorted(set(old))
    if not old:
        return {}
    exists = conn.exec_driver_sql("SELECT to_regclass(%(t)s)", {"t": q(table)}).scalar() is not None
    seq = conn.exec_driver_sql("SELECT pg_get_serial_sequence(%(t)s, %(c)s)",
                               {"t": q(table), "c": column}).scalar() if exists else None
    if seq is None or dry_run:
        top = conn.exec_driver_sql(f"SELECT max({q(column)}) FROM {q(table)}").scalar() if exists else None
        start = max(int(top) + 1 if top is not None else 1, 1)
        return {o: start + i for i, o in enumerate(old)}
    # a sequence behind the table (rows written with explicit ids) is moved up to it first
    conn.exec_driver_sql(f"SELECT setval(%(s)s, m) FROM (SELECT max({q(column)}) AS m FROM {q(table)}) x "
                         "WHERE m IS NOT NULL AND m >= (SELECT last_value FROM " + seq + ")", {"s": seq})
    new = [int(v) for (v,) in conn.exec_driver_sql(
        f"SELECT nextval(%(s)s) FROM generate_series(1, {len(old)})", {"s": seq}).all()]
    return dict(zip(old, sorted(new)))


# --- the snapshot ------------------------------------------------------------------------------------------

def transform(sconn: sqlite3.Connection, merge: WorkspaceMerge, tconn: sa.Connection,
              stage_sequences: Sequence[tuple[str, str]], source: Store, target: Store | None = None) -> None:
    """The tracking snapshot rewritten for NAME (consolidate.rewrite_tracking), ids drawn from the target."""
    tables = sqlite_db.tables(sconn)
    several_workspaces(sconn, tables, source.redacted)
    rewrite_tracking(sconn, merge, lambda t, c, old: reserve_ids(tconn, t, c, old), stage_sequences, tables)
    tconn.commit()
    early_collisions(sconn, tconn, merge, target or source)
    tconn.commit()


ADMIN_NOTE = ("{n} user(s) were admins of the source ({names}): admin of the merged server would reach every "
              "workspace, so they get MANAGE on workspace {ws} instead (make one an admin on purpose with "
              "MLflow's update_user_admin)")


def transform_auth(sconn: sqlite3.Connection, merge: WorkspaceMerge, tconn: sa.Connection,
                   stage_sequences: Sequence[tuple[str, str]], source: Store, target: Store | None = None) -> None:
    """The basic-auth snapshot for NAME (consolidate.rewrite_auth): users matched by name with the target's
    (an identical password hash merges them; a different one is refused unless --auth-users says whose
    stays), new users and every other key numbered from the target's sequences; source admins are not made
    admins of the merged server unless it has no admin at all."""
    tables = sqlite_db.tables(sconn)
    theirs = {}
    if tconn.exec_driver_sql("SELECT to_regclass('users')").scalar() is not None:
        theirs = {str(u): (int(i), h, bool(a)) for i, u, h, a in tconn.exec_driver_sql(
            "SELECT id, username, password_hash, is_admin FROM users").all()}
    mine = source_users(sconn)
    # again (plan_auth looked before anything was written): the target's users may have changed since
    clash = _refuse_user_clash(merge, {u: h for _i, u, h, _a in mine}, {u: t[1] for u, t in theirs.items()})
    existing = {i: theirs[u][0] for i, u, _h, _a in mine if u in theirs}
    users = {**existing, **reserve_ids(tconn, "users", "id", [i for i, u, _h, _a in mine if u not in theirs])}
    merge.skip["users"] = ("id", sorted(existing.values()))
    merge.keep_admins = not any(a for _i, _h, a in theirs.values())  # else nobody could administer it
    if merge.auth_users == "keep-source":
        merge.password_updates = {theirs[u][0]: h for _i, u, h, _a in mine if u in clash}
    rewrite_auth(sconn, merge, lambda t, c, old: reserve_ids(tconn, t, c, old), users, stage_sequences, tables)
    tconn.commit()
    admins = [u for _i, u, _h, a in mine if a and (u not in theirs or not theirs[u][2])]
    if admins and merge.keep_admins:
        merge.notes.append(f"the target had no admin: the source's admin(s) {', '.join(admins)} stay admins, now of "
                           "the whole merged server (every workspace)")
    elif admins:
        merge.notes.append(ADMIN_NOTE.format(n=len(admins), names=", ".join(admins), ws=merge.name))
    if clash:
        kept = "the target's" if merge.auth_users == "keep-target" else "the source's"
        merge.notes.append(f"{len(clash)} user(s) in both with different passwords keep {kept}: {', '.join(clash)}")


# --- the merge transaction -----------------------------------------------------------------------------------

def _unique_keys(conn: sa.Connection, schema_name: str, table: str) -> list[list[str]]:
    """Column lists of the primary key, unique constraints and unique indexes of schema.table."""
    rows = conn.exec_driver_sql("""
        SELECT ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY u(n, o)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n ORDER BY u.o)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %(s)s AND c.relname = %(t)s AND i.indisunique AND i.indpred IS NULL
          AND 0 <> ALL (i.indkey::int2[])""", {"s": schema_name, "t": table}).all()
    out: list[list[str]] = []
    for (cols,) in rows:
        if list(cols) not in out:
            out.append(list(cols))
    return out


def _tables_of(conn: sa.Connection, schema_name: str) -> dict[str, Table]:
    conn.exec_driver_sql(f"SET LOCAL search_path TO {q(schema_name)}")
    try:
        return pg_db.tables(conn)
    finally:
        conn.exec_driver_sql("RESET search_path")


def merge_stage(conn: sa.Connection, stage_name: str, target_schema: str, merge: WorkspaceMerge,
                target: Store, rows: Mapping[str, int], kind: str = schema.TRACKING) -> None:
    """Inside the caller's fresh transaction on the lock holder: see the module doc (step 3)."""
    conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    conn.exec_driver_sql("SET LOCAL lock_timeout = '60s'")
    S, T = q(stage_name), q(target_schema)
    rev = pg_db.revision(conn, kind)
    if rev is None:
        if kind == schema.TRACKING and not merge.target_empty:
            raise MigratorError(f"target {target.redacted} lost its MLflow schema while the copy ran; nothing was "
                                "written")
        pg_db.migrate_in_transaction(conn, kind)
    elif kind == schema.TRACKING:
        if merge.target_empty:
            raise MigratorError(f"target {target.redacted} received an MLflow schema while the copy ran; nothing "
                                "was written: run the same command again")
        describe(conn, merge, target)  # again: a server may have changed it meanwhile
    elif rev != schema.installed_head(kind):
        schema.require_not_newer(rev, f"basic-auth target {target.redacted}", kind)
        raise MigratorError(f"basic-auth target {target.redacted} is at {rev}, older than the installed MLflow's "
                            f"{schema.installed_head(kind)}; upgrade it first (`migrator upgrade`), then merge")
    stage_tables = _tables_of(conn, stage_name)
    target_tables = pg_db.tables(conn)
    missing = sorted(set(stage_tables) - set(target_tables))
    if missing:
        raise MigratorError(f"target {target.redacted} lacks table(s) {', '.join(missing)}; nothing was written")
    filled = [t for t in schema.insert_order(stage_tables) if rows.get(t) and t != "workspaces"]
    where = {t: (f" WHERE {q(c)} <> ALL(%(skip)s)", {"skip": v}) for t, (c, v) in merge.skip.items()}
    _refuse_collisions(conn, S, T, target_schema, filled, stage_tables, merge, target, where)
    updated = sorted(merge.password_updates) if kind == schema.AUTH else []
    keep = {"users": (" WHERE id <> ALL(%(upd)s)", {"upd": updated})} if updated else {}
    own = schema.own_tables(target_tables, kind)
    merge.sums[kind] = _other_workspaces(conn, target_schema, own, merge)
    # tables whose rows belong to no other workspace: the whole table before (+ the source's after)
    loose = [t for t in filled if not any(t in tables for tables in merge.sums[kind].values())]
    sums_before = {}
    for t in loose:
        w, params = keep.get(t, ("", {}))
        n, h = conn.exec_driver_sql(hash_sql(f"{T}.{q(t)}", _cols(stage_tables[t]), w), params).one()
        w, params = where.get(t, ("", {}))
        n2, h2 = conn.exec_driver_sql(hash_sql(f"{S}.{q(t)}", _cols(stage_tables[t]), w), params).one()
        sums_before[t] = (int(n) + int(n2), h + h2)  # what the table must hold after: its rows + the source's
    counts_before = {t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {T}.{q(t)}").scalar_one()) for t in filled}
    if kind == schema.TRACKING:
        _merge_workspace_row(conn, S, T, stage_tables, merge)
    for t in filled:
        w, params = where.get(t, ("", {}))
        if not w and _swappable(conn, stage_name, target_schema, t, rows[t], counts_before[t]):
            merge.inserted[t] = _swap(conn, stage_name, target_schema, t, _cols(stage_tables[t]))
            continue
        names = ", ".join(q(c) for c in _cols(stage_tables[t]))
        over = " OVERRIDING SYSTEM VALUE" if _has_identity(conn, target_schema, t) else ""
        res = conn.exec_driver_sql(f"INSERT INTO {T}.{q(t)} ({names}){over} SELECT {names} FROM {S}.{q(t)}{w}",
                                   params)
        merge.inserted[t] = int(res.rowcount)
    for uid, pw in merge.password_updates.items() if kind == schema.AUTH else ():
        conn.exec_driver_sql(f"UPDATE {T}.users SET password_hash = %(h)s WHERE id = %(i)s", {"h": pw, "i": uid})
    _move_sequences(conn, target_schema)
    _prove(conn, S, T, target_schema, filled, stage_tables, merge, kind, own, where, keep, sums_before,
           counts_before)
    conn.exec_driver_sql(f"DROP SCHEMA {S} CASCADE")


def _cols(t: Table) -> list[str]:
    return [c.name for c in t.columns]


def _prove(conn: sa.Connection, S: str, T: str, target_schema: str, filled: Sequence[str],
           stage_tables: Mapping[str, Table], merge: WorkspaceMerge, kind: str, own: Mapping[str, Table],
           where: Mapping[str, tuple[str, dict[str, Any]]], keep: Mapping[str, tuple[str, dict[str, Any]]],
           sums_before: Mapping[str, tuple[int, Any]], counts_before: Mapping[str, int]) -> None:
    """Before the commit: each table holds its rows before plus exactly the source's (counts), every other
    workspace's rows are as they were (hash sums per workspace and table), and so are the rows of tables
    that belong to no workspace (whole-table hash sums: before + the source's)."""
    for t in filled:
        n = int(conn.exec_driver_sql(f"SELECT count(*) FROM {T}.{q(t)}").scalar_one())
        if n != counts_before[t] + merge.inserted[t]:
            raise VerificationFailed(f"{t}: {n} rows after the merge, {counts_before[t]} before + "
                                     f"{merge.inserted[t]} merged; nothing was committed", None)
    after = _other_workspaces(conn, target_schema, own, merge, recorded=merge.sums[kind])
    changed = [f"{ws}.{t}" for ws, tables in merge.sums[kind].items() for t in tables
               if tables[t] != after.get(ws, {}).get(t)]
    for t, (n0, h0) in sums_before.items():
        w, params = keep.get(t, ("", {}))
        n1, h1 = conn.exec_driver_sql(hash_sql(f"{T}.{q(t)}", _cols(stage_tables[t]), w), params).one()
        if int(n1) != n0 or h1 != h0:
            changed.append(t)
    if changed:
        raise VerificationFailed("the merge would change rows outside its workspace (" + ", ".join(changed)
                                 + "); nothing was committed", None)


SWAP_ROWS = 20_000  # a staged table this big, and bigger than the target's: the target's rows go to it


def _swappable(conn: sa.Connection, stage_name: str, target_schema: str, table: str, staged: int,
               held: int) -> bool:
    """Cheaper than inserting the staged rows into the target's table (its indexes and foreign-key checks row
    by row): the target's rows into the staged table, which then replaces the target's. Only for a big
    staged table larger than the target's, which nothing references, with no triggers, rules, policies,
    views or grants of its own, owned by this user, and defined exactly as the staged one (columns,
    indexes, constraints)."""
    if staged < SWAP_ROWS or held >= staged:
        return False
    ok = conn.exec_driver_sql("""
        SELECT c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) AND c.relacl IS NULL
           AND c.relkind = 'r' AND NOT c.relhasrules AND NOT c.relrowsecurity
           AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal)
           AND NOT c.relhassubclass AND NOT c.relispartition
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.confrelid = c.oid)
           AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                           WHERE d.refobjid = c.oid AND d.classid = 'pg_rewrite'::regclass)
        FROM pg_class c WHERE c.oid = to_regclass(%(t)s)""", {"t": f"{q(target_schema)}.{q(table)}"}).scalar()
    return bool(ok) and _definition(conn, target_schema, table) == _definition(conn, stage_name, table)


def _definition(conn: sa.Connection, schema_name: str, table: str) -> tuple:
    """Columns (in order, dropped ones left out), index and constraint definitions, schema names removed."""
    oid = conn.exec_driver_sql("SELECT to_regclass(%(t)s)::oid", {"t": f"{q(schema_name)}.{q(table)}"}).scalar()
    cols = conn.exec_driver_sql("""
        SELECT attname, format_type(atttypid, atttypmod), attnotnull, pg_get_expr(d.adbin, d.adrelid),
               attidentity, attgenerated, attcollation
        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = %(o)s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""", {"o": oid}).all()
    strip = [f"{q(schema_name)}.", f"{schema_name}."]

    def clean(text: str) -> str:
        for s in strip:
            text = text.replace(s, "")
        return text
    idx = sorted(clean(i) for (i,) in conn.exec_driver_sql(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %(o)s", {"o": oid}).all())
    cons = sorted((n, clean(d)) for n, d in conn.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %(o)s", {"o": oid}).all())
    return tuple(map(tuple, cols)), tuple(idx), tuple(cons)


def _swap(conn: sa.Connection, stage_name: str, target_schema: str, table: str, cols: Sequence[str]) -> int:
    """The target's rows into the staged table (writers of the target's table wait: EXCLUSIVE lock), the
    staged table in its place; its foreign keys re-made to the target's parents (validated). Returns the
    rows the source brought."""
    S, T, t = q(stage_name), q(target_schema), q(table)
    names = ", ".join(q(c) for c in cols)
    conn.exec_driver_sql(f"LOCK TABLE {T}.{t} IN EXCLUSIVE MODE")
    staged = int(conn.exec_driver_sql(f"SELECT count(*) FROM {S}.{t}").scalar_one())
    fks = conn.exec_driver_sql("""
        SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = to_regclass(%(t)s) AND contype = 'f'""", {"t": f"{T}.{t}"}).all()
    for name, _d in fks:  # the staged table's point at the stage's parents, which the target's rows are not in
        conn.exec_driver_sql(f"ALTER TABLE {S}.{t} DROP CONSTRAINT {q(name)}")
    conn.exec_driver_sql(f"INSERT INTO {S}.{t} ({names}) SELECT {names} FROM {T}.{t}")
    conn.exec_driver_sql(f"DROP TABLE {T}.{t}")
    conn.exec_driver_sql(f"ALTER TABLE {S}.{t} SET SCHEMA {T}")
    for name, definition in fks:  # as the target had them (they name the target's parent tables)
        conn.exec_driver_sql(f"ALTER TABLE {T}.{t} ADD CONSTRAINT {q(name)} {definition} NOT VALID")
        conn.exec_driver_sql(f"ALTER TABLE {T}.{t} VALIDATE CONSTRAINT {q(name)}")
    conn.exec_driver_sql(f"ANALYZE {T}.{t}")
    return staged


def _other_workspaces(conn: sa.Connection, target_schema: str, tables: Mapping[str, Table],
                      merge: WorkspaceMerge, recorded: Mapping[str, Any] | None = None
                      ) -> dict[str, dict[str, list[Any]]]:
    """workspace -> table -> [rows, hash sum] of every other workspace the target holds (`recorded`: of
    those), before the merge writes (recorded in the id map: `verify --workspace` proves them unchanged
    later) and after (the merge transaction's own proof)."""
    names: list[str] = []
    if recorded is not None:
        names = list(recorded)
    elif "workspaces" in tables:
        names = list(conn.exec_driver_sql("SELECT name FROM workspaces ORDER BY name").scalars().all())
    elif "roles" in tables:
        names = list(conn.exec_driver_sql("SELECT DISTINCT workspace FROM roles ORDER BY 1").scalars().all())
    out = {}
    for i, ws in enumerate(w for w in names if w != merge.name):
        views = slice_views(conn, tables, str(ws), target_schema, f"migrator_w{i}_")
        out[str(ws)] = sums(conn, tables, views)  # one entry per table the workspace owns rows of
        for view in reversed(list(views.values())):
            conn.exec_driver_sql(f"DROP VIEW {q(view)}")
    return out


def _merge_workspace_row(conn: sa.Connection, S: str, T: str, stage_tables: Mapping[str, Table],
                         merge: WorkspaceMerge) -> None:
    """NAME's row (the stage's `default` row too, which the target always has): nothing else may change."""
    ws_cols = [c.name for c in stage_tables["workspaces"].columns]
    ws_before = conn.exec_driver_sql(hash_sql(f"{T}.workspaces", ws_cols)).one()
    ws_names = ", ".join(q(c) for c in ws_cols)
    res = conn.exec_driver_sql(f"INSERT INTO {T}.workspaces ({ws_names}) SELECT {ws_names} FROM {S}.workspaces "
                               "ON CONFLICT DO NOTHING RETURNING name")
    created = [str(n) for (n,) in res.all()]
    merge.inserted["workspaces"] = len(created)
    ws_after = conn.exec_driver_sql(hash_sql(f"{T}.workspaces", ws_cols, " WHERE name <> ALL(%(c)s)"),
                                    {"c": created}).one()
    if tuple(ws_after) != tuple(ws_before) or created not in ([], [merge.name]):
        raise VerificationFailed("workspaces: the merge would change workspaces other than its own; nothing was "
                                 "committed", None)


def _has_identity(conn: sa.Connection, schema_name: str, table: str) -> bool:
    return bool(conn.exec_driver_sql("""
        SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %(s)s AND c.relname = %(t)s AND a.attidentity <> '' AND NOT a.attisdropped""",
                                     {"s": schema_name, "t": table}).first())


def _move_sequences(conn: sa.Connection, target_schema: str) -> None:
    """Every sequence of the target past its column's largest value (never back: a server may use it)."""
    for table, column, seq in pg_db.sequences(conn):
        conn.exec_driver_sql(
            f"SELECT setval(%(s)s, m) FROM (SELECT max({q(column)}) AS m FROM {q(table)}) x "
            f"WHERE m IS NOT NULL AND m > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
            f"FROM {seq})", {"s": seq})


def _refuse_collisions(conn: sa.Connection, S: str, T: str, target_schema: str, filled: Sequence[str],
                       stage_tables: Mapping[str, Table], merge: WorkspaceMerge, target: Store,
                       where: Mapping[str, tuple[str, dict[str, Any]]]) -> None:
    """Every key of the stage's rows that the target holds already, refused as one list."""
    def probe(t: str, key: list[str]) -> list[tuple] | None:
        on = " AND ".join(f"x.{q(c)} = s.{q(c)}" for c in key)
        sel = ", ".join(f"s.{q(c)}" for c in key)
        w, params = where.get(t, ("", {}))
        return [tuple(r) for r in conn.exec_driver_sql(
            f"SELECT {sel} FROM (SELECT * FROM {S}.{q(t)}{w}) s WHERE EXISTS "
            f"(SELECT 1 FROM {T}.{q(t)} x WHERE {on}) ORDER BY {sel}", params).all()]
    collisions(conn, target_schema, filled, stage_tables, merge, target, probe)


def collisions(conn: sa.Connection, target_schema: str, order: Sequence[str], tables: Mapping[str, Table],
               merge: WorkspaceMerge, target: Store, probe: Any) -> None:
    """Ask `probe(table, key)` for the source's values of every unique key of the target's tables (primary
    keys, unique constraints and indexes: names unique per workspace too) that the target holds already, and
    refuse them all as one list. A key that contains a whole foreign key to a key looked up before is
    skipped: its rows belong to parents that either collided (listed) or did not (then neither can they).
    `probe` returns None for a key it cannot look up (left to the merge transaction)."""
    probed: dict[str, list[list[str]]] = {}
    lines: list[str] = []
    names = False
    for t in order:
        keys = _unique_keys(conn, target_schema, t)
        fks = tables[t].fks
        done: list[list[str]] = []
        for key in keys:
            if any(p in probed and list(pc) in probed[p] and set(c) <= set(key) for c, p, pc in fks):
                continue
            found = probe(t, key)
            if found is None:
                continue
            done.append(key)
            if found:
                scoped = "workspace" in key
                names = names or scoped
                what = f"name(s) already in workspace {merge.name!r}" if scoped else "key(s) the target holds"
                lines.append(f"{t} ({', '.join(key)}): {len(found)} {what}:")
                lines += [f"  {', '.join(str(v) for v in r if v != merge.name or not scoped)}" for r in found]
        probed[t] = done
    if lines:
        kinds = "names that must be unique in the workspace, or ids" if names else "ids"
        raise MergeConflict(f"the source holds {kinds} that target {target.redacted} holds already (listed "
                            "above); nothing was written. Rename or delete them on one side, or merge into "
                            "another workspace", lines)


EARLY_ROWS = 200_000  # tables up to this size are looked up in the target before the load
_EARLY_TYPES = {"text", "character varying", "integer", "bigint", "smallint", "boolean"}


def early_collisions(sconn: sqlite3.Connection, conn: sa.Connection, merge: WorkspaceMerge, target: Store) -> None:
    """The collision check of the merge transaction, before the load, from the rewritten snapshot: the keys
    of every table up to EARLY_ROWS rows (runs, experiments, models, traces ... ; not the metric rows) sent
    to the target as arrays. The merge transaction looks again, at every key (the target may change)."""
    if conn.exec_driver_sql("SELECT to_regclass('experiments')").scalar() is None:
        return  # an empty target: nothing to collide with
    target_schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
    theirs = pg_db.tables(conn)
    mine = sqlite_db.tables(sconn)
    order = [t for t in schema.insert_order(mine) if t in theirs and t != "workspaces"
             and t in schema.own_tables(mine, schema.TRACKING)]
    sizes = {t: int(sconn.execute(f"SELECT count(*) FROM {q(t)}").fetchone()[0]) for t in order}
    types = {(t, c): typ for t, c, typ in conn.exec_driver_sql("""
        SELECT c.relname, a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = current_schema()::regnamespace
          AND a.attnum > 0 AND NOT a.attisdropped""").all()}

    def probe(t: str, key: list[str]) -> list[tuple] | None:
        if not sizes.get(t):
            return []
        kinds = [types.get((t, c)) for c in key]
        if sizes[t] > EARLY_ROWS or any(k not in _EARLY_TYPES for k in kinds):
            return None
        cols = ", ".join(q(c) for c in key)
        notnull = " AND ".join(f"{q(c)} IS NOT NULL" for c in key)
        rows = sconn.execute(f"SELECT DISTINCT {cols} FROM {q(t)} WHERE {notnull}").fetchall()
        if not rows:
            return []
        params = {f"a{i}": [bool(r[i]) if k == "boolean" else r[i] for r in rows] for i, k in enumerate(kinds)}
        arrays = ", ".join(f"%(a{i})s::{k}[]" for i, k in enumerate(kinds))
        on = " AND ".join(f"x.{q(c)} = v.{q(c)}" for c in key)
        sel = ", ".join(f"v.{q(c)}" for c in key)
        return [tuple(r) for r in conn.exec_driver_sql(
            f"SELECT {sel} FROM unnest({arrays}) AS v({cols}) WHERE EXISTS "
            f"(SELECT 1 FROM {q(target_schema)}.{q(t)} x WHERE {on}) ORDER BY {sel}", params).all()]
    collisions(conn, target_schema, order, mine, merge, target, probe)


def stage_sequences(conn: sa.Connection) -> list[tuple[str, str]]:
    """(table, column) of every sequence-numbered column of the schema `conn` is set to."""
    return [(t, c) for t, c, _s in pg_db.sequences(conn)]


__all__ = ["MergeConflict", "WorkspaceMerge", "merge_stage", "plan_workspace", "transform", "transform_auth"]
