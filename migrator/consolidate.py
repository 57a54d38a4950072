"""Consolidating stores into workspaces of one MLflow server: what a merge into workspace NAME is, and the
rewrite of migrator's private SQLite snapshot of a source into what NAME will hold, shared by the merge
(`bulk.merge`, which draws new ids from the target) and its proof (`verify --workspace`, which replays the
rewrite with the ids the merge recorded in its id map).

The rewrite: every key PostgreSQL numbers by a sequence gets the id given for it (each foreign key to it,
the experiment ids MLflow keeps without one, the tags that list them), every table with a `workspace`
column (read from the schema) says NAME, the `workspaces` table holds NAME's row and `default`'s; each
experiment keeps its old id in the tag `migrator.source_experiment_id`. For the basic-auth store: users
take the ids given (a user the target holds already keeps the target's row), every source user becomes a
member of NAME (MANAGE for the source's admins), MLflow's per-user roles follow the new user ids, and the
experiment ids in grants follow the tracking merge.

`slices` says, per table, which of a merged target's rows are workspace NAME's (the proof compares them
with the rewritten snapshot, and checks that the rest is as the merge found it).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from . import renumber
from .artifacts import Rule
from .errors import MigratorError, TargetNotEmpty, UsageError
from .files import open_private
from .schema import Table
from .schema import quote_ident as q

SOURCE_EXPERIMENT_TAG = "migrator.source_experiment_id"
EXPERIMENT_KEY = "experiments.experiment_id"
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_RESERVED = {"workspaces", "api", "ajax-api", "static-files"}
_SERVED = ("mlflow-artifacts:/", "mlflow-artifacts:")
MAP_VERSION = 1

Ids = Callable[[str, str, Sequence[int]], dict[int, int]]  # (table, column, old values) -> {old: new}


class MergeConflict(TargetNotEmpty):
    """Keys or names of the source that the target holds already (exit 1, nothing written)."""

    def __init__(self, message: str, lines: Sequence[str]) -> None:
        super().__init__(message)
        self._lines = list(lines)

    @property
    def lines(self) -> list[str]:
        return self._lines

    def payload(self) -> dict[str, Any]:
        return {"ok": False, "error": self.message, "conflicts": self._lines}


def check_name(name: str) -> None:
    """MLflow's rule for workspace names (WorkspaceNameValidator), as a usage error."""
    if not (2 <= len(name) <= 63) or not _NAME.match(name) or name in _RESERVED:
        shown = repr(name) if len(name) <= 63 and not set(name) & set(":/@") else "the name given"
        raise UsageError(f"Invalid value for '--workspace': {shown} is not a workspace name MLflow accepts "
                         "(2-63 lowercase letters, digits and inner hyphens; not workspaces, api, ajax-api, "
                         "static-files)")


