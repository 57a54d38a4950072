"""`migrator verify`: two stores of any kinds compared (neither modified), and the check inside sqlite-to-pg."""

from __future__ import annotations

import os
import sqlite3
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import sqlalchemy as sa

from .. import checks as plan
from .. import schema, spawn
from ..artifacts import Rule
from ..errors import MigratorError, SchemaError, UsageError
from ..outcome import NULL_PROGRESS, Progress
from ..stores import PgSide, Side, SideSpec, SqliteSide, Store
from ..transfer import verify_artifacts
from .compare import compare_tables
from .parallel import compare_parallel
from .parity import api_parity, auth_parity
from .report import Check, VerifyReport


def verify_content(sconn: sqlite3.Connection, pgconn: sa.Connection, rules: Sequence[Rule] = (),
                   exclude_rejected: bool = False, progress: Progress = NULL_PROGRESS,
                   kind: str = schema.TRACKING, jobs: int = 1,
                   specs: tuple[SideSpec, SideSpec] | None = None) -> VerifyReport:
    """Counts, content, revision and sequences of one store (`kind`) of a SQLite snapshot against a
    PostgreSQL connection (used by sqlite-to-pg before its commit). `specs`: how worker processes open the
    same two sides (the snapshot file, the staging schema), for a compare on `jobs` processes."""
    src, tgt = SqliteSide(sconn, kind), PgSide(pgconn, kind)
    return VerifyReport(_compare(src, tgt, rules, exclude_rejected, progress, jobs, specs), plan.schema_checks(src, tgt))


PARALLEL_ROWS = 200_000  # below this many rows in all, worker processes cost more than they save


def _compare(src: Side, tgt: Side, rules: Sequence[Rule], exclude_rejected: bool, progress: Progress,
             jobs: int, specs: tuple[SideSpec, SideSpec] | None) -> list:
    if jobs > 1 and specs is not None and not exclude_rejected:
        counts = {t: src.count(t) for t in src.tables}
        if sum(counts.values()) >= PARALLEL_ROWS:
            return compare_parallel(src, tgt, specs[0], specs[1], rules, jobs, progress, counts)
    return compare_tables(src, tgt, rules, exclude_rejected, progress)


def verify(source: Store, target: Store, rules: Sequence[Rule] = (), sample: int = 50,
           progress: Progress = NULL_PROGRESS, jobs: int = 1) -> VerifyReport:
    """Compare two stores of any kinds (SQLite or PostgreSQL, either side). Neither is modified (SQLite
    sides are read from snapshots). Each MLflow store the source holds (tracking, basic-auth) is compared
    with its own tables on the target; a database that holds both never reports the other's as differences."""
    with ExitStack() as stack:
        src = source.open_side(stack)
        tgt = target.open_side(stack)
        kinds = [k for k in src.kinds if k in tgt.kinds] or src.kinds
        if not any(k in tgt.kinds for k in src.kinds):
            what = " and ".join("a basic-auth store" if k == schema.AUTH else "a tracking store" for k in src.kinds)
            raise SchemaError(f"the source holds {what}, the target {target.redacted} none of it; compare a "
                              "tracking store with a tracking store and a basic-auth store with a basic-auth store")
        report = VerifyReport()
        for kind in kinds:
            src.store_kind = tgt.store_kind = kind
            part = (_verify_tracking(stack, source, target, src, tgt, rules, sample, progress, jobs)
                    if kind == schema.TRACKING
                    else _verify_auth(source, target, src, tgt, progress))
            report.tables += part.tables
            report.checks += part.checks
    return report


def _verify_tracking(stack: ExitStack, source: Store, target: Store, src: Side, tgt: Side, rules: Sequence[Rule],
                     sample: int, progress: Progress, jobs: int = 1) -> VerifyReport:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    parity = None
    upgraded = plan.same_revision(src, tgt) + plan.same_experiment_ids(src, tgt)
    if src.revision() != tgt.revision():
        return _across_revisions(src, tgt, upgraded)
    # the MlflowClient check reads what the sides read (a private snapshot: no second copy; renumbered too)
    stores = {"source": src.client_store(source), "target": tgt.client_store(target)}
    private = (src.own_file, tgt.own_file)
    same_rev = src.revision() == tgt.revision()
    if sample > 0:  # the MlflowClient check runs in a second process, side by side with the row compare
        pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                       initializer=spawn.quiet_worker))
        with spawn.hidden_main():  # the worker must not re-run the caller's main script
            parity = pool.submit(api_parity, stores["source"], stores["target"], tuple(rules), sample, same_rev,
                                 *private)
    specs = None
    if jobs > 1:
        a, b = src.spec(stores["source"]), tgt.spec(stores["target"])
        specs = (a, b) if a is not None and b is not None else None
    report = VerifyReport(_compare(src, tgt, rules, False, progress, jobs, specs), upgraded)
    report.checks += plan.schema_checks(src, tgt)
    report.checks.append(parity.result() if parity is not None else
                         api_parity(stores["source"], stores["target"], rules, sample, same_rev, *private))
    return report


