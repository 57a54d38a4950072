"""Human-readable output of each command's result (stdout); `--json` output is the result's as_dict()."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Union

import typer

from .. import schema

if TYPE_CHECKING:
    from ..backup import Backup, BackupResult, PlannedSchedule, RestoreResult
    from ..bulk import CopyResult, CutoverResult, Moved, MoveResult, ServerCopyResult
    from ..client import ClientCopyResult
    from ..embedded import EmbeddedStatus
    from ..inspection import InspectReport
    from ..maintenance import Plan, RewriteResult, Undone, UpgradeResult
    from ..stores import PostgresStore
    from ..transfer import ArtifactResult
    from ..verification import VerifyReport

    Embedded = Union[PostgresStore, None]


def lines(texts: list[str]) -> None:
    for t in texts:
        typer.echo(t)


def prune_result(removed: list[str], kept: list[str], objects: int, dry_run: bool, as_json: bool) -> None:
    if as_json:
        _json({"dry_run": dry_run, "removed": removed, "kept": kept, "removed_objects": objects})
        return
    for n in removed:
        typer.echo(f"{'would remove' if dry_run else 'removed'} {n}")
    if objects:
        typer.echo(f"removed {objects:,} artifact object(s) no kept backup references")
    typer.echo(f"kept {len(kept)} backup(s)")


def embedded_started(folder: str, store: PostgresStore, info: dict[str, object], line: str, database: str,
                     as_json: bool) -> None:
    if as_json:
        from ..serving import server_line

        artifacts = "./mlartifacts" if info.get("uses_mlflow_artifacts") else None
        _json({"ok": True, "url": store.url, "database": database, "mlflow_server": line, "store": info,
               "server": server_line(store, artifacts_destination=artifacts).as_dict()})
        return
    typer.echo(f"embedded PostgreSQL running in {folder}")
    typer.echo(f"url:                 {store.url}")
    typer.echo(f"start MLflow on it:  {line}")


def embedded_status(st: EmbeddedStatus, folder: str, as_json: bool) -> None:
    if as_json:
        _json(st.as_dict())
        return
    if not st.running:
        typer.echo(f"embedded PostgreSQL in {st.folder}: stopped (start it with `migrator embedded start {folder}`)")
        return
    typer.echo(f"embedded PostgreSQL in {st.folder}: running (pid {st.pid}) at {st.url}")
    for db, info in st.stores.items():
        what = (f"MLflow tracking store, revision {info['tracking_revision']}, {info['experiments']} experiments, "
                f"{info['runs']} runs" if info.get("tracking_revision") else f"{info['tables']} tables, no MLflow store")
        typer.echo(f"  {db}: {what}")


def embedded_stopped(folder: str, stopped: bool, as_json: bool) -> None:
    if as_json:
        _json({"ok": True, "stopped": stopped})
        return
    typer.echo(f"stopped the embedded PostgreSQL in {folder}" if stopped
               else f"the embedded PostgreSQL in {folder} was not running")


def inspect_report(report: InspectReport, as_json: bool = False) -> None:
    if as_json:
        _json(report.as_dict())
        return
    typer.echo(f"store:     {report.store} ({report.kind}, {report.size_bytes:,} bytes)")
    for kind, st in report.stores.items():
        label = "tracking store" if kind == "tracking" else "basic-auth store"
        typer.echo(f"{label}: revision {st['revision']} ({st['releases']}); installed MLflow "
                   f"{report.installed_mlflow} has head {st['installed_head']}: the store is "
                   f"{st['compared_to_installed']}"
                   + ("" if st["compared_to_installed"] == "equal" else " than the installed MLflow"))
    typer.echo(f"revision:  {report.revision} ({report.releases})")
    typer.echo(f"installed: MLflow {report.installed_mlflow} (head {report.installed_head}); "
               f"the store is {report.compared_to_installed}"
               + ("" if report.compared_to_installed == "equal" else " than the installed MLflow"))
    typer.echo("tables with rows:")
    for t, n in report.tables.items():
        if n:
            typer.echo(f"  {t:<40} {n:>12,}")
    empty = [t for t, n in report.tables.items() if not n]
    typer.echo(f"  ({len(empty)} empty tables)")
    typer.echo("artifact locations:")
    for col, prefixes in report.artifact_prefixes.items():
        for p, n in prefixes.items():
            typer.echo(f"  {col:<55} {p}  ({n})")
    if report.workspaces:
        typer.echo("workspaces:")
        for name, counts in report.workspaces.items():
            rows = ", ".join(f"{t} {n:,}" for t, n in counts.items() if n) or "empty"
            typer.echo(f"  {name}: {rows}")
    for note in report.notes:
        typer.echo(f"note: {note}")


def _server_line(embedded: PostgresStore) -> str:
    from ..embedded import describe_database, mlflow_server_line

    return mlflow_server_line(embedded.url, bool(describe_database(embedded).get("uses_mlflow_artifacts")))


def embedded_json(embedded: PostgresStore) -> dict[str, str]:
    return {"url": embedded.url, "mlflow_server": _server_line(embedded)}


def embedded_lines(embedded: PostgresStore) -> None:
    typer.echo(f"embedded PostgreSQL: {embedded.url}")
    typer.echo(f"start MLflow on it:  {_server_line(embedded)}")
    typer.echo("stop it / start it again (e.g. after a reboot): migrator embedded stop | migrator embedded start")


def cutover(res: CutoverResult, as_json: bool) -> None:
    """sqlite-to-pg --cutover: the rows caught up, the outage, and how to start the new server."""
    if as_json:
        _json(res.as_dict())
        return
    for note in res.notes:
        typer.echo(f"note: {note}")
    for k in res.stores:
        full = [t.table for t in k.tables if t.compared == "full"]
        typer.echo(f"{k.kind}: {k.changed_pages:,} page(s) of the source changed since phase one; "
                   f"{k.unchanged_tables} table(s) unchanged, {len(k.tables)} compared"
                   + (f" ({len(full)} whole: {', '.join(full)})" if full else ""))
        for t in k.tables:
            if t.upserted or t.deleted:
                typer.echo(f"  {t.table:<28} {t.upserted:>9,} new or changed  {t.deleted:>9,} gone")
    if res.catch_up:
        typer.echo(f"caught up in {res.phases.get('catch-up', 0.0):.1f} s with a new snapshot of the running source; "
                   "do NOT start the new server yet: stop the old one, then run --cutover")
        return
    if not res.already_done:
        typer.echo(f"cutover complete in {res.outage_seconds:.2f} s; the target now holds every change of the "
                   "stopped source (`migrator verify SOURCE TARGET` compares them row by row)")
    if res.server is not None:
        typer.echo(f"start the new server with:  {res.server.shell()}")
        for note in res.server.notes:
            typer.echo(f"note: {note}")


def move(moved: Moved, as_json: bool) -> None:
    """sqlite-to-pg (the SQL path): the copy, and the embedded server it went into."""
    if as_json:
        d = moved.as_dict()
        if moved.embedded is not None:
            d["embedded"] = embedded_json(moved.embedded)
        _json(d)
    else:
        server_copy(moved.result, moved.embedded if moved.server is None else None)
        if moved.embedded is not None:
            typer.echo(f"embedded PostgreSQL: {moved.embedded.url} (stop it / start it again, e.g. after a reboot: "
                       "migrator embedded stop | migrator embedded start)")
        if moved.online_state is not None:
            typer.echo("online move, phase one complete: the target holds the snapshot, verified. Do NOT start the "
                       "new server yet; when the old server has stopped, run the same command with --cutover "
                       f"instead of --online (state: {moved.online_state})")
        elif moved.server is not None:
            typer.echo(f"start the new server with:  {moved.server.shell()}")
        if moved.server is not None:
            for note in moved.server.notes:
                typer.echo(f"note: {note}")


def server_copy(result: ServerCopyResult | MoveResult, embedded: Embedded) -> None:
    """The tracking copy and/or the basic-auth copy of one move (and the artifacts moved before it)."""
    a = getattr(result, "artifacts", None)  # a MoveResult: the artifacts moved first
    if a is not None:
        verb = "would copy" if a.dry_run else "copied"
        typer.echo(f"artifacts: {a.files:,} file(s), {a.bytes:,} bytes under {a.locations} location(s): {verb} "
                   f"{a.copied:,}, already there {a.skipped:,}" + (f" (manifest {a.manifest})" if a.manifest else ""))
        v = getattr(result, "artifacts_verify", None)
        if v is not None:
            typer.echo(f"artifacts at the new place: {'OK' if v.ok else 'MISMATCH'} ({v.files:,} file(s) checked)")
    items = list(result.results.items())
    for i, (kind, r) in enumerate(items):
        if len(items) > 1:
            typer.echo(f"== {'basic-auth store' if kind == 'auth' else 'tracking store'}")
        bulk_copy(r, embedded if i == len(items) - 1 else None)


def bulk_copy(result: CopyResult, embedded: Embedded) -> None:
    if result.already_complete:
        typer.echo(f"the target {result.target} already holds a complete copy of {result.source} (compared row by "
                   "row: " + result.verify.summary() + "); nothing was written")
        return
    verb = "would copy" if result.dry_run else "copied"
    if result.upgraded:
        typer.echo(f"source schema upgraded on the snapshot: {schema.describe_revision(result.upgraded_from, result.kind)} "
                   f"-> {result.source_revision}")
    total = sum(t.rows for t in result.tables)
    typer.echo(f"{verb} {total:,} rows from {result.source} to {result.target}" if result.target else
               f"{verb} {total:,} rows from {result.source} (preflight only: no target given)")
    for t in result.tables:
        if t.rows or t.rejected:
            extra = f"  ({t.rejected} rejected)" if t.rejected else ""
            typer.echo(f"  {t.table:<40} {t.rows:>12,}{extra}")
    for col, n in result.rewrites.items():
        typer.echo(f"  rewrite {col}: {n} value(s)")
    if result.renumbered:
        typer.echo(f"{len(result.renumbered)} experiment id(s) do not fit PostgreSQL's integer and "
                   f"{'would be' if result.dry_run else 'were'} renumbered (old id kept in the tag migrator.renumbered_from):")
        for old, new in result.renumbered.items():
            typer.echo(f"  experiment {old} -> {new}")
    if result.problems and result.dry_run:
        typer.echo(f"preflight: {len(result.problems)} problem(s):")
        for p in result.problems:
            typer.echo(f"  {p}")
    elif not result.problems:
        typer.echo("preflight: no problems")
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in result.phases.items())
    jobs = getattr(result, "jobs", 1)
    typer.echo(f"time: {phases}" + (f" ({jobs} PostgreSQL connections, staging schema)" if jobs > 1 else ""))
    if getattr(result, "builds", None):
        slowest = ", ".join(f"{k} {v:.1f}s" for k, v in list(result.builds.items())[:3])
        typer.echo(f"slowest builds: {slowest}")
    if getattr(result, "read_in_place", False):
        typer.echo("source: read in place under its shared lock (stopped, at the installed schema: no snapshot)")
    if getattr(result, "temp_bytes", 0):
        typer.echo(f"temporary disk: {result.temp_bytes / 1e6:,.1f} MB in {result.temp_dir} (freed)")
    if result.verify is not None:
        typer.echo(f"verify: {'OK' if result.verify.ok else 'MISMATCH'} ({result.verify.summary()})")
    for note in result.notes:
        typer.echo(f"note: {note}")
    if embedded is not None:
        embedded_lines(embedded)


def client_result(result: ClientCopyResult, embedded: Embedded, as_json: bool) -> None:
    if as_json:
        d = result.as_dict()
        if embedded is not None:
            d["embedded"] = embedded_json(embedded)
        _json(d)
    else:
        client_copy(result, embedded)


def client_copy(result: ClientCopyResult, embedded: Embedded) -> None:
    if result.server is not None and embedded is None:
        typer.echo(f"start a server on it:  {result.server.shell()}")
    typer.echo(f"copied through MlflowClient: {result.source} -> {result.target} in {result.seconds:.1f}s")
    typer.echo(f"  {'':<20} {'source':>9} {'copied':>9} {'already':>9} {'failed':>7}")
    for kind, c in result.counts.items():
        typer.echo(f"  {kind:<20} {c['source']:>9,} {c['copied'] + c.get('resumed', 0):>9,} "
                   f"{c['already_there']:>9,} {c['failed']:>7,}")
    for note in result.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"id map: {result.id_map}")
    if embedded is not None:
        embedded_lines(embedded)


def verify_report(report: VerifyReport, as_json: bool = False, verbose: bool = False) -> None:
    """Terse by default: what differs, the checks that failed, one summary line; `verbose`: every table and
    every check."""
    if as_json:
        _json(report.as_dict())
        return
    tables = report.tables if verbose else [t for t in report.tables if t.status != "ok"]
    if tables:
        typer.echo(f"{'table':<40} {'source':>12} {'target':>12}  status")
    for t in tables:
        s = "-" if t.source_rows is None else f"{t.source_rows:,}"
        g = "-" if t.target_rows is None else f"{t.target_rows:,}"
        typer.echo(f"{t.table:<40} {s:>12} {g:>12}  {t.status}")
        for d in t.differences:
            typer.echo(f"    {json.dumps(d, default=str, ensure_ascii=False)}")
    for c in report.checks if verbose else [c for c in report.checks if not c.ok]:
        typer.echo(f"[{'ok' if c.ok else 'FAIL'}] {c.name}: {c.detail}")
    rows = sum(t.source_rows or 0 for t in report.tables)
    counted = f"{len(report.tables)} tables, {rows:,} rows, {len(report.checks)} checks"
    typer.echo(f"verify: OK ({counted}; --verbose lists them)" if report.ok else
               f"verify: MISMATCH ({report.summary()}; {counted})")


def rewrite_result(res: RewriteResult | Undone, dry_run: bool, as_json: bool = False) -> None:
    if as_json:
        _json(res.as_dict())
        return
    if hasattr(res, "undone"):
        typer.echo(f"restored {res.undone} value(s) from {res.undo_file}")
        return
    verb = "would change" if dry_run else "changed"
    typer.echo(f"{verb} {res.changed} value(s) in {res.store}")
    for col, c in res.columns.items():
        typer.echo(f"  {col}: {c.changed}")
        for old, new in c.examples:
            typer.echo(f"      {old}  ->  {new}")
    for t in res.too_long:
        typer.echo(f"  warning (SQLite does not enforce it; PostgreSQL would refuse): {t}", err=True)
    for m in res.missing_on_disk:
        typer.echo(f"  missing on disk: {m}")
    if res.backup:
        typer.echo(f"backup: {res.backup}")
    if res.undo_file:
        typer.echo(f"undo with: migrator rewrite-artifacts {res.store} --undo {res.undo_file}")


def restore_result(res: RestoreResult, check: bool, as_json: bool = False) -> None:
    if as_json:
        _json(res.as_dict())
        return
    if res.server is not None:
        typer.echo(f"start a server on it:  {res.server.shell()}")
    typer.echo(f"{'drill' if check else 'restored'} {res.backup} -> {res.target}: revision {res.revision}, "
               f"{sum(res.tables.values()):,} rows in {len(res.tables)} tables")
    if res.kept_aside:
        typer.echo(f"  the previous file was kept aside as {res.kept_aside}")
    for m in res.mismatches:
        typer.echo(f"  MISMATCH {m}")
    if res.auth is not None:
        typer.echo(f"  basic-auth database -> {res.auth.target}: revision {res.auth.revision}, "
                   f"{sum(res.auth.tables.values()):,} rows in {len(res.auth.tables)} tables")
        for m in res.auth.mismatches:
            typer.echo(f"  MISMATCH (auth) {m}")
    if getattr(res, "artifacts", None) is not None:
        typer.echo(f"  {res.artifacts:,} artifact file(s) restored, each sha256 checked")
    for note in res.notes:
        typer.echo(f"note: {note}")


def artifacts_result(res: ArtifactResult, as_json: bool, verb: str) -> None:
    if as_json:
        _json(res.as_dict())
        return
    typer.echo(f"{verb}: {res.locations} location(s) in {res.roots} root(s), {res.files:,} file(s), {res.bytes:,} bytes; "
               f"copied {res.copied:,} ({res.copied_bytes:,} bytes), already there {res.skipped:,}, "
               f"locations without artifacts {res.empty:,} ({res.seconds:.1f}s)")
    if res.manifest:
        typer.echo(f"manifest: {res.manifest}")
    for col in res.unknown_columns:
        typer.echo(f"warning: {col} looks like an artifact location this migrator does not know; its files are not "
                   "part of this run (check for a newer migrator)", err=True)


def backup_list(items: list[Backup], as_json: bool) -> None:
    if as_json:
        _json([{**b.manifest.data, "backup": b.where} for b in items])
        return
    for b in items:
        db = b.manifest.database
        typer.echo(f"{b.path.name}  {b.manifest.created_utc}  {db.kind:<10} {db.size or 0:>14,} bytes  "
                   f"rev {db.schema_revision}")


def backup_result(res: BackupResult, as_json: bool) -> None:
    if as_json:
        _json(res.as_dict())
        return
    m = res.manifest
    db = m.database
    typer.echo(f"backup {res.backup} ({db.size or 0:,} bytes, sha256 {(db.sha256 or '')[:16]}..., revision "
               f"{db.schema_revision})")
    if m.artifacts_index:
        typer.echo(f"  artifacts: {m.artifacts_files:,} file(s), {m.artifacts_bytes:,} bytes; "
                   f"{m.artifacts_new_files:,} new ({m.artifacts_new_bytes:,} bytes written)")
    for name in res.pruned:
        typer.echo(f"  pruned {name}")
    if res.pruned_objects:
        typer.echo(f"  pruned {res.pruned_objects:,} artifact object(s) no kept backup references")


def _json(obj: object) -> None:
    from .boundary import emit_json

    emit_json(obj)


def schedule_plan(plan: PlannedSchedule) -> None:
    for fname, content in plan.schedule.files.items():
        typer.echo(f"# --- {fname}")
        typer.echo(content)
    for note in plan.schedule.notes:
        typer.echo(f"# note: {note}")


def upgrade_plan(plan: Plan, as_json: bool) -> None:
    """The plan, always first: on stderr beside --json (stdout then holds only the result)."""
    out = typer.echo
    err = as_json
    out(f"installed MLflow {plan.mlflow_version}", err=err)
    for c in plan.chains:
        chain = "basic-auth" if c.kind == schema.AUTH else "tracking"
        now = schema.describe_revision(c.current, c.kind)
        if not c.steps:
            out(f"{c.store.redacted} ({chain}): at {now}, the installed head; nothing to do", err=err)
            continue
        out(f"{c.store.redacted} ({chain}): {now} -> {c.head}, {len(c.steps)} migrations", err=err)
        for s in c.steps:
            what = [w for w, on in (("rewrites rows", s.rewrites), ("DELETES rows", s.deletes)) if on]
            rows = ", ".join(f"{t} {c.rows.get(t, 0):,}" for t in s.tables) if s.changes_data else ""
            gone = c.deletes.get(s.revision)
            exact = (f"; deletes {sum(gone.values()):,} rows (" + ", ".join(f"{t} {n:,}" for t, n in gone.items())
                     + ")") if gone is not None else ""
            out(f"  {s.revision}  {s.description}  (MLflow {s.release})"
                + (f"  [{' and '.join(what)}; rows in the tables it names: {rows or 'none'}{exact}]" if what else ""),
                err=err)


def upgrade_result(res: UpgradeResult, as_json: bool) -> None:
    if as_json:
        _json(res.as_dict())
        return
    if not res.plan.steps:
        typer.echo("already at the installed head: nothing was changed")
        return
    for c in res.checks:
        typer.echo(f"  {'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}")
    if res.backup:
        typer.echo(f"backup (checked by a restore drill): {res.backup}")
    if res.ok:
        verb = "rehearsed on a copy" if res.rehearsal else "upgraded"
        typer.echo(f"{verb}: {res.plan.steps} migrations in {res.seconds:,.1f} s (the outage to plan for; "
                   f"{res.total_seconds:,.1f} s in all), {res.disk_bytes / 1e6:,.1f} MB of disk"
                   + ("; the store was not touched" if res.rehearsal else ""))