@dataclass
class WorkspaceMerge:
    """What `--workspace NAME` asks for, and what the run found and did."""

    name: str
    description: str | None = None
    artifact_root: str | None = None
    id_map_file: Path | None = None
    keys: dict[str, dict[int, int]] = field(default_factory=dict)  # "table.column" -> {old: new}
    existing: dict[str, Any] | None = None  # NAME's row in the target, when it exists
    target_empty: bool = False  # no MLflow schema yet: MLflow's migrations create it in the merge transaction
    inserted: dict[str, int] = field(default_factory=dict)
    auth_users: str = "refuse"  # a user name both hold with different passwords: refuse, keep-target, keep-source
    skip: dict[str, tuple[str, list[Any]]] = field(default_factory=dict)  # table -> (column, values) not inserted
    password_updates: dict[int, str] = field(default_factory=dict)  # --auth-users keep-source: target id -> hash
    notes: list[str] = field(default_factory=list)
    sums: dict[str, dict[str, dict[str, list[Any]]]] = field(default_factory=dict)  # kind -> workspace -> table -> [rows, hash]
    default_row: dict[str, Any] | None = None  # the target's `default` workspace row
    keep_admins: bool = False  # the basic-auth target had no admin: the source's stay admins
    done: set[str] = field(default_factory=set)  # stores (kinds) an earlier run of this merge committed
    sources: dict[str, str] = field(default_factory=dict)  # kind -> the source merged (no password)

    @property
    def experiments(self) -> dict[int, int]:
        return self.keys.setdefault(EXPERIMENT_KEY, {})

    def rules(self, served_new: str) -> tuple[Rule, ...]:
        """Where the proxied locations of the source go, `served_new` being `mlflow-artifacts:/` (the
        locations stored) or the new server's --artifacts-destination (the bytes): experiment folders
        under `workspaces/NAME/<new id>` (where a server with --enable-workspaces looks for NAME's), the rest
        under `workspaces/NAME/`."""
        base = f"{served_new.rstrip('/')}/workspaces/{self.name}/"
        out = [Rule(f"{root}{old}", f"{base}{new}", segment=True)
               for old, new in self.experiments.items() for root in _SERVED]
        out += [Rule(root, base) for root in _SERVED]
        return tuple(sorted(set(out), key=lambda r: (-len(r.old), r.old)))

    def write_map(self, kind: str, source: str, target: str) -> None:
        """The id map, 0600 from its first byte: what `verify --workspace` replays (no password in it)."""
        assert self.id_map_file is not None
        self.sources[kind] = source
        doc = {"version": MAP_VERSION, "workspace": self.name, "sources": self.sources, "target": target,
               "keys": {k: {str(o): n for o, n in sorted(v.items())} for k, v in self.keys.items()},
               "skip": {t: [c, v] for t, (c, v) in self.skip.items()},
               "password_updates": sorted(self.password_updates), "keep_admins": self.keep_admins,
               "workspace_row": self.existing, "default_row": self.default_row,
               "inserted": self.inserted, "target_before": self.sums}
        with open_private(self.id_map_file) as f:
            f.write(json.dumps(doc, indent=1, default=str))

    @classmethod
    def from_map(cls, path: Path, name: str) -> "WorkspaceMerge":
        """A merge as its id map recorded it (for the proof), or a clear error."""
        try:
            doc = json.loads(path.read_text())
        except FileNotFoundError:
            raise MigratorError(f"no id map at {path}: give the file the merge wrote (--id-map, default "
                                f"./migrator-workspace-{name}.json)") from None
        except (OSError, ValueError) as e:
            raise MigratorError(f"cannot read the id map {path}: {e}") from None
        if not isinstance(doc, dict) or doc.get("version") != MAP_VERSION or doc.get("workspace") != name:
            raise MigratorError(f"{path} is not the id map of a merge into workspace {name!r}")
        m = cls(name, id_map_file=path, existing=doc.get("workspace_row"), default_row=doc.get("default_row"),
                keep_admins=bool(doc.get("keep_admins")))
        m.keys = {k: {int(o): int(n) for o, n in v.items()} for k, v in doc.get("keys", {}).items()}
        m.skip = {t: (c, list(v)) for t, (c, v) in doc.get("skip", {}).items()}
        m.password_updates = {int(i): "" for i in doc.get("password_updates", [])}
        m.sums = doc.get("target_before", {})
        return m

    def recorded(self, table: str, column: str, old: Sequence[int]) -> dict[int, int]:
        """The ids the merge gave (an `Ids` for the replay); an id it did not see is a difference."""
        mapping = self.keys.get(f"{table}.{column}", {})
        unknown = sorted(set(old) - set(mapping))
        if unknown:
            raise MigratorError(f"the source holds {table}.{column} value(s) the merge did not see "
                                f"({', '.join(map(str, unknown[:10]))}): it changed after the merge")
        return {o: mapping[o] for o in old}


def default_map_file(name: str) -> Path:
    return Path(f"migrator-workspace-{name}.json")


def scoped_tables(tables: Mapping[str, Table]) -> list[str]:
    """Tables with a `workspace` column (read from the schema), `workspaces` itself excluded."""
    return sorted(t for t, tb in tables.items()
                  if t != "workspaces" and "workspace" in {c.name for c in tb.columns})


def source_workspaces(conn: sqlite3.Connection, tables: Mapping[str, Table]) -> dict[str, int]:
    """Workspace name -> rows the source holds in it (over every scoped table)."""
    out: dict[str, int] = {}
    for t in scoped_tables(tables):
        for ws, n in conn.execute(f"SELECT workspace, count(*) FROM {q(t)} GROUP BY workspace"):
            out[str(ws)] = out.get(str(ws), 0) + int(n)
    return out


# --- planning: before anything is copied -----------------------------------------------------------------

def several_workspaces(conn: sqlite3.Connection, tables: Mapping[str, Table], what: str) -> None:
    """A source whose objects are in more than one workspace cannot go into one (names would join)."""
    used = {w: n for w, n in source_workspaces(conn, tables).items() if n}
    if len(used) > 1:
        raise MigratorError(f"{what} uses several workspaces ({', '.join(sorted(used))}); merging them into one "
                            "could join names that are unique per workspace. Move each workspace with `mlflow db "
                            "move-resources` first, or merge the store into a server of its own")


