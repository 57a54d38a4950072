"""Everything MlflowClient returns about a store, as plain comparable data (tests only)."""

from __future__ import annotations

from typing import Any, Callable

from mlflow import MlflowClient
from mlflow.entities import ViewType


def _f(v: Any) -> Any:
    return repr(float(v)) if isinstance(v, float) else v


def client_view(uri: str, rewrite: Callable[[Any], Any] = lambda u: u) -> dict[str, Any]:
    c = MlflowClient(tracking_uri=uri, registry_uri=uri)
    exps = c.search_experiments(view_type=ViewType.ALL)
    out: dict[str, Any] = {"experiments": {}, "runs": {}, "models": {}, "logged_models": {}, "traces": {}}
    for e in exps:
        out["experiments"][e.experiment_id] = (e.name, rewrite(e.artifact_location), e.lifecycle_stage,
                                               sorted(e.tags.items()), e.creation_time, e.last_update_time)
    ids = [e.experiment_id for e in exps]
    for r in c.search_runs(ids, run_view_type=ViewType.ALL, max_results=5000):
        i = r.info
        hist = {k: sorted((m.step, m.timestamp, _f(m.value)) for m in c.get_metric_history(i.run_id, k))
                for k in r.data.metrics}
        inputs = sorted((d.dataset.name, d.dataset.digest, d.dataset.source, d.dataset.schema, d.dataset.profile,
                         sorted((t.key, t.value) for t in d.tags)) for d in (r.inputs.dataset_inputs if r.inputs else []))
        out["runs"][i.run_id] = dict(
            info=(i.experiment_id, i.run_name, i.user_id, i.status, i.start_time, i.end_time, i.lifecycle_stage,
                  rewrite(i.artifact_uri)),
            params=sorted(r.data.params.items()), tags=sorted(r.data.tags.items()),
            metrics=sorted((k, _f(v)) for k, v in r.data.metrics.items()), history=hist, inputs=inputs)
    for m in c.search_registered_models():
        versions = sorted(
            (v.version, rewrite(v.source), v.run_id, v.status, v.current_stage, v.description,
             sorted(v.tags.items()), sorted(v.aliases), v.creation_timestamp, v.last_updated_timestamp)
            for v in c.search_model_versions(f"name='{m.name}'"))
        out["models"][m.name] = (m.description, sorted(m.tags.items()), sorted(m.aliases.items()),
                                 m.creation_timestamp, versions)
    for lm in c.search_logged_models(experiment_ids=ids):
        out["logged_models"][lm.model_id] = (lm.name, lm.experiment_id, lm.status, rewrite(lm.artifact_location),
                                             sorted(lm.tags.items()), sorted(lm.params.items()), lm.source_run_id,
                                             lm.creation_timestamp)
    for t in c.search_traces(locations=ids):
        info = t.info
        out["traces"][info.trace_id] = (
            info.state, info.request_time, info.execution_duration,
            sorted((k, rewrite(v) if k == "mlflow.artifactLocation" else v) for k, v in info.tags.items()),
            sorted(info.trace_metadata.items()), [(s.name, s.span_id, s.parent_id) for s in t.data.spans])
    return out
