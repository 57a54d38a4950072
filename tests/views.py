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


def _clean(tags: dict[str, str]) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in tags.items() if not k.startswith("migrator."))


def portable_view(uri: str, id_map: dict[str, Any] | None = None, rewrite: Callable[[Any], Any] = lambda u: u,
                  locations: bool = True) -> dict[str, Any]:
    """What a copy through MlflowClient must preserve, keyed by *source* ids.

    `id_map` (the copy's JSON id map) turns the target's ids back into the source's; left out, the
    store is the source itself. Creation times of experiments and models are left out (the client
    cannot set them); `locations=False` also leaves out run artifact URIs.
    """
    back: dict[str, dict[str, str]] = {k: {} for k in ("experiments", "runs", "logged_models")}
    if id_map is not None:
        for kind in back:
            back[kind] = {new: old for old, new in id_map[kind].items()}
    exp_id = (lambda i: back["experiments"].get(i, i)) if id_map else (lambda i: i)
    run_id = (lambda i: back["runs"].get(i, i) if i else i) if id_map else (lambda i: i)
    model_id = (lambda i: back["logged_models"].get(i, i) if i else i) if id_map else (lambda i: i)

    def source(s: str | None) -> str | None:
        if s and s.startswith("runs:/"):
            rid, _, rest = s[len("runs:/"):].partition("/")
            return f"runs:/{run_id(rid)}/{rest}"
        if s and s.startswith("models:/m-"):
            mid, _, rest = s[len("models:/"):].partition("/")
            return f"models:/{model_id(mid)}" + (f"/{rest}" if rest else "")
        return rewrite(s)

    c = MlflowClient(tracking_uri=uri, registry_uri=uri)
    exps = c.search_experiments(view_type=ViewType.ALL)
    out: dict[str, Any] = {"experiments": {}, "runs": {}, "models": {}, "logged_models": {}}
    for e in exps:
        out["experiments"][exp_id(e.experiment_id)] = (
            e.name, rewrite(e.artifact_location) if locations and e.experiment_id != "0" else None,
            e.lifecycle_stage, _clean(e.tags))
    ids = [e.experiment_id for e in exps]
    for r in c.search_runs(ids, run_view_type=ViewType.ALL, max_results=50000):
        i = r.info
        tags = {k: (run_id(v) if k == "mlflow.parentRunId" else v) for k, v in r.data.tags.items()}
        hist = {k: sorted((m.step, m.timestamp, _f(m.value)) for m in c.get_metric_history(i.run_id, k))
                for k in r.data.metrics}
        inputs = sorted((d.dataset.name, d.dataset.digest, d.dataset.source_type, d.dataset.source, d.dataset.schema,
                         d.dataset.profile, sorted((t.key, t.value) for t in d.tags))
                        for d in (r.inputs.dataset_inputs if r.inputs else []))
        model_inputs = sorted(model_id(m.model_id) for m in (getattr(r.inputs, "model_inputs", None) or []))
        outs = getattr(r, "outputs", None)
        model_outputs = sorted((model_id(m.model_id), m.step) for m in ((outs.model_outputs if outs else None) or []))
        out["runs"][run_id(i.run_id)] = dict(
            info=(exp_id(i.experiment_id), i.run_name, i.user_id, i.status, i.start_time, i.end_time,
                  i.lifecycle_stage, rewrite(i.artifact_uri) if locations else None),
            params=sorted(r.data.params.items()), tags=_clean(tags),
            metrics=sorted((k, _f(v)) for k, v in r.data.metrics.items()), history=hist, inputs=inputs,
            model_inputs=model_inputs, model_outputs=model_outputs)
    by_model: dict[str, list[Any]] = {}
    for v in c.search_model_versions(max_results=100_000):  # no filter: names may hold any quote
        by_model.setdefault(v.name, []).append(v)
    for m in c.search_registered_models():
        versions = sorted(
            (int(v.version), source(v.source), run_id(v.run_id), v.status, v.current_stage, v.description,
             _clean(v.tags))  # versions' aliases: SQL search leaves them out; the model's aliases are kept
            for v in by_model.get(m.name, []))
        out["models"][m.name] = (m.description, _clean(m.tags), sorted((a, str(n)) for a, n in m.aliases.items()),
                                 versions)
    for lm in c.search_logged_models(experiment_ids=ids):
        metrics = sorted((x.key, _f(x.value), x.step, x.timestamp, run_id(x.run_id), x.dataset_name, x.dataset_digest)
                         for x in (lm.metrics or []))
        out["logged_models"][model_id(lm.model_id)] = (
            lm.name, exp_id(lm.experiment_id), str(lm.status), rewrite(lm.artifact_location) if locations else None,
            _clean(lm.tags), sorted(lm.params.items()), run_id(lm.source_run_id), lm.model_type, metrics)
    return out