def counts(conn: sqlite3.Connection, tables: Mapping[str, Table]) -> dict[str, int]:
    return {t: int(conn.execute(f"SELECT count(*) FROM {q(t)}").fetchone()[0]) for t in tables}


def rewrite_tracking(sconn: sqlite3.Connection, merge: WorkspaceMerge, ids: Ids,
                     sequences: Sequence[tuple[str, str]], tables: Mapping[str, Table]) -> None:
    """The tracking snapshot as workspace NAME of the target will hold it (see the module doc); `ids` gives
    the new values of a sequence-numbered key (the experiments' are merge.experiments, completed by it)."""
    rows = counts(sconn, tables)
    exp_ids = [int(r[0]) for r in sconn.execute("SELECT experiment_id FROM experiments")]
    missing = sorted(set(exp_ids) - set(merge.experiments))
    if missing:  # experiments created in a live source after the plan
        merge.experiments.update(ids("experiments", "experiment_id", missing))
    for gone in set(merge.experiments) - set(exp_ids):
        del merge.experiments[gone]
    renumber.apply(sconn, merge.experiments, tables, tag=SOURCE_EXPERIMENT_TAG, replace_tag=True)
    renumber_sequences(sconn, merge, ids, sequences, rows, tables, done=("experiments",))
    with sconn:
        set_workspace(sconn, merge, tables, rows)
        if "workspaces" in tables:
            # NAME's row, and `default`'s (a store with workspaces enabled needs it: the checks read the
            # snapshot and the stage as workspace NAME); the target keeps its own rows of both names
            sconn.execute("DELETE FROM workspaces")
            cols = {x.name for x in tables["workspaces"].columns}
            for row in (merge.default_row or {"name": "default"}, merge.existing or {
                    "name": merge.name, "description": merge.description,
                    "default_artifact_root": merge.artifact_root}):
                names = [c for c in row if c in cols]
                sconn.execute(f"INSERT INTO workspaces ({', '.join(q(c) for c in names)}) VALUES "
                              f"({', '.join('?' for _ in names)})", [row[c] for c in names])


def renumber_sequences(sconn: sqlite3.Connection, merge: WorkspaceMerge, ids: Ids,
                       sequences: Sequence[tuple[str, str]], rows: Mapping[str, int],
                       tables: Mapping[str, Table], done: Sequence[str]) -> None:
    """Every other sequence-numbered key: the ids given, rewritten with its foreign keys."""
    for table, column in sequences:
        if table in done or not rows.get(table) or table not in tables:
            continue
        old = [int(r[0]) for r in sconn.execute(f"SELECT {q(column)} FROM {q(table)} WHERE {q(column)} IS NOT NULL")]
        mapping = ids(table, column, old)
        renumber.apply_key(sconn, tables, table, column, mapping)
        merge.keys[f"{table}.{column}"] = mapping


def set_workspace(sconn: sqlite3.Connection, merge: WorkspaceMerge, tables: Mapping[str, Table],
                  rows: Mapping[str, int]) -> None:
    for t in scoped_tables(tables):
        if rows.get(t):
            sconn.execute(f"UPDATE {q(t)} SET workspace = ?", (merge.name,))


def source_users(sconn: sqlite3.Connection) -> list[tuple[int, str, Any, bool]]:
    return [(int(i), str(u), h, bool(a)) for i, u, h, a in sconn.execute(
        "SELECT id, username, password_hash, is_admin FROM users ORDER BY id")]


