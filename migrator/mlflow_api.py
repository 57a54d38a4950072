"""Every call into MLflow's paginated searches and private APIs, in one place.

MLflow's public client pages its searches and leaves a few things out (setting a run's status and end
time as stored, creating a logged model with a given source run, a metric history of bounded length);
when a release changes one of these, this is the module to mend.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, Iterator

from .tempdirs import scratch as scratch_dir


def paged(fn: Any, **kwargs: Any) -> Iterator[list[Any]]:
    """Pages of a paginated MlflowClient search, as lists."""
    token = None
    while True:
        page = fn(page_token=token, **kwargs)
        yield list(page)
        token = getattr(page, "token", None)
        if not token:
            return


def search_all(fn: Any, **kwargs: Any) -> list[Any]:
    return [x for page in paged(fn, **kwargs) for x in page]


def model_versions(client: Any, name: str) -> list[Any]:
    """Every version of one registered model, whatever quotes its name holds (MLflow's filter
    language has no escape for a quote inside a string of the same quote)."""
    if "'" not in name:
        flt = f"name='{name}'"
    elif '"' not in name:
        flt = f'name="{name}"'
    else:
        pattern = "".join("_" if ch in "'\"%_" else ch for ch in name)
        flt = f"name LIKE '{pattern}'"
    return [v for v in search_all(client.search_model_versions, filter_string=flt, max_results=10000)
            if v.name == name]


def all_run_ids(client: Any) -> list[str]:
    """Every run id of every experiment (deleted ones included), sorted."""
    from mlflow.entities import ViewType

    exp_ids = [e.experiment_id for e in search_all(client.search_experiments, view_type=ViewType.ALL,
                                                   max_results=1000)]
    ids: list[str] = []
    for chunk in range(0, len(exp_ids), 100):  # a page of runs at a time (a Run holds its params, tags, metrics)
        for page in paged(client.search_runs, experiment_ids=exp_ids[chunk:chunk + 100],
                          run_view_type=ViewType.ALL, max_results=1000):
            ids += [r.info.run_id for r in page]
            del page
    return sorted(ids)


def metric_history(client: Any, run_id: str, key: str, limit: int) -> list[Any]:
    """The first `limit` points of a metric history in MLflow's own order (the store API takes a limit)."""
    store = getattr(getattr(client, "_tracking_client", None), "store", None)
    if store is not None and hasattr(store, "get_metric_history"):
        return list(store.get_metric_history(run_id, key, max_results=limit))
    return list(client.get_metric_history(run_id, key))[:limit]


def set_run_status(client: Any, run_id: str, status: str, end_time: int | None) -> None:
    """Status and end time exactly as the source holds them (set_terminated would stamp 'now')."""
    from mlflow.entities import RunStatus

    client._tracking_client.store.update_run_info(run_id, RunStatus.from_string(status), end_time, None)


def create_logged_model(client: Any, experiment_id: str, **kwargs: Any) -> Any:
    """MlflowClient's logged-model creation that takes the source run id."""
    return client._create_logged_model(experiment_id, **kwargs)


def batches(params: list[Any], metrics: list[Any], tags: list[Any]) -> Iterator[tuple[list, list, list]]:
    """Largest batches log_batch accepts: <= 100 params, <= 100 tags, <= 1000 entities in all."""
    from mlflow.utils.validation import MAX_ENTITIES_PER_BATCH, MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH

    p = t = m = 0
    while p < len(params) or t < len(tags) or m < len(metrics):
        bp = params[p:p + MAX_PARAMS_TAGS_PER_BATCH]
        bt = tags[t:t + MAX_PARAMS_TAGS_PER_BATCH]
        room = min(MAX_METRICS_PER_BATCH, MAX_ENTITIES_PER_BATCH - len(bp) - len(bt))
        bm = metrics[m:m + room]
        p, t, m = p + len(bp), t + len(bt), m + len(bm)
        yield bp, bm, bt


@contextlib.contextmanager
def global_tracking_uri(uri: str) -> Iterator[None]:
    """MLflow's registry resolves models:/ sources through the global tracking URI: point it at `uri`."""
    import mlflow

    previous = os.environ.get("MLFLOW_TRACKING_URI")
    mlflow.set_tracking_uri(uri)
    try:
        yield
    finally:
        mlflow.set_tracking_uri(previous)  # type: ignore[arg-type]  # None restores the default


def is_not_found(e: BaseException) -> bool:
    return getattr(e, "error_code", "") == "RESOURCE_DOES_NOT_EXIST" or "not found" in str(e).lower() \
        or "does not exist" in str(e).lower()


def download_file(repo: Any, rel: str, local_path: str) -> None:
    """One file of an artifact repository to `local_path`, in one request: `_download_file` is what every
    repository implements and `download_artifacts` calls after asking whether `rel` is a folder (a second
    request, and a thread pool per call). Repositories without it get the public call."""
    fn = getattr(repo, "_download_file", None)
    if fn is None:
        import shutil

        with scratch_dir("dl") as d:
            shutil.move(repo.download_artifacts(rel, dst_path=str(d)), local_path)
        return
    fn(rel, local_path)


# mlflow.server.auth._LEGACY_DEFAULT_ADMIN_PASSWORD: what basic_auth.ini shipped before MLflow 3.17, which
# 3.17+ refuses at an admin's login (GHSA-gq3w-7jj3-x7gr); importing that module builds the whole Flask app
LEGACY_ADMIN_PASSWORD = "password1234"


def admins_with_legacy_password(url: str) -> list[str]:
    """Admin users of a basic-auth store (at the installed head) whose password is still MLflow's old default,
    checked with MLflow's own store (its password hashing); no password is ever printed."""
    from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore

    store = SqlAlchemyStore()
    store.init_db(url)
    try:
        return sorted(u.username for u, _roles in store.list_users_with_roles()
                      if u.is_admin and store.authenticate_user(u.username, LEGACY_ADMIN_PASSWORD))
    finally:
        store.engine.dispose()
