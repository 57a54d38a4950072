"""API parity: MlflowClient on both stores returns the same runs, models, versions and aliases."""

from __future__ import annotations

import os
from contextlib import ExitStack
from typing import Any, Sequence

from ..artifacts import Rule, rewrite_uri
from ..checks import Check
from ..mlflow_api import all_run_ids, metric_history, model_versions, paged
from ..stores import Store
from ..stores.sqlite_db import sample_of

HISTORY_POINTS = 200  # per metric key of a sampled run; the content check covers every row
HISTORY_KEYS = 5  # metric keys per sampled run whose history is read (each read is one MLflow query)


def _history(client: Any, run_id: str, key: str) -> list[tuple]:
    """The first HISTORY_POINTS points of a metric history, in MLflow's own order, via MLflow's store."""
    points = metric_history(client, run_id, key, HISTORY_POINTS)
    return [(m.step, m.timestamp, _f(m.value)) for m in points]


def _f(v: Any) -> Any:
    return repr(float(v)) if isinstance(v, float) else v


def run_view(client: Any, run_id: str, rules: Sequence[Rule]) -> dict[str, Any]:
    run = client.get_run(run_id)
    i = run.info
    hist = {k: _history(client, run_id, k) for k in sorted(run.data.metrics)[:HISTORY_KEYS]}
    inputs = []
    if run.inputs is not None:
        for di in run.inputs.dataset_inputs or []:
            d = di.dataset
            inputs.append((d.name, d.digest, d.source_type, d.source, d.schema, d.profile,
                           sorted((t.key, t.value) for t in di.tags)))
    return {
        "info": (i.run_id, i.experiment_id, i.run_name, i.user_id, i.status, i.start_time, i.end_time,
                 i.lifecycle_stage, rewrite_uri(i.artifact_uri, rules)),
        "params": dict(run.data.params), "tags": dict(run.data.tags),
        "metrics": {k: _f(v) for k, v in run.data.metrics.items()}, "history": hist, "inputs": sorted(inputs),
    }