def _secret_checks(target: Store, passphrase: str | None, env_name: str | None) -> list[Check]:
    """Gateway secrets of the target read with MLflow's crypto code: a warning for the development passphrase;
    with a passphrase, every secret must decrypt."""
    from ..secrets import decrypt_check, development_passphrase_note

    with target.open_readonly() as db:
        out = []
        note = development_passphrase_note(db)
        if note:
            out.append(Check("gateway secrets passphrase", True, f"warning: {note}"))
        if passphrase is not None and env_name is not None:
            out.append(decrypt_check(db, passphrase, env_name))
    return out


def _across_revisions(src: Side, tgt: Side, upgraded: list[Check]) -> VerifyReport:
    """Two revisions neither of which could be brought to the other on a private copy: no row compare (a
    migration such as 3.17's moves and deletes rows: every difference would be a false alarm, or hide one)."""
    report = VerifyReport([], upgraded)
    report.checks += plan.schema_checks(src, tgt)
    what = "auth " if src.store_kind == schema.AUTH else ""
    report.checks.append(Check(f"{what}rows", False, (
        f"not compared: the sides are at different {what}schema revisions ({src.revision()}, {tgt.revision()}) and "
        "the older one is read in place; bring it to the other's revision first (`migrator upgrade STORE "
        "--rehearse`, then `migrator upgrade STORE`), or verify against a copy")))
    return report


def _verify_auth(source: Store, target: Store, src: Side, tgt: Side, progress: Progress) -> VerifyReport:
    upgraded = plan.same_revision(src, tgt)
    if src.revision() != tgt.revision():
        return _across_revisions(src, tgt, upgraded)
    report = VerifyReport(compare_tables(src, tgt, (), progress=progress), upgraded)
    report.checks += plan.schema_checks(src, tgt)
    report.checks.append(auth_parity(src.client_store(source), tgt.client_store(target)))
    return report


@dataclass
class VerifyRequest:
    """`migrator verify`: two store addresses, the rewrite the target should show, and what else to prove."""

    source: str
    target: str
    rewrite_artifacts: list[str] = field(default_factory=list)
    sample: int = 50
    artifacts: bool = False  # also every artifact the source references, at its (rewritten) place
    artifacts_destination: str | None = None
    deep: bool = False  # artifacts compared by sha256, not only names and sizes
    jobs: int | None = None
    kek_passphrase_env: str | None = None  # prove the target's gateway secrets decrypt with this passphrase
    workspace: str | None = None  # the source was merged into this workspace of the target (sqlite-to-pg --workspace)
    id_map: Path | None = None  # that merge's id map (default ./migrator-workspace-NAME.json)
    auth_db: str | None = None  # with workspace: the source's basic-auth database, merged with it


def run_verify(req: VerifyRequest, progress: Progress = NULL_PROGRESS) -> VerifyReport:
    """`verify` of the two stores, then (with `artifacts`) the artifact check as one more named check."""
    from ..artifacts import parse_user_rules
    from ..stores import parse_store

    rules = parse_user_rules(req.rewrite_artifacts)
    source, target = parse_store(req.source), parse_store(req.target)
    passphrase = None
    if req.kek_passphrase_env:
        passphrase = os.environ.get(req.kek_passphrase_env)
        if not passphrase:
            raise MigratorError(f"--kek-passphrase-env {req.kek_passphrase_env}: that environment variable is not set "
                                "(or empty); export the passphrase the target server will use "
                                "(MLFLOW_CRYPTO_KEK_PASSPHRASE) under that name")
    if req.workspace is not None:
        from ..consolidate import default_map_file
        from .workspace import verify_workspace

        auth = parse_store(req.auth_db) if req.auth_db is not None else None
        report = verify_workspace(source, target, req.workspace, req.id_map or default_map_file(req.workspace),
                                  rules, auth, progress)
    else:
        if req.auth_db is not None or req.id_map is not None:
            raise UsageError("Invalid value for '--auth-db/--id-map': they go with --workspace NAME")
        report = verify(source, target, rules, req.sample, progress=progress, jobs=req.jobs or spawn.default_jobs())
    report.checks += _secret_checks(target, passphrase, req.kek_passphrase_env)
    if req.artifacts:
        report.add_artifacts(verify_artifacts(source, rules, artifacts_destination=req.artifacts_destination,
                                              deep=req.deep))
    return report