def rewrite_auth(sconn: sqlite3.Connection, merge: WorkspaceMerge, ids: Ids, users: Mapping[int, int],
                 sequences: Sequence[tuple[str, str]], tables: Mapping[str, Table]) -> None:
    """The basic-auth snapshot for workspace NAME (see the module doc); `users`: old id -> id in the target
    (merge.skip["users"] names those the target holds already), merge.keep_admins whether the source's
    admins stay admins."""
    with sconn:
        sconn.execute("PRAGMA foreign_keys = OFF")
        grant_membership(sconn, tables, source_users(sconn))
        if not merge.keep_admins:
            sconn.execute("UPDATE users SET is_admin = 0 WHERE is_admin")  # admins of the target stay its own
    renumber.apply_key(sconn, tables, "users", "id", users)
    with sconn:
        for parked in (True, False):  # `__user_<old>__` -> `__user_<new>__`, through names no role has
            for old, nid in users.items():
                frm, to = (f"__user_{old}__", f"__migrator_user_{nid}__") if parked else \
                    (f"__migrator_user_{nid}__", f"__user_{nid}__")
                sconn.execute("UPDATE roles SET name = ? WHERE name = ?", (to, frm))
    merge.keys["users.id"] = dict(users)
    rows = counts(sconn, tables)
    renumber_sequences(sconn, merge, ids, sequences, rows, tables, done=("users",))
    text = {str(o): str(n) for o, n in merge.experiments.items()}
    sconn.create_function("mig_exp", 1, lambda v: text.get(str(v), v) if v is not None else v, deterministic=True)
    with sconn:
        for t, tb in tables.items():
            if "experiment_id" in {c.name for c in tb.columns}:  # one statement: a row changes once
                sconn.execute(f"UPDATE {q(t)} SET experiment_id = mig_exp(experiment_id) "
                              "WHERE experiment_id IS NOT mig_exp(experiment_id)")
        if "role_permissions" in tables:  # grants on one experiment: '<id>', scorers: '<id>/<name>'
            for (rid, pattern) in sconn.execute(
                    "SELECT id, resource_pattern FROM role_permissions "
                    "WHERE resource_type IN ('experiment', 'scorer')").fetchall():
                head, sep, rest = str(pattern).partition("/")
                if head in text:
                    sconn.execute("UPDATE role_permissions SET resource_pattern = ? WHERE id = ?",
                                  (text[head] + sep + rest, rid))
        set_workspace(sconn, merge, tables, rows)


def grant_membership(sconn: sqlite3.Connection, tables: Mapping[str, Table],
                     users: Sequence[tuple[int, str, Any, bool]]) -> None:
    """Every source user joins the workspace: MLflow's grant ('workspace', '*', USE or MANAGE) on the user's
    synthetic role (created when missing), as MLflow's set_workspace_permission writes it. Ids are the
    snapshot's own here (renumbered with the rest after)."""
    if not {"roles", "role_permissions", "user_role_assignments"} <= set(tables):
        return
    for uid, _name, _hash, admin in users:
        role = f"__user_{uid}__"
        row = sconn.execute("SELECT id FROM roles WHERE name = ?", (role,)).fetchone()
        if row is None:
            rid = int(sconn.execute("SELECT coalesce(max(id), 0) + 1 FROM roles").fetchone()[0])
            sconn.execute("INSERT INTO roles (id, name, workspace, description) VALUES (?, ?, 'default', NULL)",
                          (rid, role))
        else:
            rid = int(row[0])
        level = "MANAGE" if admin else "USE"
        got = sconn.execute("SELECT id, permission FROM role_permissions WHERE role_id = ? AND resource_type = "
                            "'workspace' AND resource_pattern = '*'", (rid,)).fetchone()
        if got is None:
            pid = int(sconn.execute("SELECT coalesce(max(id), 0) + 1 FROM role_permissions").fetchone()[0])
            sconn.execute("INSERT INTO role_permissions (id, role_id, resource_type, resource_pattern, permission) "
                          "VALUES (?, ?, 'workspace', '*', ?)", (pid, rid, level))
        elif admin and got[1] != "MANAGE":
            sconn.execute("UPDATE role_permissions SET permission = 'MANAGE' WHERE id = ?", (got[0],))
        if sconn.execute("SELECT 1 FROM user_role_assignments WHERE user_id = ? AND role_id = ?",
                         (uid, rid)).fetchone() is None:
            aid = int(sconn.execute("SELECT coalesce(max(id), 0) + 1 FROM user_role_assignments").fetchone()[0])
            sconn.execute("INSERT INTO user_role_assignments (id, user_id, role_id) VALUES (?, ?, ?)", (aid, uid, rid))


def hash_sql(table: str, cols: Sequence[str], where: str = "") -> str:
    """Rows and an order-free 64-bit hash sum of `table` (the same rows give the same sum, whatever else)."""
    row = ", ".join(q(c) for c in cols)  # PostgreSQL's own 64-bit text hash (11+) of the row's text form
    return f"SELECT count(*), coalesce(sum(hashtextextended(ROW({row})::text, 0)::numeric), 0) FROM {table}{where}"


# ids of objects that link rows of other tables by type and id (entity_associations, inputs)
_LINKED = (("experiments", "experiment_id::text"), ("runs", "run_uuid"), ("logged_models", "model_id"),
           ("trace_info", "request_id"), ("datasets", "dataset_uuid"), ("evaluation_datasets", "dataset_id"))


