"""New ids for experiments whose id PostgreSQL's `integer` cannot hold, applied to a snapshot.

MLflow's file store gives experiments random 18-digit ids, and `mlflow migrate-filestore` keeps them
in the SQLite store it writes; MLflow's PostgreSQL schema keeps `experiments.experiment_id` (and every
column that refers to it) as a 32-bit integer. Such a store cannot keep its ids in PostgreSQL, so, when
asked, those experiments get new ids after the largest id that fits, in order of creation, and every
reference is rewritten on the (throwaway) snapshot before anything is copied from it:

- every column that refers to an experiment id through a foreign key, found from the schema (and
  through chains of foreign keys);
- integer columns named `experiment_id` that MLflow keeps without a foreign key (assessments, rollups);
- `entity_associations` rows whose source or destination type is `experiment`;
- the prompt tag `_mlflow_experiment_ids` (a comma-separated list of experiment ids).

Each renumbered experiment gets the tag `migrator.renumbered_from` = its old id, so the old id
stays readable on the target (and `migrator verify` finds the map there).
"""

from __future__ import annotations

import sqlite3
from typing import Any, Mapping

from .schema import Table
from .schema import quote_ident as q

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
SOURCE_ID_TAG = "migrator.renumbered_from"
PROMPT_EXPERIMENTS_TAG = "_mlflow_experiment_ids"


