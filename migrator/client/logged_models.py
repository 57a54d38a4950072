"""Logged models of a client copy (MLflow 3): created with their source run mapped, params, tags, metrics, status."""

from __future__ import annotations

from typing import Any

from ..errors import MigratorError
from ..mlflow_api import batches, create_logged_model, paged
from ..tempdirs import scratch as scratch_dir
from .context import TAG_LOGGED_MODEL, CopyContext, describe, own_tags


class LoggedModelCopier:
    def __init__(self, ctx: CopyContext) -> None:
        self.ctx = ctx

    def copy_experiment(self, old_eid: str, new_eid: str) -> None:
        if not hasattr(self.ctx.src, "search_logged_models"):
            return
        try:
            pages = list(paged(self.ctx.src.search_logged_models, experiment_ids=[old_eid], max_results=100))
        except Exception as ex:  # an older server without logged models
            if "not found" in str(ex).lower() or "404" in str(ex) or "ENDPOINT_NOT_FOUND" in str(ex):
                return
            raise
        models = [m for page in pages for m in page]
        if not models:
            return
        existing = {}
        for page in paged(self.ctx.dst.search_logged_models, experiment_ids=[new_eid], max_results=100):
            for m in page:
                if TAG_LOGGED_MODEL in m.tags:
                    existing[m.tags[TAG_LOGGED_MODEL]] = m.model_id
        for m in sorted(models, key=lambda m: (m.creation_timestamp or 0, m.model_id)):
            self.ctx.count("logged_models", "source")
            if m.model_id in existing:
                self.ctx.map.put("logged_models", m.model_id, existing[m.model_id])
                self.ctx.count("logged_models", "already_there")
                continue
            try:
                self._one(m, new_eid)
            except Exception as ex:
                self.ctx.fail("logged_models", m.model_id, describe(ex))

    def _one(self, m: Any, new_eid: str) -> None:
        from mlflow.entities import Metric

        run = self.ctx.map.get("runs", m.source_run_id) if m.source_run_id else m.source_run_id
        tags = own_tags(m.tags)
        tags[TAG_LOGGED_MODEL] = m.model_id
        created = create_logged_model(self.ctx.dst, new_eid, name=m.name, source_run_id=run, tags=tags,
                                                params=dict(m.params) or None, model_type=m.model_type)
        new = created.model_id
        self.ctx.map.put("logged_models", m.model_id, new)
        if not self.ctx.copy_artifacts and self.ctx.target.is_sql:
            import sqlalchemy as sa

            with self.ctx.engine().begin() as conn:
                conn.execute(sa.text("UPDATE logged_models SET artifact_location = :u WHERE model_id = :id"),
                             {"u": self.ctx.rewrite(m.artifact_location), "id": new})
        elif self.ctx.copy_artifacts and self.ctx.src.list_logged_model_artifacts(m.model_id):
            from mlflow.artifacts import download_artifacts

            with scratch_dir("art") as tmp:
                self.ctx.dst.log_model_artifacts(new, download_artifacts(artifact_uri=m.artifact_location, dst_path=str(tmp),
                                                                     tracking_uri=self.ctx.source.uri))
        by_run: dict[str, list[Any]] = {}  # logged through the run each metric came from
        for x in m.metrics or []:
            run_new = self.ctx.map.get("runs", x.run_id) if x.run_id else None
            if run_new is None:
                raise MigratorError(f"metric {x.key!r} was logged from run {x.run_id}, which was not copied")
            by_run.setdefault(run_new, []).append(Metric(x.key, x.value, x.timestamp, x.step, model_id=new,
                                                         dataset_name=x.dataset_name,
                                                         dataset_digest=x.dataset_digest, run_id=run_new))
        for run_new, ms in by_run.items():
            for _, bm, _ in batches([], ms, []):
                self.ctx.dst.log_batch(run_new, metrics=bm)
        status = str(m.status)
        if status.upper().endswith("READY") or status.upper().endswith("FAILED"):
            self.ctx.dst.finalize_logged_model(new, "READY" if status.upper().endswith("READY") else "FAILED")
        self.ctx.count("logged_models", "copied")
