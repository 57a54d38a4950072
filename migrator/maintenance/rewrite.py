"""`migrator rewrite-artifacts`: rewrite stored artifact locations of an existing store, reversibly.

One transaction; before it commits, an undo file (JSON lines, 0600, fsynced) records every change;
`undo()` restores the old values and refuses rows changed since.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import unquote, urlparse

from ..artifacts import ARTIFACT_COLUMNS, ArtifactColumn, Rule, rewrite_uri, rules_from_pairs
from ..backup import create_backup
from ..errors import MigratorError
from ..files import open_private, writable_parent
from ..outcome import Outcome
from ..schema import Table
from ..schema import quote_ident as q
from ..stores import Store, Writer, parse_store

EXAMPLES = 3


@dataclass
class Change:
    table: str
    key: dict[str, Any]
    column: str
    old: str
    new: str

    def line(self) -> str:
        return json.dumps({"table": self.table, "key": self.key, "column": self.column, "old": self.old,
                           "new": self.new}, ensure_ascii=False)


@dataclass
class ColumnResult:
    column: str
    changed: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RewriteResult(Outcome):
    store: str
    dry_run: bool
    columns: dict[str, ColumnResult] = field(default_factory=dict)
    too_long: list[str] = field(default_factory=list)
    missing_on_disk: list[str] = field(default_factory=list)
    undo_file: str | None = None
    backup: str | None = None

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.columns.values())

    def as_dict(self) -> dict[str, Any]:
        return {"store": self.store, "dry_run": self.dry_run, "changed": self.changed,
                "columns": {k: {"changed": v.changed, "examples": v.examples} for k, v in self.columns.items()},
                "too_long": self.too_long, "missing_on_disk": self.missing_on_disk,
                "undo_file": self.undo_file, "backup": self.backup}


def _scope(a: ArtifactColumn, tables: dict[str, Table], experiments: Sequence[str]) -> tuple[str, list[Any]] | None:
    """WHERE fragment limiting a column to the given experiments (None: column out of scope)."""
    if not experiments:
        return "", []
    marks = ", ".join("?" * len(experiments))
    ids = [int(e) for e in experiments]
    cols = {c.name for c in tables[a.table].columns}
    if "experiment_id" in cols:
        return f" AND experiment_id IN ({marks})", ids
    if a.table == "model_versions" and "run_id" in cols:
        return f" AND run_id IN (SELECT run_uuid FROM runs WHERE experiment_id IN ({marks}))", ids
    if a.table == "trace_tags" and "trace_info" in tables:
        return f" AND request_id IN (SELECT request_id FROM trace_info WHERE experiment_id IN ({marks}))", ids
    return None  # e.g. workspaces: not owned by an experiment


def _changes(db: Writer, rules: Sequence[Rule], experiments: Sequence[str]) -> Iterator[tuple[ArtifactColumn, Change]]:
    for a in ARTIFACT_COLUMNS:
        t = db.tables.get(a.table)
        if t is None or a.column not in {c.name for c in t.columns}:
            continue
        scope = _scope(a, db.tables, experiments)
        if scope is None:
            continue
        where, params = scope
        pk = t.pk
        sql = f"SELECT {', '.join(q(k) for k in pk)}, {q(a.column)} FROM {q(a.table)} WHERE {q(a.column)} IS NOT NULL"
        if a.key_column:
            sql += f" AND {q(a.key_column)} IN ({', '.join('?' * len(a.keys))})"
            params = list(a.keys) + params
        for row in db.rows(sql + where + f" ORDER BY {', '.join(q(k) for k in pk)}", params):
            old = row[-1]
            new = rewrite_uri(old, rules)
            if new is not None and new != old:
                yield a, Change(a.table, dict(zip(pk, row[:-1])), a.column, old, new)


def _local_path(uri: str) -> str | None:
    if uri.startswith("file:"):
        return unquote(urlparse(uri).path)
    if "://" not in uri and ":" not in uri.split("/")[0]:
        return uri
    return None


def rewrite_artifacts(store: Store, rules: Sequence[Rule], *, experiments: Sequence[str] = (), dry_run: bool = False,
                      undo_file: Path | None = None, check_exists: bool = False,
                      before_write: Callable[[], str] | None = None,
                      busy_timeout: float = 30.0) -> RewriteResult:
    if not rules:
        raise MigratorError("give at least one --from OLD --to NEW pair")
    if undo_file is not None and not dry_run:
        writable_parent(undo_file, "the undo file")
    db = store.writer(busy_timeout)
    result = RewriteResult(store.redacted, dry_run)
    try:
        limits = {(t.name, c.name): c.max_len for t in db.tables.values() for c in t.columns}
        for a, ch in _changes(db, rules, experiments):
            cr = result.columns.setdefault(a.label, ColumnResult(a.label))
            cr.changed += 1
            if len(cr.examples) < EXAMPLES:
                cr.examples.append((ch.old, ch.new))
            n = limits.get((ch.table, ch.column))
            if n and len(ch.new) > n:
                key = ", ".join(f"{k}={v!r}" for k, v in ch.key.items())
                result.too_long.append(f"{ch.table} ({key}) column {ch.column}: new value of {len(ch.new)} "
                                       f"characters exceeds varchar({n})")
            if check_exists:
                p = _local_path(ch.new)
                if p is not None and not os.path.exists(p):
                    result.missing_on_disk.append(ch.new)
        if result.too_long and db.enforces_lengths:
            raise MigratorError(f"{len(result.too_long)} rewritten value(s) would not fit their column "
                                f"(first: {result.too_long[0]}); nothing was changed")
        if dry_run or not result.changed:
            return result
        if before_write is not None:  # e.g. a backup (the CLI's --backup-dir); its result is reported
            result.backup = before_write()
        undo_path = undo_file or Path(f"migrator-undo-{os.getpid()}.jsonl")
        db.begin()
        try:
            with open_private(undo_path) as f:
                for _a, ch in list(_changes(db, rules, experiments)):
                    f.write(ch.line() + "\n")
                    _apply(db, ch.table, ch.key, ch.column, ch.old, ch.new)
                f.flush()
                os.fsync(f.fileno())
            db.commit()
        except BaseException:
            db.rollback()
            raise
        result.undo_file = str(undo_path)
        return result
    finally:
        db.close()


def _apply(db: Writer, table: str, key: dict[str, Any], column: str, expect: str, value: str) -> bool:
    where = " AND ".join(f"{q(k)} = ?" for k in key)
    n = db.execute(f"UPDATE {q(table)} SET {q(column)} = ? WHERE {where} AND {q(column)} = ?",
                   [value, *key.values(), expect])
    return n == 1


def undo(store: Store, undo_file: Path, busy_timeout: float = 30.0) -> int:
    """Put back every old value of an undo file; refuse (change nothing) if any row changed since."""
    if not undo_file.exists():
        raise MigratorError(f"undo file {undo_file} does not exist")
    try:
        changes = [json.loads(line) for line in undo_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    except ValueError as e:
        raise MigratorError(f"undo file {undo_file} is not valid JSON lines: {e}") from None
    db = store.writer(busy_timeout)
    try:
        db.begin()
        conflicts = []
        for ch in changes:
            if not _apply(db, ch["table"], ch["key"], ch["column"], ch["new"], ch["old"]):
                conflicts.append(f"{ch['table']} {ch['key']} {ch['column']}")
        if conflicts:
            db.rollback()
            raise MigratorError(f"{len(conflicts)} row(s) changed since the rewrite (first: {conflicts[0]}); "
                                "nothing was undone")
        db.commit()
        return len(changes)
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()


@dataclass
class RewriteRequest:
    """`migrator rewrite-artifacts`: rewrite (paired --from/--to prefixes) or undo (an undo file)."""

    store: str
    from_: list[str] = field(default_factory=list)
    to: list[str] = field(default_factory=list)
    experiments: list[str] = field(default_factory=list)
    dry_run: bool = False
    undo_file: Path | None = None
    undo: Path | None = None
    backup_dir: Path | None = None
    check_exists: bool = False
    busy_timeout: float = 30.0

    @property
    def writes(self) -> bool:
        """The run changes the store in place (the caller confirms it first)."""
        return self.undo is None and not self.dry_run

    def check(self) -> tuple[Rule, ...]:
        return () if self.undo is not None else rules_from_pairs(self.from_, self.to)


@dataclass
class Undone(Outcome):
    undo_file: str
    undone: int

    def as_dict(self) -> dict[str, Any]:
        return {"ok": True, "undone": self.undone, "undo_file": self.undo_file}


def run_rewrite(req: RewriteRequest) -> RewriteResult | Undone:
    """The rewrite (a checked backup into `backup_dir` first, when given), or the undo of an earlier one."""
    store = parse_store(req.store)
    if req.undo is not None:
        return Undone(str(req.undo), undo(store, req.undo, req.busy_timeout))
    rules = req.check()
    before_write = None
    if req.backup_dir is not None:
        backup_dir = req.backup_dir

        def before_write() -> str:
            return str(create_backup(store, backup_dir).backup)

    return rewrite_artifacts(store, rules, experiments=req.experiments, dry_run=req.dry_run, undo_file=req.undo_file,
                             check_exists=req.check_exists, before_write=before_write, busy_timeout=req.busy_timeout)