def models_view(client: Any, rules: Sequence[Rule]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for page in paged(client.search_registered_models, max_results=200):
        for m in page:
            versions = []
            for v in model_versions(client, m.name):
                versions.append((v.version, rewrite_uri(v.source, rules), v.run_id, v.status, v.current_stage,
                                 v.description, sorted(v.tags.items()), sorted(v.aliases), v.creation_timestamp))
            out[m.name] = {"description": m.description, "tags": sorted(m.tags.items()),
                           "aliases": sorted(m.aliases.items()), "created": m.creation_timestamp,
                           "versions": sorted(versions)}
    return out


def api_parity_in_workspace(workspace: str, *args: Any) -> Check:
    """api_parity as a workspace-enabled server's clients see workspace `workspace` (both sides hold it): in
    a process of its own (MLflow reads the two settings from the environment)."""
    os.environ["MLFLOW_ENABLE_WORKSPACES"] = "true"
    os.environ["MLFLOW_WORKSPACE"] = workspace
    return api_parity(*args)


def _workspaces(store: Store) -> list[str]:
    """The workspaces a store's experiments are in, besides `default` (MLflow 3.10+)."""
    try:
        with store.open_readonly() as db:
            if "workspaces" not in db.table_names():
                return []
            return sorted({str(w) for (w,) in db.query("SELECT DISTINCT workspace FROM experiments")} - {"default"})
    except Exception:  # noqa: BLE001 - an unreadable store is reported by the check itself
        return []


def _per_workspace(workspaces: list[str], args: tuple) -> Check:
    """api_parity once per workspace, as a workspace-enabled server's clients see each, in a process of its
    own (MLflow refuses a store with workspaces in single-tenant mode and reads the mode from the
    environment once)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .. import spawn

    checks = []
    for ws in workspaces:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=spawn.quiet_worker)
        try:
            with spawn.hidden_main():
                future = pool.submit(api_parity_in_workspace, ws, *args)
            checks.append((ws, future.result()))
        finally:
            spawn.stop_pool(pool)
    bad = [f"workspace {ws}: {c.detail}" for ws, c in checks if not c.ok]
    if bad:
        return Check("api parity", False, "; ".join(bad))
    return Check("api parity", True, "; ".join(f"workspace {ws}: {c.detail}" for ws, c in checks))


def api_parity(source: Store, target: Store, rules: Sequence[Rule], sample: int, same_revision: bool,
               private_source: bool = False, private_target: bool = False) -> Check:
    """`private_*`: that side is migrator's own SQLite snapshot (read in place, not copied again)."""
    from mlflow import MlflowClient

    name = "api parity"
    if not same_revision:
        return Check(name, True, "skipped: the schema revisions differ (reported above)")
    in_workspace = os.environ.get("MLFLOW_ENABLE_WORKSPACES", "").lower() in ("true", "1")
    if not in_workspace:
        spaces = _workspaces(source)
        if spaces:
            return _per_workspace(["default", *spaces],
                                  (source, target, rules, sample, same_revision, private_source, private_target))
    with ExitStack() as stack:
        held: list[str] | None = None
        if in_workspace:  # a workspace's runs are not the sample of every run: a whole copy
            s_uri, why = source.client_uri(stack, private_source)
        else:  # a copy holding the sampled runs' metric rows only (a few MB, not a snapshot), also of
            # migrator's own snapshot: with a few metric keys of millions of rows each, SQLite answers MLflow's
            # metric-history query from the primary key, seconds a call (50 M rows: minutes for 50 runs)
            s_uri, why, held = source.client_sample_uri(stack, sample)
        t_uri, why2 = target.client_uri(stack, private_target) if s_uri else (None, "")
        if not s_uri or not t_uri:
            return Check(name, True, f"skipped: {why or why2}")
        sc, tc = MlflowClient(tracking_uri=s_uri, registry_uri=s_uri), MlflowClient(tracking_uri=t_uri, registry_uri=t_uri)
        s_ids, t_ids = all_run_ids(sc), all_run_ids(tc)
        if s_ids != t_ids:
            missing = sorted(set(s_ids) - set(t_ids))[:10]
            extra = sorted(set(t_ids) - set(s_ids))[:10]
            return Check(name, False, f"run ids differ: missing in target {missing}, extra in target {extra}")
        picked = sample_of(s_ids, sample)
        if held is not None and not set(picked) <= set(held):
            # MlflowClient lists other runs than the runs table holds (never seen): read a whole copy
            s_uri, _ = source.client_uri(stack, private_source)
            sc = MlflowClient(tracking_uri=s_uri, registry_uri=s_uri)
        bad = [r for r in picked if run_view(sc, r, rules) != run_view(tc, r, ())]
        if bad:
            return Check(name, False, f"{len(bad)} of {len(picked)} sampled runs differ through MlflowClient: {bad[:10]}")
        sm, tm = models_view(sc, rules), models_view(tc, ())
        if sm != tm:
            diff = sorted(k for k in set(sm) | set(tm) if sm.get(k) != tm.get(k))
            return Check(name, False, f"registered models differ through MlflowClient: {diff[:10]}")
        return Check(name, True, f"{len(picked)} sampled runs (of {len(s_ids)}; metric histories: up to "
                                 f"{HISTORY_POINTS} points of up to {HISTORY_KEYS} keys per run) and {len(sm)} "
                                 "registered models equal through MlflowClient")


def _auth_view(uri: str) -> dict[str, Any]:
    """Users (name, admin flag, password hash, permissions) and roles (with their permissions) as MLflow's
    basic-auth store reads them."""
    from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore

    store = SqlAlchemyStore()
    store.init_db(uri)  # at the installed head (checked by the caller): no migration runs
    try:
        users = {}
        for u, user_roles in store.list_users_with_roles():
            users[u.username] = {
                "is_admin": bool(u.is_admin), "password_hash": u.password_hash,
                "roles": sorted(r.name for r in user_roles),
                "experiments": sorted((p.experiment_id, p.permission)
                                      for p in store.list_experiment_permissions(u.username)),
                "registered_models": sorted((getattr(p, "workspace", None) or "", p.name, p.permission)
                                            for p in store.list_registered_model_permissions(u.username)),
            }
        roles: dict[tuple[Any, str], dict[str, Any]] = {}
        for r in store.list_roles():
            roles[(r.workspace, r.name)] = {"description": r.description, "permissions": sorted(
                (p.resource_type, p.resource_pattern, p.permission) for p in store.list_role_permissions(r.id))}
        return {"users": users, "roles": roles}
    finally:
        store.engine.dispose()


def auth_parity(source: Store, target: Store) -> Check:
    """Every user and role reads back equal through MLflow's basic-auth store API (names only in the detail:
    password hashes are data, never printed)."""
    name = "auth api parity"
    a, b = _auth_view(source.url), _auth_view(target.url)
    if a != b:
        users = sorted(u for u in set(a["users"]) | set(b["users"]) if a["users"].get(u) != b["users"].get(u))
        roles = sorted(str(r) for r in set(a["roles"]) | set(b["roles"]) if a["roles"].get(r) != b["roles"].get(r))
        return Check(name, False, f"through MLflow's auth store: users differ: {users[:10]}, roles differ: {roles[:10]}")
    return Check(name, True, f"{len(a['users'])} users (password hashes, admin flags, roles, experiment and "
                             f"registered-model permissions) and {len(a['roles'])} roles equal through MLflow's "
                             "auth store")


def auth_users(uri: str) -> dict[str, tuple[str, bool]]:
    """username -> (password hash, admin flag), as MLflow's basic-auth store reads them."""
    return {u: (d["password_hash"], d["is_admin"]) for u, d in _auth_view(uri)["users"].items()}
