"""Runs of a client copy: shells (create_run with every tag), then contents (log_batch in the largest batches,
inputs and outputs, status, end time), resumable after a crash."""

from __future__ import annotations

from typing import Any

from ..errors import MigratorError
from ..mlflow_api import batches, paged, set_run_status
from ..tempdirs import scratch as scratch_dir
from .context import PARENT_TAG, TAG_RUN, USER_TAG, CopyContext, describe, own_tags


def metric_key(m: Any) -> tuple[Any, ...]:
    v = float(m.value)
    return (m.key, int(m.timestamp), int(m.step), "nan" if v != v else repr(v))


class RunCopier:
    def __init__(self, ctx: CopyContext) -> None:
        self.ctx = ctx

    def recover(self, new_eid: str) -> None:
        """Runs a crashed earlier copy created: found by their migrator.source_run_id tag."""
        from mlflow.entities import ViewType

        for page in paged(self.ctx.dst.search_runs, experiment_ids=[new_eid], run_view_type=ViewType.ALL,
                           max_results=1000):
            for r in page:
                old = r.data.tags.get(TAG_RUN)
                if old is None:
                    continue
                if self.ctx.map.get("runs", old) != r.info.run_id:  # a stale entry: its completion does not count
                    self.ctx.map.drop("runs", old)
                    self.ctx.map.put("runs", old, r.info.run_id)
                if not self.ctx.map.is_complete(old):
                    self.ctx.resumed_runs.add(old)

    def wanted_tags(self, r: Any) -> tuple[dict[str, str], str | None]:
        """The run's tags as the target must hold them (parent remapped), and an unmapped parent id."""
        tags: dict[str, str] = {}
        unmapped = None
        for k, v in own_tags(r.data.tags).items():
            if k == PARENT_TAG:
                mapped = self.ctx.map.get("runs", v)
                if mapped is None:
                    unmapped = v
                    continue
                v = mapped
            tags[k] = v
        return tags, unmapped

    def shell(self, r: Any, new_eid: str) -> None:
        """create_run with every tag at once (cheaper than a later log_batch of tags)."""
        info = r.info
        try:
            tags, unmapped_parent = self.wanted_tags(r)
            user = info.user_id or tags.get(USER_TAG) or "unknown"
            source_user_tag = tags.get(USER_TAG)
            tags.update({TAG_RUN: info.run_id, USER_TAG: user})  # create_run takes the user from this tag
            run = self.ctx.dst.create_run(new_eid, start_time=info.start_time, tags=tags,
                                      run_name=info.run_name or None)
            new = run.info.run_id
            if source_user_tag is None:
                self.ctx.dst.delete_tag(new, USER_TAG)
            elif source_user_tag != user:
                self.ctx.dst.set_tag(new, USER_TAG, source_user_tag)
        except Exception as ex:
            self.ctx.fail("runs", info.run_id, describe(ex))
            return
        self.ctx.map.put("runs", info.run_id, new)
        if unmapped_parent is not None:
            self.ctx.defer_parent(new, unmapped_parent)

    def set_locations(self, runs: list[Any]) -> None:
        """Artifacts stay where they are: a database target's runs point at the source's (rewritten) URIs."""
        if self.ctx.copy_artifacts or not self.ctx.target.is_sql or not runs:
            return
        import sqlalchemy as sa

        rows = [{"u": self.ctx.rewrite(r.info.artifact_uri), "id": self.ctx.map.get("runs", r.info.run_id)} for r in runs]
        with self.ctx.engine().begin() as conn:
            conn.execute(sa.text("UPDATE runs SET artifact_uri = :u WHERE run_uuid = :id"), rows)

    def contents(self, r: Any) -> None:
        from mlflow.entities import LifecycleStage, Param, RunTag

        old = r.info.run_id
        new = self.ctx.map.get("runs", old)
        if new is None:
            return  # its shell failed (already listed)
        if self.ctx.map.is_complete(old):
            self.ctx.count("runs", "already_there")
            return
        resumed = old in self.ctx.resumed_runs
        try:
            current = self.ctx.dst.get_run(new) if resumed else None
            if current is not None and current.info.lifecycle_stage == LifecycleStage.DELETED:
                self.ctx.map.complete(old)  # deleted last: everything before it was done
                self.ctx.count("runs", "already_there")
                return
            params = [Param(k, v) for k, v in r.data.params.items()]
            tags = []
            if current is not None:  # tags went in with create_run; a resumed run may lack the late ones
                wanted, _ = self.wanted_tags(r)
                tags = [RunTag(k, v) for k, v in wanted.items() if current.data.tags.get(k) != v]
            parent_pending = self._parent_link(r, new, current, tags)
            metrics = []
            for key in r.data.metrics:
                history = self.ctx.src.get_metric_history(old, key)
                if resumed:
                    have = {metric_key(m) for m in self.ctx.dst.get_metric_history(new, key)}
                    history = [m for m in history if metric_key(m) not in have]
                metrics.extend(history)
            for bp, bm, bt in batches(params, metrics, tags):
                self.ctx.dst.log_batch(new, metrics=bm, params=bp, tags=bt)
            self._inputs_outputs(r, new, current)
            if self.ctx.copy_artifacts:
                self._copy_artifacts(old, new)
            if r.info.status != "RUNNING" or r.info.end_time is not None:
                set_run_status(self.ctx.dst, new, r.info.status, r.info.end_time)
            if r.info.lifecycle_stage == LifecycleStage.DELETED:
                self.ctx.delete_later(new)
        except Exception as ex:
            self.ctx.fail("runs", old, describe(ex))
            return
        if parent_pending:  # complete once _finish has set the parent link (a kill before that: redone)
            self.ctx.awaiting_parent.add(new)
        elif r.info.lifecycle_stage != LifecycleStage.DELETED:
            self.ctx.map.complete(old)
        self.ctx.count("runs", "resumed" if resumed else "copied")

    def _parent_link(self, r: Any, new: str, current: Any, tags: list[Any]) -> bool:
        """The parent link goes in with the contents whenever the parent is mapped (so a run killed after its
        shell still gets it); True when the parent is not copied yet and the link is left to _finish."""
        from mlflow.entities import RunTag

        parent_old = r.data.tags.get(PARENT_TAG)
        if parent_old is None:
            return False
        parent_new = self.ctx.map.get("runs", parent_old)
        if parent_new is None:
            self.ctx.defer_parent(new, parent_old)
            return True
        have = current.data.tags.get(PARENT_TAG) if current is not None else None
        if have != parent_new and not any(t.key == PARENT_TAG for t in tags):
            tags.append(RunTag(PARENT_TAG, parent_new))
        return False

    def _inputs_outputs(self, r: Any, new: str, current: Any) -> None:
        from mlflow.entities import DatasetInput, LoggedModelInput, LoggedModelOutput

        have_ds: set[tuple[str, str]] = set()
        have_in: set[str] = set()
        have_out: set[tuple[str, int]] = set()
        if current is not None:
            if current.inputs:
                have_ds = {(d.dataset.name, d.dataset.digest) for d in current.inputs.dataset_inputs}
                have_in = {m.model_id for m in (getattr(current.inputs, "model_inputs", None) or [])}
            outs = getattr(current, "outputs", None)
            if outs:
                have_out = {(m.model_id, m.step) for m in (outs.model_outputs or [])}
        datasets = [DatasetInput(d.dataset, d.tags) for d in (r.inputs.dataset_inputs if r.inputs else [])
                    if (d.dataset.name, d.dataset.digest) not in have_ds]
        models = []
        for m in (getattr(r.inputs, "model_inputs", None) or []) if r.inputs else []:
            mapped = self.ctx.map.get("logged_models", m.model_id)
            if mapped is None:
                raise MigratorError(f"its input logged model {m.model_id} was not copied")
            if mapped not in have_in:
                models.append(LoggedModelInput(mapped))
        if datasets or models:
            for i in range(0, max(len(datasets), len(models)), 1000):
                part_d, part_m = datasets[i:i + 1000] or None, models[i:i + 1000] or None
                _retry_on_duplicate(lambda d=part_d, m=part_m: self.ctx.dst.log_inputs(new, datasets=d, models=m))
        outs = getattr(r, "outputs", None)
        outputs = []
        for m in (outs.model_outputs if outs else None) or []:
            mapped = self.ctx.map.get("logged_models", m.model_id)
            if mapped is None:
                raise MigratorError(f"its output logged model {m.model_id} was not copied")
            if (mapped, m.step) not in have_out:
                outputs.append(LoggedModelOutput(mapped, m.step))
        if outputs:
            self.ctx.dst.log_outputs(new, outputs)

    def _copy_artifacts(self, old: str, new: str) -> None:
        if not self.ctx.src.list_artifacts(old):
            return
        with scratch_dir("art") as tmp:
            self.ctx.dst.log_artifacts(new, self.ctx.src.download_artifacts(old, "", str(tmp)))


def _retry_on_duplicate(fn: Any, attempts: int = 4) -> Any:
    """Two workers logging the same dataset at once: MLflow inserts it twice and one insert fails on the
    unique key; the retry finds the row the other worker made."""
    import time

    for i in range(attempts):
        try:
            return fn()
        except Exception as e:
            text = f"{type(e).__name__} {e}".lower()
            if i == attempts - 1 or not any(w in text for w in ("unique", "duplicate", "integrity")):
                raise
            time.sleep(0.1 * (i + 1))