def slices(tables: Mapping[str, Table], name: str, order: Sequence[str], keys: Mapping[str, Mapping[int, int]] = {},
           skip: Mapping[str, tuple[str, list[Any]]] = {}, ref: Callable[[str], str] = q) -> dict[str, str | None]:
    """table -> the condition that picks workspace `name`'s rows of it; `ref(parent)` names the parent's
    slice (a view made before, in `order`); `keys`/`skip`: the ids a merge gave a table numbered by a
    sequence, and those of them that were the target's own. None: a table whose rows belong to no workspace."""
    out: dict[str, str | None] = {}
    lit = "'" + name.replace("'", "''") + "'"
    # tables linked by id columns without foreign keys (experiment_id, source/destination ids, input_uuid)
    # come after every table they may point at; the result's order is the order to create views in
    linked_last = sorted((t for t in order if not tables[t].fks and not keys_of(keys, t)
                          and "workspace" not in {c.name for c in tables[t].columns} and t != "workspaces"),
                         key=lambda t: ("input_uuid" in {c.name for c in tables[t].columns}
                                        and "source_id" not in {c.name for c in tables[t].columns}, t))
    for t in [x for x in order if x not in linked_last] + linked_last:
        tb = tables[t]
        cond: str | None
        cols = {c.name for c in tb.columns}
        key = keys_of(keys, t)
        owned = {p for p, c in out.items() if c is not None}
        if t == "workspaces":  # `default`'s row too: the rewrite puts the target's own into the snapshot
            cond = f"name IN ({lit}, 'default')" if keys else f"name = {lit}"
        elif key is not None and key != EXPERIMENT_KEY:
            col = key.split(".", 1)[1]
            skipped = set(skip.get(t, ("", []))[1])
            ids = sorted(set(keys[key].values()) - skipped)
            cond = f"{q(col)} IN ({', '.join(str(i) for i in ids) or 'NULL'})"
        elif "workspace" in cols:
            cond = f"workspace = {lit}"
        else:
            fk = next(((c, p, pc) for c, p, pc in tb.fks if p in owned and p != t), None)
            if fk is not None:
                c, p, pc = fk
                cond = f"({', '.join(q(x) for x in c)}) IN (SELECT {', '.join(q(x) for x in pc)} FROM {ref(p)})"
            elif "experiment_id" in cols and "experiments" in owned:
                cond = f"experiment_id::text IN (SELECT experiment_id::text FROM {ref('experiments')})"
            elif {"source_id", "destination_id"} <= cols:
                linked = " UNION ALL ".join(f"SELECT {expr} FROM {ref(p)}" for p, expr in _LINKED if p in owned)
                cond = f"source_id IN ({linked}) OR destination_id IN ({linked})" if linked else None
            elif "input_uuid" in cols and "inputs" in owned:
                cond = f"input_uuid IN (SELECT input_uuid FROM {ref('inputs')})"
            else:
                cond = None
        out[t] = cond
    return out


def keys_of(keys: Mapping[str, Mapping[int, int]], table: str) -> str | None:
    return next((k for k in keys if k.startswith(f"{table}.")), None)


def slice_views(conn: Any, tables: Mapping[str, Table], name: str, schema_name: str, prefix: str,
                keys: Mapping[str, Mapping[int, int]] = {}, skip: Mapping[str, tuple[str, list[Any]]] = {}
                ) -> dict[str, str]:
    """Temporary views (this session's own) of workspace `name`'s rows of schema_name's tables, named
    prefix + table (prefix "": the tables' own names, which they then shadow); table -> view, for the
    tables that have an owner."""
    from .schema import insert_order

    conds = slices(tables, name, insert_order(dict(tables)), keys, skip, ref=lambda p: q(prefix + p))
    views = {}
    for t in conds:
        if conds[t] is None:
            continue
        view = prefix + t
        conn.exec_driver_sql(f"CREATE TEMPORARY VIEW {q(view)} AS SELECT * FROM {q(schema_name)}.{q(t)} "
                             f"WHERE {conds[t]}")
        views[t] = view
    return views


def sums(conn: Any, tables: Mapping[str, Table], views: Mapping[str, str]) -> dict[str, list[Any]]:
    """table -> [rows, hash sum] of each view."""
    out = {}
    for t, view in views.items():
        n, h = conn.exec_driver_sql(hash_sql(q(view), [c.name for c in tables[t].columns])).one()
        out[t] = [int(n), str(h)]
    return out
