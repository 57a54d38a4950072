"""The artifact locations a store references (run roots, logged models, model-version storage, trace
artifacts, experiment roots), who owns each, and where the rewrite rules send it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

from ..artifacts import ARTIFACT_COLUMNS, Rule, rewrite_uri
from ..schema import quote_ident as q
from ..stores import Store

# what is copied: the columns whose values are artifact roots (a model version's `source` is a pointer:
# runs:/, models:/ or a path inside a run root; workspaces' defaults are roots of whole stores)
COPIED = {"experiments.artifact_location", "runs.artifact_uri", "logged_models.artifact_location",
          "model_versions.storage_location", "trace_tags.value"}
POINTERS = ("runs:/", "models:/")


@dataclass(frozen=True)
class Location:
    owner: str  # e.g. "run 3f2a...", "logged model m-..", "model version iris/2"
    uri: str
    new: str
    expected: bool  # the store says something was written there (a model, a version, a run that logged one)


def _owner(table: str, key: Sequence[Any]) -> str:
    names = {"experiments": "experiment", "runs": "run", "logged_models": "logged model",
             "model_versions": "model version", "trace_tags": "trace"}
    return f"{names.get(table, table)} {'/'.join(str(k) for k in key)}"


def _rows(store: Store) -> tuple[list[tuple[str, tuple, str]], set[str]]:
    """(table, key, uri) of every artifact column, and the runs the store says logged a model."""
    out: list[tuple[str, tuple, str]] = []

    def collect(tables: dict[str, Any], query: Any) -> set[str]:
        for a in ARTIFACT_COLUMNS:
            t = tables.get(a.table)
            if a.label.split("[")[0] not in COPIED or t is None or a.column not in {c.name for c in t.columns}:
                continue
            key = [k for k in t.pk if k != a.key_column] or t.pk
            if a.key_column:
                key = ["request_id"] if "request_id" in {c.name for c in t.columns} else key
            sql = f"SELECT {', '.join(q(k) for k in key)}, {q(a.column)} FROM {q(a.table)}"
            if a.key_column:
                sql += f" WHERE {q(a.key_column)} IN ({', '.join(repr(k) for k in a.keys)})"
            for *k, uri in query(sql):
                if isinstance(uri, str) and uri and not uri.startswith(POINTERS):
                    out.append((a.table, tuple(k), uri))
        logged: set[str] = set()  # owners (run ids, logged-model ids) the store says hold artifacts
        if "model_versions" in tables:
            cols = {c.name for c in tables["model_versions"].columns}
            for run_id, source, model_id in query(
                    "SELECT run_id, source, " + ("model_id" if "model_id" in cols else "NULL") + " FROM model_versions"):
                if run_id and isinstance(source, str) and not source.startswith("models:/"):
                    logged.add(run_id)  # a version registered from a path inside its run
                if model_id:
                    logged.add(model_id)
                if isinstance(source, str) and source.startswith("models:/m-"):
                    logged.add(source[len("models:/"):].split("/", 1)[0])
        if "tags" in tables:  # MLflow 2 logged models into the run's own folder
            for run_id, value in query("SELECT run_uuid, value FROM tags WHERE key = 'mlflow.log-model.history'"):
                try:
                    history = json.loads(value or "[]")
                except ValueError:
                    continue
                if any(isinstance(h, dict) and not h.get("model_id") for h in history):
                    logged.add(run_id)
        return logged

    with store.open_readonly() as db:
        store.require_tracking(db)
        logged = collect(db.tables(), db.query)
    return out, logged


def store_locations(store: Store, rules: Sequence[Rule]) -> list[Location]:
    """Every location the store references, with its new place; sorted, unique."""
    rows, logged = _rows(store)
    seen: dict[str, Location] = {}
    for table, key, uri in rows:
        expected = table == "model_versions" or (table in ("runs", "logged_models") and str(key[0]) in logged)
        loc = Location(_owner(table, key), uri, rewrite_uri(uri, rules) or uri, expected)
        if uri not in seen or (expected and not seen[uri].expected):
            seen[uri] = loc
    return sorted(seen.values(), key=lambda loc: loc.uri)


def roots(locations: Sequence[Location]) -> list[Location]:
    """The locations not inside another one (an experiment root holds its runs: copied once)."""
    out: list[Location] = []
    for loc in sorted(locations, key=lambda x: (len(x.uri.rstrip("/")), x.uri)):
        base = loc.uri.rstrip("/")
        inside = False
        for r in out:
            rb = r.uri.rstrip("/")
            if base == rb or base.startswith(rb + "/"):
                # inside r, and the rules send it where r's copy puts it: nothing of its own to copy
                inside = loc.new.rstrip("/") == r.new.rstrip("/") + base[len(rb):]
                if inside:
                    break
        if not inside:
            out.append(loc)
    return sorted(out, key=lambda x: x.uri)
