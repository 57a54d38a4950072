"""`migrator inspect`: what a store holds, read without modifying it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from . import schema
from .artifacts import ARTIFACT_COLUMNS
from .coordination import live_rows_note
from .schema import quote_ident as q
from .secrets import development_passphrase_note
from .stores import Database, Store

_NUMERIC_SEGMENT = re.compile(r"^\d+$")


def artifact_prefix(uri: str) -> str:
    """The root of an artifact URI: everything before the experiment-id segment
    ('mlflow-artifacts:/1/abc/artifacts' -> 'mlflow-artifacts:/'; '/data/mlruns/3/x' -> '/data/mlruns/')."""
    m = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*:(?://[^/]*)?)(.*)$", uri)
    head, rest = (m.group(1), m.group(2)) if m else ("", uri)
    parts = rest.split("/")
    for i, seg in enumerate(parts):
        if _NUMERIC_SEGMENT.match(seg):
            return head + "/".join(parts[:i]) + "/"
    return head + (rest.rsplit("/", 1)[0] + "/" if "/" in rest else rest)


@dataclass
class InspectReport:
    store: str
    kind: str
    revision: str | None
    releases: str
    compared_to_installed: str
    installed_mlflow: str
    installed_head: str
    tables: dict[str, int] = field(default_factory=dict)
    artifact_prefixes: dict[str, dict[str, int]] = field(default_factory=dict)
    size_bytes: int = 0
    notes: list[str] = field(default_factory=list)  # what a move to PostgreSQL will need
    # every MLflow store the database holds: {"tracking"|"auth": {revision, releases, compared_to_installed,
    # installed_head, tables}}; the top-level revision fields are the tracking store's (the auth store's when
    # the database holds only that one)
    stores: dict[str, dict[str, Any]] = field(default_factory=dict)
    # MLflow 3.10+ workspaces: name -> rows per workspace-scoped table (tables with a `workspace` column)
    workspaces: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _prefixes(values: list[Any]) -> dict[str, int]:
    c = Counter(artifact_prefix(v) for v in values if isinstance(v, str) and v)
    return dict(sorted(c.items()))


def inspect_store(store: Store) -> InspectReport:
    """What a store holds (tracking and/or basic-auth), read without modifying it."""
    notes: list[str] = []
    with store.open_readonly() as db:
        store.require_mlflow(db)
        revs, tables, size = db.revisions(), db.counts(), db.size_bytes()
        prefixes = _artifact_prefixes(db)
        big = db.out_of_range_experiment_ids()
        weak = development_passphrase_note(db)
        leases = live_rows_note(db)
        spaces = workspaces(db)
    notes += [n for n in (weak, leases) if n]
    if big:
        notes.append(f"{len(big)} experiment id(s) do not fit PostgreSQL's integer (made by MLflow's file "
                     "store): `migrator sqlite-to-pg --renumber-experiments` gives them new ids")
    stores: dict[str, dict[str, Any]] = {k: {"revision": r, "releases": schema.releases_for(r, k),
                  "compared_to_installed": schema.compare_to_installed(r, k), "installed_head": schema.installed_head(k),
                  "tables": {t: n for t, n in tables.items() if t in schema.own_tables(dict.fromkeys(tables), k)}}
              for k, r in revs.items()}
    if schema.AUTH in stores:
        notes.append("this is a basic-auth store (users, roles, permissions of `mlflow server --app-name basic-auth`)"
                     + (" beside the tracking store" if schema.TRACKING in stores else "")
                     + ": `migrator sqlite-to-pg` copies it with MLflow's auth migrations")
    main = stores.get(schema.TRACKING) or stores[schema.AUTH]
    return InspectReport(
        store=store.redacted, kind=store.kind, revision=main["revision"], releases=main["releases"],
        compared_to_installed=main["compared_to_installed"], installed_mlflow=schema.installed_mlflow_version(),
        installed_head=main["installed_head"], tables=tables, artifact_prefixes=prefixes, size_bytes=size,
        notes=notes, stores=stores, workspaces=spaces)


def workspaces(db: Database) -> dict[str, dict[str, int]]:
    """Every workspace (the `workspaces` table, and any name a scoped row carries) with its rows in each table
    that has a `workspace` column, read from the schema (a release that scopes a new table needs no change)."""
    tables = db.tables()
    if "workspaces" not in tables:
        return {}
    out: dict[str, dict[str, int]] = {str(n): {} for (n,) in db.query("SELECT name FROM workspaces ORDER BY name")}
    for t in sorted(tables):
        if t != "workspaces" and "workspace" in {c.name for c in tables[t].columns}:
            for name, n in db.query(f"SELECT workspace, count(*) FROM {q(t)} GROUP BY workspace"):
                out.setdefault(str(name), {})[t] = int(n)
    return out


def _artifact_prefixes(db: Database) -> dict[str, dict[str, int]]:
    tables = db.tables()
    prefixes = {}
    for a in ARTIFACT_COLUMNS:
        if a.table not in tables or a.column not in {c.name for c in tables[a.table].columns}:
            continue
        sql, args = f"SELECT {q(a.column)} FROM {q(a.table)}", tuple[str, ...]()
        if a.key_column:
            sql += f" WHERE {q(a.key_column)} IN ({', '.join('?' * len(a.keys))})"
            args = a.keys
        prefixes[a.label] = _prefixes([r[0] for r in db.query(sql, args)])
    return prefixes
