"""`--workspace NAME`: whole stores merged into workspaces of one populated PostgreSQL target, ids and
history kept; conflicts refused with the full list and nothing written; `verify --workspace` proves each
workspace row for row and every other workspace unchanged.

Stores: sample_data/old_servers (real basic-auth servers of MLflow 2.22.5 and 3.10.1, upgraded on the
snapshot), sample_data/mlflow.db (the target's `default` workspace). The slow test at the end merges three
stores from three code paths into a target populated by a real `mlflow server --enable-workspaces`, and a
server on the result serves every workspace's runs, models, prompts, traces, artifacts and users."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROOT, SAMPLE, error_line

OLD = ROOT / "sample_data" / "old_servers"


# what MLflow's fluent API of this process chose (an experiment, a registry) must not reach a client process
FLUENT_CHOICES = ("MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_RUN_ID", "MLFLOW_TRACKING_URI",
                  "MLFLOW_REGISTRY_URI", "MLFLOW_WORKSPACE")


def client_env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in FLUENT_CHOICES}, **extra}


def copy_old(release: str, into: Path) -> tuple[Path, Path]:
    into.mkdir(parents=True, exist_ok=True)
    shutil.copy(OLD / release / "mlflow.db", into / "mlflow.db")
    shutil.copy(OLD / release / "basic_auth.db", into / "basic_auth.db")
    return into / "mlflow.db", into / "basic_auth.db"


def state(url: str) -> dict[str, list[str]]:
    """Every row of every table of the target, as text, sorted (the whole database, every workspace)."""
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with eng.connect() as c:
            names = c.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").scalars().all()
            return {t: sorted(c.exec_driver_sql(f'SELECT x::text FROM "{t}" x').scalars().all()) for t in names}
    finally:
        eng.dispose()


def query(url: str, sql: str, **params) -> list[tuple]:
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with eng.connect() as c:
            return [tuple(r) for r in c.exec_driver_sql(sql, params or None).all()]
    finally:
        eng.dispose()


def source_runs(db: Path) -> dict[str, int]:
    c = sqlite3.connect(db)
    try:
        return dict(c.execute("SELECT run_uuid, start_time FROM runs").fetchall())
    finally:
        c.close()


@pytest.fixture
def populated(cli, pg_url, tmp_path):
    """A target whose `default` workspace holds the sample store (ids 0-3)."""
    src = tmp_path / "default.db"
    shutil.copy(SAMPLE, src)
    r = cli("sqlite-to-pg", src, pg_url, "--json")
    assert r.exit_code == 0, r.stderr
    return pg_url


def merge(cli, source: Path, target: str, name: str, *extra: str):
    return cli("sqlite-to-pg", source, target, "--workspace", name, *extra)


def test_merge_into_a_populated_target_keeps_ids_and_proves_the_rest_unchanged(cli, populated, tmp_path):
    db, auth = copy_old("3.10.1", tmp_path / "b")
    before = state(populated)
    top = query(populated, "SELECT max(experiment_id) FROM experiments")[0][0]
    r = merge(cli, db, populated, "team-b", "--auth-db", auth, "--id-map", tmp_path / "b.json", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ok"] and out["verify"]["ok"]
    after = state(populated)
    for t, rows in before.items():  # nothing that was there changed or went
        missing = set(rows) - set(after[t])
        assert not missing, (t, sorted(missing)[:3])
    # run ids and start times kept; experiments renumbered past the target's, old ids in a tag
    runs = dict(query(populated, "SELECT r.run_uuid, r.start_time FROM runs r JOIN experiments e USING "
                                 "(experiment_id) WHERE e.workspace = 'team-b'"))
    assert runs == source_runs(db)
    exps = query(populated, "SELECT e.experiment_id, t.value FROM experiments e JOIN experiment_tags t ON "
                            "t.experiment_id = e.experiment_id AND t.key = 'migrator.source_experiment_id' "
                            "WHERE e.workspace = 'team-b'")
    assert len(exps) == 3 and all(new > top for new, _old in exps)
    assert query(populated, "SELECT workspace, name FROM registered_models WHERE name = 'shared-model'") == \
        [("team-b", "shared-model")]
    # the id map: private, and verify replays it
    assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o600
    v = cli("verify", db, populated, "--workspace", "team-b", "--auth-db", auth, "--id-map", tmp_path / "b.json",
            "--json")
    assert v.exit_code == 0, v.stdout + v.stderr
    checks = {c["name"]: c for c in json.loads(v.stdout)["checks"]}
    assert checks["tracking other workspaces"]["ok"] and "default" in checks["tracking other workspaces"]["detail"]
    # a row changed in another workspace is found
    eng = sa.create_engine(populated, poolclass=sa.pool.NullPool)
    with eng.begin() as c:
        c.exec_driver_sql("UPDATE tags SET value = value || '!' WHERE run_uuid IN (SELECT run_uuid FROM runs "
                          "WHERE experiment_id = 1) AND key = 'mlflow.runName'")
    eng.dispose()
    v = cli("verify", db, populated, "--workspace", "team-b", "--id-map", tmp_path / "b.json", "--json")
    assert v.exit_code == 3
    bad = [c for c in json.loads(v.stdout)["checks"] if not c["ok"]]
    assert [c["name"] for c in bad] == ["tracking other workspaces"] and "default.tags" in bad[0]["detail"]


def test_big_tables_take_the_targets_rows_and_replace_them(cli, populated, tmp_path, monkeypatch):
    """The path of big tables (the bench's 1.5 M metric rows): the target's rows go into the staged table,
    which replaces the target's (its indexes, its foreign keys re-made and validated); every row of the
    other workspace is still there, and the merge verifies."""
    import migrator.bulk.merge as merge_mod

    monkeypatch.setattr(merge_mod, "SWAP_ROWS", 10)
    db, _auth = copy_old("3.10.1", tmp_path / "b")
    before = state(populated)
    oid = query(populated, "SELECT 'metrics'::regclass::oid")[0][0]
    r = merge(cli, db, populated, "big", "--id-map", tmp_path / "big.json", "--json")
    assert r.exit_code == 0, r.stderr
    assert query(populated, "SELECT 'metrics'::regclass::oid")[0][0] != oid  # replaced
    after = state(populated)
    for t, rows in before.items():
        assert not set(rows) - set(after[t]), t
    fks = query(populated, "SELECT conname, convalidated, confrelid::regclass::text FROM pg_constraint "
                           "WHERE conrelid = 'metrics'::regclass AND contype = 'f'")
    assert fks == [("metrics_run_uuid_fkey", True, "runs")]
    idx = {n for (n,) in query(populated, "SELECT indexname FROM pg_indexes WHERE tablename = 'metrics' "
                                          "AND schemaname = 'public'")}
    assert {"metric_pk", "index_metrics_run_uuid"} <= idx
    v = cli("verify", db, populated, "--workspace", "big", "--id-map", tmp_path / "big.json")
    assert v.exit_code == 0, v.stdout + v.stderr


def test_conflicts_are_refused_with_the_full_list_and_nothing_written(cli, populated, tmp_path, monkeypatch):
    b, b_auth = copy_old("3.10.1", tmp_path / "b")
    a, a_auth = copy_old("2.22.5", tmp_path / "a")
    assert merge(cli, b, populated, "team-b", "--id-map", tmp_path / "b.json").exit_code == 0
    before = state(populated)
    # the same registered model (and experiment) names, into the same workspace
    r = merge(cli, a, populated, "team-b", "--id-map", tmp_path / "a.json")
    assert r.exit_code == 1
    assert "names that must be unique in the workspace" in error_line(r)
    assert "registered_models (workspace, name)" in r.stderr and "  shared-model" in r.stderr
    assert "experiments (workspace, name): 3 name(s)" in r.stderr
    assert "... copy" not in r.stderr  # refused before the load (the small tables are looked up first)
    assert state(populated) == before
    # the same run ids again, into another workspace: every one of them named; found again by the merge
    # transaction itself when nothing is looked up before the load
    import migrator.bulk.merge as merge_mod

    for early in (merge_mod.EARLY_ROWS, 0):
        monkeypatch.setattr(merge_mod, "EARLY_ROWS", early)
        r = merge(cli, b, populated, "other", "--id-map", tmp_path / "b2.json")
        assert r.exit_code == 1
        for run in source_runs(b):
            assert f"    {run}" in r.stderr
        assert ("... switch" in r.stderr) == (early == 0)
        assert state(populated) == before
    assert not (tmp_path / "a.json").exists() and not (tmp_path / "b2.json").exists()
    # users of two basic-auth stores with the same names and other passwords: refused before anything
    r = cli("sqlite-to-pg", a, populated, "--workspace", "team-a", "--auth-db", a_auth, "--id-map", tmp_path / "a.json")
    assert r.exit_code == 0, r.stderr  # the target had no basic-auth store yet
    before = state(populated)
    c, c_auth = copy_old("3.10.1", tmp_path / "c")
    r = cli("sqlite-to-pg", c, populated, "--workspace", "team-c", "--auth-db", c_auth)
    assert r.exit_code == 1
    assert "user name(s) of the basic-auth source exist in the target with another password" in error_line(r)
    assert "user reader" in r.stderr
    assert state(populated) == before


def test_a_postgresql_store_moves_and_merges_too(cli, pg_server, populated, tmp_path):
    """migrator move: a PostgreSQL source (read in one transaction) copied whole, then merged as a workspace."""
    from conftest import create_database, url_for

    db, _auth = copy_old("3.10.1", tmp_path / "b")
    pg_url = url_for(pg_server["admin"], create_database(pg_server["admin"]))
    assert cli("sqlite-to-pg", db, pg_url).exit_code == 0  # a PostgreSQL store of the 3.10.1 data
    whole = url_for(pg_server["admin"], create_database(pg_server["admin"]))
    r = cli("move", pg_url, whole, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["verify"]["ok"]
    r = cli("move", pg_url, populated, "--workspace", "from-pg", "--id-map", tmp_path / "pg.json", "--json")
    assert r.exit_code == 0, r.stderr
    v = cli("verify", pg_url, populated, "--workspace", "from-pg", "--id-map", tmp_path / "pg.json")
    assert v.exit_code == 0, v.stdout + v.stderr


def test_proxied_artifacts_land_where_a_workspace_server_looks(cli, pg_url, sample_store, tmp_path):
    """--move-artifacts mlflow-artifacts:/=NEWROOT: every file under NEWROOT/workspaces/NAME/<new id>/..., the
    locations proxied there (what a server with --enable-workspaces serves for NAME's experiments)."""
    import hashlib

    db, _auth = copy_old("3.10.1", tmp_path / "first")
    assert cli("sqlite-to-pg", db, pg_url).exit_code == 0  # the target's default workspace
    oldroot, newroot = ROOT / "sample_data" / "mlartifacts", tmp_path / "newroot"
    r = merge(cli, sample_store, pg_url, "with-art", "--move-artifacts", f"mlflow-artifacts:/={newroot}",
              "--artifacts-destination", oldroot, "--id-map", tmp_path / "m.json", "--json")
    assert r.exit_code == 0, r.stderr
    ids = json.loads((tmp_path / "m.json").read_text())["keys"]["experiments.experiment_id"]
    old_files = {p.relative_to(oldroot): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in oldroot.rglob("*") if p.is_file()}
    assert old_files
    for rel, digest in old_files.items():
        first, *rest = rel.parts
        moved = newroot / "workspaces" / "with-art" / str(ids.get(first, first)) / Path(*rest)
        assert hashlib.sha256(moved.read_bytes()).hexdigest() == digest, rel
    uris = query(pg_url, "SELECT r.artifact_uri, e.experiment_id FROM runs r JOIN experiments e USING (experiment_id) "
                         "WHERE e.workspace = 'with-art'")
    assert uris and all(u.startswith(f"mlflow-artifacts:/workspaces/with-art/{e}/") for u, e in uris)
    locs = query(pg_url, "SELECT artifact_location FROM experiments WHERE workspace = 'default'")
    assert all(not loc.startswith("mlflow-artifacts:/workspaces/") for (loc,) in locs)  # default's untouched
    v = cli("verify", sample_store, pg_url, "--workspace", "with-art", "--id-map", tmp_path / "m.json")
    assert v.exit_code == 0, v.stdout + v.stderr


@pytest.mark.parametrize("args, message", [
    (["--workspace", "Bad_Name"], "not a workspace name MLflow accepts"),
    (["--workspace", "api"], "not a workspace name MLflow accepts"),
    (["--workspace", "ok-name", "--replace"], "not with --replace"),
    (["--workspace", "ok-name", "--auth-users", "both"], "must be refuse, keep-target or keep-source"),
    (["--workspace", "ok-name", "--rewrite-artifacts", "mlflow-artifacts:/=s3://b/"], "stay proxied"),
])
def test_bad_workspace_options_are_usage_errors(cli, pg_url, sample_store, args, message):
    r = cli("sqlite-to-pg", sample_store, pg_url, *args)
    assert r.exit_code == 2, r.stderr
    assert message in error_line(r)
    assert query(pg_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_a_target_at_an_older_revision_is_refused(cli, pg_server, sample_store, tmp_path):
    from conftest import create_database, url_for

    url = url_for(pg_server["admin"], create_database(pg_server["admin"]))
    raw = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with raw.begin() as c:
        c.exec_driver_sql((OLD / "3.10.1" / "postgres.sql").read_text())
    raw.dispose()
    before = state(url)
    r = cli("sqlite-to-pg", sample_store, url, "--workspace", "team-z")
    assert r.exit_code == 1
    assert "upgrade it first (`migrator upgrade TARGET`)" in error_line(r)
    assert state(url) == before and not (tmp_path / "migrator-workspace-team-z.json").exists()


def test_verify_workspace_without_the_id_map_says_which_file(cli, populated, sample_store):
    r = cli("verify", sample_store, populated, "--workspace", "nowhere")
    assert r.exit_code == 1
    assert "no id map at migrator-workspace-nowhere.json" in error_line(r)


@pytest.mark.slow
def test_sigkill_during_a_merge_leaves_every_workspace_as_it_was(cli, populated, tmp_path):
    """Killed at moments spread over whole runs (6 kills): the target is as before, or holds a store
    (tracking, then basic-auth: each its own transaction) merged completely; the next run goes on from there
    and the last one completes the merge, which verifies."""
    import time

    db, auth = copy_old("3.10.1", tmp_path / "b")
    before = state(populated)
    argv = [sys.executable, "-m", "migrator", "sqlite-to-pg", str(db), populated, "--workspace", "team-k",
            "--auth-db", str(auth), "--id-map", str(tmp_path / "k.json")]
    outcomes = []
    for i in range(6):
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0 + i * 1.6)  # 1 s (start-up) to 9 s (the switch of the second store)
        proc.kill()
        proc.wait()
        after = state(populated)
        for t, rows in before.items():  # nothing that was there changed or went, whatever the moment
            assert not set(rows) - set(after[t]), (i, t)
        merged = {k for k, t in (("tracking", "experiment_tags"), ("auth", "users")) if after.get(t) != before.get(t)}
        outcomes.append("+".join(sorted(merged)) or "as before")
        if merged == {"tracking", "auth"}:
            break
    r = subprocess.run(argv, capture_output=True, text=True)
    assert r.returncode == 0, (outcomes, r.stderr[-2000:])
    v = cli("verify", db, populated, "--workspace", "team-k", "--auth-db", auth, "--id-map", tmp_path / "k.json")
    assert v.exit_code == 0, (outcomes, v.stdout + v.stderr)
    assert not query(populated, "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, 'migrator_stage_')")
    print("outcomes:", outcomes)


# --------------------------------------------------------------------------- three stores, real servers
def _server(backend: str, folder: Path, *extra: str, env: dict[str, str] | None = None):
    """`mlflow server` of the installed MLflow on `backend`, on a free port, until the context ends."""
    from conftest import printed_server

    return printed_server({"argv": ["mlflow", "server", "--backend-store-uri", backend, *extra],
                           "env": dict(env or {})}, folder, {})


def _fill(base: str, folder: Path, workspace: str | None = None) -> dict:
    """Through MlflowClient against a running server: an experiment, a run with a metric history and an
    artifact, a registered model version with an alias, a prompt and a trace. Returns what was made."""
    code = f"""
import json, sys, mlflow
from mlflow import MlflowClient
mlflow.set_tracking_uri({base!r})
if {workspace!r}:
    mlflow.set_workspace({workspace!r})
c = MlflowClient()
e = c.create_experiment("made-by-a-server")
r = c.create_run(e, run_name="served")
for s in range(20):
    c.log_metric(r.info.run_id, "loss", 1.0 / (s + 1), step=s)
open("artifact.txt", "w").write("bytes of " + r.info.run_id)
c.log_artifact(r.info.run_id, "artifact.txt", "files")
c.set_terminated(r.info.run_id)
try:
    c.create_registered_model("served-model")
except mlflow.exceptions.MlflowException as ex:  # the client retried a slow request that had gone through
    if "already exists" not in str(ex):
        raise
c.create_model_version("served-model", f"runs:/{{r.info.run_id}}/files", run_id=r.info.run_id)
c.set_registered_model_alias("served-model", "prod", "1")
mlflow.set_experiment(experiment_id=e)
try:
    mlflow.genai.register_prompt(name="served-prompt", template="Hello {{{{name}}}}")
    prompt = True
except Exception as ex:
    prompt = repr(ex)
with mlflow.start_span(name="served-trace") as span:
    span.set_inputs({{"q": 1}})
mlflow.flush_trace_async_logging() if hasattr(mlflow, "flush_trace_async_logging") else None
print(json.dumps({{"experiment": e, "run": r.info.run_id, "start": r.info.start_time, "prompt": prompt,
                  "trace": span.trace_id}}))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=300,
                         env=client_env())
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_three_stores_become_three_workspaces_of_one_server(cli, pg_server, pg_url, tmp_path):
    import requests
    from conftest import create_database, url_for

    sys.path.insert(0, str(ROOT / "sample_data"))
    from make_old_server import ADMIN, RUNS, USERS

    target, newroot = pg_url, tmp_path / "newroot"
    newroot.mkdir()
    # the target: a real workspace-enabled server, its default workspace filled through MlflowClient
    (tmp_path / "t").mkdir()
    with _server(target, tmp_path / "t", "--enable-workspaces", "--artifacts-destination", str(newroot)) as base:
        default = _fill(base, tmp_path / "t")
    # c: a PostgreSQL store of a real (single-tenant) server, proxied artifacts in its own folder
    c_url = url_for(pg_server["admin"], create_database(pg_server["admin"]))
    oldroot = tmp_path / "oldroot"
    (tmp_path / "c").mkdir()
    with _server(c_url, tmp_path / "c", "--artifacts-destination", str(oldroot)) as base:
        made = _fill(base, tmp_path / "c")
    a, _a_auth = copy_old("2.22.5", tmp_path / "a")  # an older release: upgraded on the snapshot
    b, b_auth = copy_old("3.10.1", tmp_path / "b")  # with its basic-auth store
    before = state(target)
    # MLflow's workspace names have 2 characters or more: team-a, team-b, team-c
    for args in (["sqlite-to-pg", a, target, "--workspace", "team-a", "--id-map", tmp_path / "team-a.json"],
                 ["sqlite-to-pg", b, target, "--workspace", "team-b", "--auth-db", b_auth, "--id-map",
                  tmp_path / "team-b.json"],
                 ["move", c_url, target, "--workspace", "team-c", "--id-map", tmp_path / "team-c.json",
                  "--move-artifacts", f"mlflow-artifacts:/={newroot}", "--artifacts-destination", oldroot]):
        r = cli(*args)
        assert r.exit_code == 0, r.stderr
    for src, name, extra in ((a, "team-a", []), (b, "team-b", ["--auth-db", b_auth]), (c_url, "team-c", [])):
        v = cli("verify", src, target, "--workspace", name, "--id-map", tmp_path / f"{name}.json", *extra)
        assert v.exit_code == 0, v.stdout + v.stderr
    after = state(target)
    for t, rows in before.items():  # the default workspace (every row there before) unchanged
        assert not set(rows) - set(after[t]), t
    # one server on the target serves every workspace
    ini = tmp_path / "basic_auth.ini"
    ini.write_text(f"[mlflow]\ndefault_permission = NO_PERMISSIONS\ndatabase_uri = {target.replace('%', '%%')}\n"
                   f"admin_username = {ADMIN[0]}\nadmin_password = {ADMIN[1]}\n"
                   "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n")
    env = {"MLFLOW_AUTH_CONFIG_PATH": str(ini), "MLFLOW_FLASK_SERVER_SECRET_KEY": "test-secret"}
    (tmp_path / "s").mkdir()
    with _server(target, tmp_path / "s", "--enable-workspaces", "--app-name", "basic-auth", "--artifacts-destination",
                 str(newroot), env=env) as base:
        api = f"{base}/api/2.0/mlflow"

        def call(ws: str, path: str, user=ADMIN, method="get", **kw):
            f = requests.get if method == "get" else requests.post
            return f(f"{api}/{path}", headers={"X-MLFLOW-WORKSPACE": ws}, auth=user, timeout=60, **kw)

        for ws, src in (("team-a", a), ("team-b", b)):
            exp = call(ws, "experiments/get-by-name", params={"experiment_name": "shared"})
            assert exp.status_code == 200, exp.text
            eid = exp.json()["experiment"]["experiment_id"]
            runs = call(ws, "runs/search", method="post", json={"experiment_ids": [eid], "run_view_type": "ALL"})
            got = {r["info"]["run_id"]: int(r["info"]["start_time"]) for r in runs.json()["runs"]}
            assert got == source_runs(src)
            one = sorted(got)[0]
            hist = call(ws, "metrics/get-history", params={"run_id": one, "metric_key": "loss"}).json()["metrics"]
            con = sqlite3.connect(src)
            want = sorted(con.execute("SELECT step, value FROM metrics WHERE run_uuid = ? AND key = 'loss'", (one,)))
            con.close()
            assert sorted((int(m.get("step", 0)), m["value"]) for m in hist) == want
            model = call(ws, "registered-models/get", params={"name": "shared-model"}).json()["registered_model"]
            assert model["aliases"][0]["alias"] == "champion"
        # b's users: their old passwords, their old permissions, in their workspace
        reader = ("reader", USERS["reader"])
        exp = call("team-b", "experiments/get-by-name", user=reader, params={"experiment_name": "shared"})
        assert exp.status_code == 200, exp.text
        runs = call("team-b", "runs/search", user=reader, method="post",
                    json={"experiment_ids": [exp.json()["experiment"]["experiment_id"]], "run_view_type": "ALL"})
        assert len(runs.json()["runs"]) == RUNS
        assert call("team-b", "experiments/get-by-name", user=reader,
                    params={"experiment_name": "private"}).status_code == 403
        assert call("team-b", "experiments/get-by-name", user=("reader", "wrong"),
                    params={"experiment_name": "shared"}).status_code == 401
        assert call("team-a", "experiments/get-by-name", user=reader,
                    params={"experiment_name": "shared"}).status_code in (403, 404)
        # c (and default): runs, model alias, prompt, trace and artifact bytes through a client
        code = f"""
import json, os, mlflow
from mlflow import MlflowClient
mlflow.set_tracking_uri({base!r})
out = {{}}
for ws, made in (("team-c", {made!r}), ("default", {default!r})):
    mlflow.set_workspace(ws)
    c = MlflowClient()
    run = c.get_run(made["run"])
    path = c.download_artifacts(made["run"], "files/artifact.txt", {str(tmp_path)!r} + "/dl-" + ws)
    mv = c.get_model_version_by_alias("served-model", "prod")
    traces = mlflow.search_traces(locations=[run.info.experiment_id], return_type="list")
    prompt = mlflow.genai.load_prompt("prompts:/served-prompt/1").template if made["prompt"] is True else None
    out[ws] = {{"start": run.info.start_time, "bytes": open(path).read(), "version": mv.version,
               "traces": [t.info.trace_id for t in traces], "prompt": prompt,
               "history": len(c.get_metric_history(made["run"], "loss"))}}
print(json.dumps(out))
"""
        env2 = client_env(MLFLOW_TRACKING_USERNAME=ADMIN[0], MLFLOW_TRACKING_PASSWORD=ADMIN[1])
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env2, timeout=300)
        assert out.returncode == 0, out.stderr[-3000:]
        seen = json.loads(out.stdout.strip().splitlines()[-1])
        for ws, m in (("team-c", made), ("default", default)):
            assert seen[ws]["start"] == m["start"] and seen[ws]["bytes"] == f"bytes of {m['run']}"
            assert seen[ws]["version"] == "1" and seen[ws]["history"] == 20 and m["trace"] in seen[ws]["traces"]
            if m["prompt"] is True:
                assert seen[ws]["prompt"] == "Hello {{name}}"


@pytest.mark.slow
def test_copy_into_a_workspace_of_a_server(cli, sample_store, tmp_path):
    """copy --workspace: the MlflowClient path into workspace NAME of a workspace-enabled server (created
    when missing); the server's default workspace receives nothing."""
    import requests

    folder = tmp_path / "srv"
    folder.mkdir()
    with _server(f"sqlite:///{folder / 'ws.db'}", folder, "--enable-workspaces", "--artifacts-destination",
                 str(folder / "art")) as base:
        r = cli("copy", sample_store, base, "--workspace", "copied", "--id-map", tmp_path / "map.json", "--json")
        assert r.exit_code == 0, r.stderr
        api = f"{base}/api/2.0/mlflow"

        def names(ws: str) -> set[str]:
            got = requests.post(f"{api}/experiments/search", json={"max_results": 100, "view_type": "ALL"},
                                headers={"X-MLFLOW-WORKSPACE": ws}, timeout=30).json()
            return {e["name"] for e in got.get("experiments", [])}

        con = sqlite3.connect(sample_store)
        source = {n for (n,) in con.execute("SELECT name FROM experiments WHERE experiment_id <> 0")}
        runs = con.execute("SELECT count(*) FROM runs").fetchone()[0]
        con.close()
        assert source <= names("copied")
        assert not source & names("default")
        assert json.loads(r.stdout)["counts"]["runs"]["copied"] == runs
        bad = cli("copy", sample_store, base, "--workspace", "X")
        assert bad.exit_code == 2 and "not a workspace name" in error_line(bad)
    with _server(f"sqlite:///{folder / 'plain.db'}", folder) as plain:
        r = cli("copy", sample_store, plain, "--workspace", "copied", "--id-map", tmp_path / "map2.json")
        assert r.exit_code == 1
        assert "--enable-workspaces" in error_line(r)