def out_of_range_ids(conn: sqlite3.Connection) -> list[int]:
    """Experiment ids that do not fit PostgreSQL's integer, in order of creation."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(experiments)")}
    order = "creation_time, experiment_id" if "creation_time" in cols else "experiment_id"
    return [int(r[0]) for r in conn.execute(
        f"SELECT experiment_id FROM experiments WHERE typeof(experiment_id) = 'integer' "
        f"AND (experiment_id > {INT_MAX} OR experiment_id < {INT_MIN}) ORDER BY {order}")]


def plan(conn: sqlite3.Connection) -> dict[int, int]:
    """old id -> new id for every experiment whose id does not fit; empty when all fit."""
    old = out_of_range_ids(conn)
    if not old:
        return {}
    top = conn.execute(f"SELECT max(experiment_id) FROM experiments WHERE experiment_id BETWEEN 0 AND {INT_MAX}"
                       ).fetchone()[0]
    start = (top if top is not None else 0) + 1
    if start + len(old) - 1 > INT_MAX:
        from .errors import MigratorError

        raise MigratorError(f"{len(old)} experiment id(s) do not fit PostgreSQL's integer and there is no room "
                            f"above the largest id that fits ({top}) to renumber them")
    return {o: start + i for i, o in enumerate(old)}


def experiment_columns(tables: Mapping[str, Table]) -> list[tuple[str, str]]:
    """(table, column) of every integer column that holds an experiment id."""
    # follow foreign keys, also chains of them (a child's key that another table refers to)
    found = set(key_columns(tables, "experiments", "experiment_id"))
    for t in tables.values():  # MLflow keeps some experiment ids without a foreign key
        for col in t.columns:
            if col.name == "experiment_id" and col.kind in ("int", "bigint", "smallint"):
                found.add((t.name, col.name))
    return sorted(found)


def apply(conn: sqlite3.Connection, mapping: Mapping[int, int], tables: Mapping[str, Table],
          tag: str = SOURCE_ID_TAG, replace_tag: bool = False) -> None:
    """Rewrite every reference on `conn` (a snapshot whose `tables` these are) in one transaction; each
    renumbered experiment gets the tag `tag` = its old id (kept if it has one already, unless `replace_tag`).
    New ids may overlap old ones (a merge numbers past another store's ids): then the ids go through
    temporary ones first, as SQLite checks a key's uniqueness row by row."""
    if not mapping:
        return
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")  # parents and children change in separate statements
        for step in _steps(mapping):
            _rewrite(conn, step, tables)
        if "experiment_tags" in tables:
            verb = "INSERT OR REPLACE" if replace_tag else "INSERT OR IGNORE"
            conn.executemany(f"{verb} INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)",
                             ((tag, str(o), n) for o, n in mapping.items()))


_PARKED = -(2**40)  # temporary ids (a snapshot only): below any id a store holds


def _steps(mapping: Mapping[int, int]) -> list[Mapping[int, int]]:
    """The mapping, or (new ids overlapping old ones) through temporary ids first."""
    if not set(mapping.values()) & set(mapping):
        return [mapping]
    parked = {o: _PARKED - i for i, o in enumerate(mapping)}
    return [parked, {parked[o]: n for o, n in mapping.items()}]


def _rewrite(conn: sqlite3.Connection, mapping: Mapping[int, int], tables: Mapping[str, Table]) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS mig_expmap (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
    conn.execute("DELETE FROM temp.mig_expmap")
    conn.executemany("INSERT INTO temp.mig_expmap VALUES (?, ?)", mapping.items())
    for table, col in experiment_columns(tables):
        conn.execute(f"UPDATE {q(table)} SET {q(col)} = (SELECT new FROM temp.mig_expmap WHERE old = {q(col)}) "
                     f"WHERE {q(col)} IN (SELECT old FROM temp.mig_expmap)")
    text_map = {str(o): str(n) for o, n in mapping.items()}
    conn.create_function("mig_expid", 1, lambda v: text_map.get(v, v) if isinstance(v, str) else v,
                         deterministic=True)
    if "entity_associations" in tables:
        for side in ("source", "destination"):
            conn.execute(f"UPDATE entity_associations SET {side}_id = mig_expid({side}_id) "
                         f"WHERE lower({side}_type) = 'experiment' AND {side}_id IN "
                         "(SELECT CAST(old AS TEXT) FROM temp.mig_expmap)")
    if "registered_model_tags" in tables:
        conn.create_function("mig_expids", 1, lambda v: _rewrite_id_list(v, text_map), deterministic=True)
        conn.execute("UPDATE registered_model_tags SET value = mig_expids(value) WHERE key = ? "
                     "AND value IS NOT mig_expids(value)", (PROMPT_EXPERIMENTS_TAG,))


def key_columns(tables: Mapping[str, Table], table: str, column: str) -> list[tuple[str, str]]:
    """(table, column) of `table.column` and every column that refers to it through (chains of) foreign keys."""
    found = {(table, column)}
    changed = True
    while changed:
        changed = False
        for t in tables.values():
            for cols, parent, pcols in t.fks:
                for c, pc in zip(cols, pcols):
                    if (parent, pc) in found and (t.name, c) not in found:
                        found.add((t.name, c))
                        changed = True
    return sorted(found)


def apply_key(conn: sqlite3.Connection, tables: Mapping[str, Table], table: str, column: str,
              mapping: Mapping[int, int]) -> None:
    """New values for an integer key numbered by a sequence (and every foreign key to it), on a snapshot."""
    if not mapping:
        return
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for step in _steps(mapping):
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS mig_keymap (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
            conn.execute("DELETE FROM temp.mig_keymap")
            conn.executemany("INSERT INTO temp.mig_keymap VALUES (?, ?)", step.items())
            for t, c in key_columns(tables, table, column):
                conn.execute(f"UPDATE {q(t)} SET {q(c)} = (SELECT new FROM temp.mig_keymap WHERE old = {q(c)}) "
                             f"WHERE {q(c)} IN (SELECT old FROM temp.mig_keymap)")


def _rewrite_id_list(value: Any, text_map: Mapping[str, str]) -> Any:
    if not isinstance(value, str):
        return value
    return ",".join(text_map.get(p.strip(), p) for p in value.split(","))


def mapping_from_tags(rows: list[tuple[str, int]]) -> dict[int, int]:
    """old -> new from (tag value, experiment id) rows of `migrator.renumbered_from` tags."""
    out = {}
    for value, new in rows:
        try:
            out[int(value)] = int(new)
        except (TypeError, ValueError):
            continue
    return out
