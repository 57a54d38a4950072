"""Artifact-location rewriting: one pure rule engine, and the columns that hold artifact URIs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from .errors import UsageError


@dataclass(frozen=True)
class Rule:
    old: str
    new: str
    segment: bool = False  # OLD matches whole path segments only: `x:/5` matches `x:/5` and `x:/5/...`, not `x:/50`

    def matches(self, uri: str) -> bool:
        if not uri.startswith(self.old):
            return False
        return not self.segment or len(uri) == len(self.old) or uri[len(self.old)] == "/" or self.old.endswith("/")


@dataclass(frozen=True)
class ArtifactColumn:
    """A column holding artifact URIs; for key/value tables, only rows whose `key_column` is in `keys`."""

    table: str
    column: str
    key_column: str | None = None
    keys: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.key_column:
            return f"{self.table}.{self.column}[{'|'.join(self.keys)}]"
        return f"{self.table}.{self.column}"


# MLFLOW_FACTS.md, "Where artifact locations live"
ARTIFACT_COLUMNS: tuple[ArtifactColumn, ...] = (
    ArtifactColumn("experiments", "artifact_location"),
    ArtifactColumn("runs", "artifact_uri"),
    ArtifactColumn("logged_models", "artifact_location"),
    ArtifactColumn("model_versions", "storage_location"),
    ArtifactColumn("model_versions", "source"),
    ArtifactColumn("trace_tags", "value", "key", ("mlflow.artifactLocation", "mlflow.trace.archiveLocation")),
    ArtifactColumn("workspaces", "default_artifact_root"),
    ArtifactColumn("workspaces", "trace_archival_location"),
)


# columns whose names look like artifact locations but are not (checked against MLflow's code)
NOT_ARTIFACT_COLUMNS = {
    ("evaluation_dataset_records", "source"): "a JSON description of where a record came from",
    ("mcp_server_versions", "source"): "where an MCP server is published (a registry or package reference)",
}
_URI_LIKE = re.compile(r"(artifact|storage_location|_location$|_uri$|_root$|^source$)")


def unknown_uri_columns() -> list[str]:
    """Columns of the installed MLflow's models named like artifact locations that migrator neither copies as
    one (ARTIFACT_COLUMNS) nor knows to be something else: a newer MLflow's new location column is named
    here instead of being skipped in silence."""
    import mlflow.store.model_registry.dbmodels.models  # noqa: F401  (registers the registry's tables)
    import mlflow.store.tracking.dbmodels.models  # noqa: F401
    from mlflow.store.db.base_sql_model import Base

    known = {(a.table, a.column) for a in ARTIFACT_COLUMNS} | set(NOT_ARTIFACT_COLUMNS)
    return sorted(f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns
                  if _URI_LIKE.search(c.name) and (t.name, c.name) not in known)


def parse_rule(text: str) -> Rule:
    """'OLD=NEW' -> Rule (split at the first '=')."""
    if "=" not in text:
        raise UsageError(f"artifact rewrite rule {text!r} must look like OLD=NEW (e.g. mlflow-artifacts:/=s3://bucket/)")
    old, new = text.split("=", 1)
    if not old:
        raise UsageError(f"artifact rewrite rule {text!r} has an empty OLD prefix")
    return Rule(old, new)


def parse_user_rules(texts: Iterable[str]) -> tuple[Rule, ...]:
    """parse_rules for rules a user typed: an empty NEW (which would turn locations into relative paths,
    e.g. `mlflow-artifacts:/=`) is refused as a mistake."""
    rules = parse_rules(texts)
    for r in rules:
        if not r.new.strip():
            raise UsageError(f"artifact rewrite rule {r.old + '='!r} has an empty NEW prefix (it would turn "
                             f"locations into relative paths); give the new root, e.g. {r.old}=s3://bucket/mlartifacts/")
    # OLD names a folder (it ends in '/'): so does NEW, written with or without its '/' (`--to DIR` must never
    # put experiment 1 at DIR1/ beside DIR)
    return parse_rules(f"{r.old}={r.new if not r.old.endswith('/') or r.new.endswith('/') else r.new + '/'}"
                       for r in rules)


def parse_rules(texts: Iterable[str]) -> tuple[Rule, ...]:
    rules = tuple(parse_rule(t) for t in texts)
    seen: dict[str, str] = {}
    for r in rules:
        if r.old in seen and seen[r.old] != r.new:
            raise UsageError(f"two artifact rewrite rules for the same prefix {r.old!r}")
        seen[r.old] = r.new
    # longest prefix first, so the most specific rule wins
    return tuple(sorted(set(rules), key=lambda r: (-len(r.old), r.old)))


def rewrite_uri(uri: str | None, rules: Sequence[Rule]) -> str | None:
    """Rewrite `uri` by the longest matching OLD prefix; unmatched URIs (and None) are returned as they are."""
    if uri is None or not rules:
        return uri
    best: Rule | None = None
    for r in rules:
        if r.matches(uri) and (best is None or len(r.old) > len(best.old)):
            best = r
    if best is None:
        return uri
    return best.new + uri[len(best.old):]


def columns_for(table: str, columns: Iterable[str]) -> list[ArtifactColumn]:
    present = set(columns)
    return [a for a in ARTIFACT_COLUMNS if a.table == table and a.column in present
            and (a.key_column is None or a.key_column in present)]


def rules_from_pairs(from_: Sequence[str], to: Sequence[str]) -> tuple[Rule, ...]:
    """--from OLD --to NEW given in pairs (repeatable) as rules; a usage error otherwise."""
    if len(from_) != len(to) or not from_:
        raise UsageError("Invalid value for '--from/--to': give --from OLD --to NEW in pairs")
    return parse_user_rules([f"{o}={n}" for o, n in zip(from_, to)])
