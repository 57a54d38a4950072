"""Copy an MLflow store object by object through MlflowClient: any tracking URI to any tracking URI.

For what bulk SQL cannot serve (an HTTP server, a ./mlruns file store, different MLflow versions on
the two sides, merging into a target that holds data). New ids are issued by the target; the
old -> new ids are kept in a JSON id map and as a `migrator.source_*` tag on every copied object, so a
rerun after a crash (or on the same pair) copies only what is missing and never duplicates.

Order of work (each step only needs what the previous ones created):
1. experiments (created active; a deleted one is deleted again at the end);
2. per experiment: run shells (create_run with run name, user and start time), then logged models
   (their source run is mapped by then), then run contents through log_batch in the largest batches
   MLflow accepts, inputs and outputs, status and end time, on a bounded pool of workers;
3. registered models, their versions in version order (gaps kept), stages and aliases; prompts, their
   versions (template, commit message, response format, model config, tags) and aliases;
4. parent links that pointed at runs copied later, then run and experiment deletions.

The sections: `endpoints`, `idmap`, `context` (shared state), `runs`, `logged_models`, `registry`, `workers`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from pathlib import Path
from typing import Any, Sequence

from ..artifacts import Rule
from ..errors import MigratorError
from ..files import writable_parent
from ..locks import file_lock
from ..mlflow_api import global_tracking_uri, is_not_found, paged, search_all
from ..outcome import NULL_PROGRESS, Progress
from ..serving import server_line
from ..stores import KINDS, parse_store
from .context import (
    PARENT_TAG,
    TAG_EXPERIMENT,
    TAG_SOURCE,
    ClientCopyResult,
    CopyContext,
    describe,
    own_tags,
)
from .endpoints import open_source, open_target
from .idmap import IdMap, default_id_map_path
from .logged_models import LoggedModelCopier
from .registry import RegistryCopier
from .runs import RunCopier
from .workers import Dispatcher


class ClientCopier:
    """The order of work; each section (runs, logged models, registry) shares one CopyContext."""

    def __init__(self, ctx: CopyContext, workers: int = 4) -> None:
        self.ctx = ctx
        self.runs = RunCopier(ctx)
        self.models = LoggedModelCopier(ctx)
        self.registry = RegistryCopier(ctx)
        self.dispatch = Dispatcher(ctx, self.runs, workers)

    def run(self) -> None:
        from mlflow.entities import ViewType

        ctx = self.ctx
        experiments = search_all(ctx.src.search_experiments, view_type=ViewType.ALL, max_results=1000)
        experiments.sort(key=lambda e: (0, int(e.experiment_id)) if e.experiment_id.isdigit()
                         else (1, e.experiment_id))
        ctx.progress.phase(f"experiments ({len(experiments)})")
        pairs = []
        for e in experiments:
            ctx.count("experiments", "source")
            new = self._experiment(e)
            if new is not None:
                pairs.append((e, new))
        ctx.map.save()
        try:
            for e, (new_eid, existed) in pairs:
                self._experiment_contents(e, new_eid, existed)
                ctx.map.save()
        finally:
            self.dispatch.close()
        self.registry.registered_models()
        self.registry.prompts()
        ctx.map.save()
        self._finish()
        ctx.map.save()

    def _experiment(self, e: Any) -> tuple[str, bool] | None:
        """-> (target experiment id, existed before this run) or None when it cannot be copied."""
        from mlflow.entities import LifecycleStage

        old = e.experiment_id
        known = self.ctx.map.get("experiments", old)
        existing = None
        if known is not None:
            try:
                existing = self.ctx.dst.get_experiment(known)
            except Exception as ex:
                if not is_not_found(ex):
                    raise
                self.ctx.map.drop("experiments", old)
        if existing is None:
            existing = self.ctx.dst.get_experiment_by_name(e.name)
            if existing is not None:
                ours = (existing.tags.get(TAG_EXPERIMENT) == old and existing.tags.get(TAG_SOURCE) == self.ctx.source.label)
                default = e.name == "Default" and old == "0"
                if not (ours or default or self.ctx.merge):
                    self.ctx.fail("experiments", old, f"an experiment named {e.name!r} already exists in the target "
                                                  f"(id {existing.experiment_id}); pass --merge to copy into it")
                    return None
        if existing is not None:
            new = existing.experiment_id
            self.ctx.map.put("experiments", old, new)
            if existing.lifecycle_stage == LifecycleStage.DELETED:
                self.ctx.dst.restore_experiment(new)
                if e.lifecycle_stage != LifecycleStage.DELETED:
                    self.ctx.notes.append(f"experiment {e.name!r} was deleted in the target and is active in the "
                                      "source; it was restored")
            for k, v in own_tags(e.tags).items():
                if existing.tags.get(k) != v:
                    self.ctx.dst.set_experiment_tag(new, k, v)
            self.ctx.count("experiments", "already_there")
            if e.lifecycle_stage == LifecycleStage.DELETED:
                self.ctx.experiments_to_delete.append(new)
            return new, True
        tags = own_tags(e.tags)
        tags.update({TAG_EXPERIMENT: old, TAG_SOURCE: self.ctx.source.label})
        # a workspace server gives its experiments their workspace's root (and refuses another)
        location = None if self.ctx.copy_artifacts or self.ctx.workspace else self.ctx.rewrite(e.artifact_location)
        try:
            new = self.ctx.dst.create_experiment(e.name, artifact_location=location, tags=tags)
        except Exception as ex:
            self.ctx.fail("experiments", old, describe(ex))
            return None
        self.ctx.map.put("experiments", old, new)
        self.ctx.count("experiments", "copied")
        if e.lifecycle_stage == LifecycleStage.DELETED:
            self.ctx.experiments_to_delete.append(new)
        return new, False

    def _experiment_contents(self, e: Any, new_eid: str, existed: bool) -> None:
        from mlflow.entities import ViewType

        if existed:
            self.runs.recover(new_eid)
        n = 0
        # 1. run shells, page by page, in start-time order
        for page in paged(self.ctx.src.search_runs, experiment_ids=[e.experiment_id], run_view_type=ViewType.ALL,
                           max_results=1000, order_by=["attributes.start_time ASC"]):
            todo = []
            for r in page:
                n += 1
                self.ctx.count("runs", "source")
                if self.ctx.map.get("runs", r.info.run_id) is None:
                    todo.append(r)
            self.dispatch("shell", todo, new_eid)
            self.runs.set_locations([r for r in todo if self.ctx.map.get("runs", r.info.run_id)])
            self.ctx.map.save(every=5)
        # 2. logged models (they name their source run, mapped by now)
        self.models.copy_experiment(e.experiment_id, new_eid)
        # 3. run contents
        task = f"runs of {e.name}"[:40]
        self.ctx.progress.start(task, n, unit="runs")
        for page in paged(self.ctx.src.search_runs, experiment_ids=[e.experiment_id], run_view_type=ViewType.ALL,
                           max_results=1000, order_by=["attributes.start_time ASC"]):
            self.dispatch("contents", page, new_eid, lambda k: self.ctx.progress.advance(task, k))
            self.ctx.map.save(every=5)
        self.ctx.progress.done(task)

    def _finish(self) -> None:
        ctx = self.ctx
        linked = set()
        for child, parent_old in dict.fromkeys(ctx.deferred_parents):
            parent_new = ctx.map.get("runs", parent_old)
            if parent_new is None:
                ctx.fail("runs", child, f"its parent run {parent_old} was not copied; the parent link is missing")
                continue
            ctx.dst.set_tag(child, PARENT_TAG, parent_new)
            linked.add(child)
        for run in ctx.runs_to_delete:
            ctx.dst.delete_run(run)
        done = set(ctx.runs_to_delete) | (ctx.awaiting_parent & linked)
        for old, new in list(ctx.map.data["runs"].items()):
            if new in done:
                ctx.map.complete(old)
        for exp in self.ctx.experiments_to_delete:
            self.ctx.dst.delete_experiment(exp)
        if not self.ctx.target.is_sql and not self.ctx.copy_artifacts:
            self.ctx.notes.append("the target is not a database: its runs point at new, empty artifact locations; "
                              "use --copy-artifacts to copy the artifacts there")


def copy_store(source: str, target: str, *, rules: Sequence[Rule] = (), merge: bool = False,
               copy_artifacts: bool = False, workers: int = 4, id_map_path: Path | None = None,
               progress: Progress = NULL_PROGRESS, workspace: str | None = None) -> ClientCopyResult:
    """Copy everything MlflowClient can read from `source` into `target` (see the module docstring);
    `workspace`: into that workspace of a tracking server with workspaces (client/workspace.py)."""
    started = time.monotonic()
    if workspace is not None:
        from ..consolidate import check_name

        check_name(workspace)
    if id_map_path is not None:
        writable_parent(id_map_path, "the id map")
    tgt = open_target(target)
    if workspace is not None:
        if tgt.kind != "http":
            raise MigratorError(f"copy --workspace writes through a tracking server (http:// or https://), got "
                                f"{tgt.label}; for a database use `migrator move SOURCE TARGET --workspace "
                                f"{workspace}`")
        tgt = dataclasses.replace(tgt, label=f"{tgt.label}#workspace={workspace}")
    with contextlib.ExitStack() as stack:
        src = stack.enter_context(open_source(source))
        if src.label == tgt.label:
            raise MigratorError("source and target are the same store")
        path = id_map_path or default_id_map_path(src, tgt)
        # two copies with one id map would both create what is missing: the second one exits 4
        stack.enter_context(file_lock(path.with_name(path.name + ".lock"), f"is copying with the id map {path}"))
        idmap = IdMap(path, src.label, tgt.label)
        result = ClientCopyResult(src.label, tgt.label, str(path))
        s_client, d_client = CopyContext.clients(src, tgt, workspace)
        if workspace is not None:
            from .endpoints import serves_workspaces
            from .workspace import ensure_workspace

            serves_workspaces(tgt.uri, workspace)
            if ensure_workspace(d_client, workspace, tgt.label) and progress:
                progress.info(f"created workspace {workspace!r} on {tgt.label.split('#')[0]}")

        ctx = CopyContext(src, tgt, s_client, d_client, rules=rules, merge=merge, copy_artifacts=copy_artifacts,
                          id_map=idmap, progress=progress)
        ctx.workspace = workspace
        stack.callback(ctx.close)
        stack.callback(idmap.save)
        # MLflow's registry resolves models:/ sources through the global tracking URI: point it at the target
        with global_tracking_uri(tgt.uri):
            ClientCopier(ctx, workers).run()
        result.counts = ctx.counts
        result.failures = ctx.failures
        result.notes = ctx.notes
    result.seconds = time.monotonic() - started
    if result.ok and tgt.kind in KINDS:  # a database migrator reads itself: the line that serves it
        result.server = server_line(parse_store(tgt.uri))
    return result
