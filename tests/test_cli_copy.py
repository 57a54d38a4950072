"""`migrator copy` / `sqlite-to-pg --mode client`: object-by-object copies through MlflowClient,
compared field by field through MlflowClient with the ids mapped back through the id map."""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROOT, error_line, pg_table_names, sha256, stop_process_group
from views import portable_view


def _snapshot_uri(path: Path, tmp_path: Path) -> str:
    copy = tmp_path / f"view-{path.name}"
    shutil.copy(path, copy)  # MlflowClient could upgrade an old store in place: look at a copy
    return f"sqlite:///{copy}"


def _count(url: str, table: str) -> int:
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        n = c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
    eng.dispose()
    return int(n)


def _assert_same(a: dict, b: dict) -> None:
    for kind in a:
        assert set(a[kind]) == set(b[kind]), kind
        for key in a[kind]:
            assert a[kind][key] == b[kind][key], (kind, key)


def test_sqlite_to_pg_copy_is_field_by_field_equal_and_rerun_copies_nothing(cli, store, pg_url, tmp_path):
    before = sha256(store)
    idmap = tmp_path / "ids.json"
    r = cli("copy", store, pg_url, "--id-map", idmap, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["ok"] and out["id_map"] == str(idmap)
    assert out["counts"]["runs"]["copied"] == out["counts"]["runs"]["source"] == 7
    assert out["counts"]["model_versions"]["copied"] == 3
    assert sha256(store) == before
    ids = json.loads(idmap.read_text())
    assert len(ids["runs"]) == 7 and len(ids["logged_models"]) == 2
    src = portable_view(_snapshot_uri(store, tmp_path))
    tgt = portable_view(pg_url, ids)
    _assert_same(src, tgt)
    # the ids really are new, and every copied object carries its source id as a tag
    assert not set(ids["runs"]) & set(ids["runs"].values())
    from mlflow import MlflowClient

    c = MlflowClient(pg_url)
    for old, new in ids["runs"].items():
        assert c.get_run(new).data.tags["migrator.source_run_id"] == old

    runs_before = _count(pg_url, "runs"), _count(pg_url, "metrics"), _count(pg_url, "model_versions")
    r2 = cli("copy", store, pg_url, "--id-map", idmap, "--json")
    assert r2.exit_code == 0, r2.output
    again = json.loads(r2.stdout)
    assert again["counts"]["runs"]["copied"] == 0 and again["counts"]["runs"]["already_there"] == 7
    assert again["counts"]["model_versions"]["already_there"] == 3
    assert (_count(pg_url, "runs"), _count(pg_url, "metrics"), _count(pg_url, "model_versions")) == runs_before


def test_lost_id_map_is_rebuilt_from_the_tags(cli, store, pg_url, tmp_path):
    idmap = tmp_path / "ids.json"
    assert cli("copy", store, pg_url, "--id-map", idmap).exit_code == 0
    idmap.unlink()
    r = cli("copy", store, pg_url, "--id-map", idmap, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["counts"]["runs"]["copied"] == 0
    assert _count(pg_url, "runs") == 7
    _assert_same(portable_view(_snapshot_uri(store, tmp_path)), portable_view(pg_url, json.loads(idmap.read_text())))


@pytest.fixture(scope="session")
def file_store(tmp_path_factory) -> Path:
    """An ./mlruns file store written by the real MLflow APIs (MLflow 3 needs MLFLOW_ALLOW_FILE_STORE)."""
    from make_store import log_everything

    d = tmp_path_factory.mktemp("filestore")
    old_env = os.environ.get("MLFLOW_ALLOW_FILE_STORE")
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    cwd = os.getcwd()
    os.chdir(d)
    try:
        log_everything(str(d / "mlruns"))
    finally:
        os.chdir(cwd)
        import mlflow

        mlflow.set_tracking_uri(None)
        if old_env is None:
            os.environ.pop("MLFLOW_ALLOW_FILE_STORE", None)
    return d / "mlruns"


def _as_sql_stores_it(view: dict) -> dict:
    """MLflow's SQL stores keep +-inf as +-max double, -0.0 as 0.0 and identical metric points once."""
    def v(x: str) -> str:
        f = float(x)
        if math.isinf(f):
            return repr(math.copysign(1.7976931348623157e308, f))
        return "0.0" if f == 0 and x.startswith("-") else x

    for run in view["runs"].values():
        run["history"] = {k: sorted({(s, t, v(x)) for s, t, x in h}) for k, h in run["history"].items()}
        run["metrics"] = [(k, v(x)) for k, x in run["metrics"]]
    return view


def test_file_store_to_pg(cli, file_store, pg_url, tmp_path):
    listing = sorted(str(p.relative_to(file_store)) for p in file_store.rglob("*"))
    idmap = tmp_path / "ids.json"
    r = cli("copy", file_store, pg_url, "--id-map", idmap, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["counts"]["runs"]["copied"] == 7 and out["counts"]["registered_models"]["copied"] == 1
    assert sorted(str(p.relative_to(file_store)) for p in file_store.rglob("*")) == listing  # source untouched
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    src = _as_sql_stores_it(portable_view(str(file_store)))
    tgt = _as_sql_stores_it(portable_view(pg_url, json.loads(idmap.read_text())))
    _assert_same(src, tgt)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow  # end to end, 20-35 s; run with: python -m pytest -m slow
def test_http_source_copies_the_same_way(cli, store, pg_url, tmp_path):
    import requests

    port = _free_port()
    served = tmp_path / "served.db"
    shutil.copy(store, served)
    proc = subprocess.Popen([sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
                             "--backend-store-uri", f"sqlite:///{served}", "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(url + "/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            assert proc.poll() is None, "mlflow server exited"
            assert time.monotonic() < deadline, "mlflow server did not start"
            time.sleep(0.3)
        idmap = tmp_path / "ids.json"
        r = cli("copy", url, pg_url, "--id-map", idmap, "--json")
        assert r.exit_code == 0, r.output
        ids = json.loads(idmap.read_text())
        _assert_same(portable_view(url), portable_view(pg_url, ids))
    finally:
        stop_process_group(proc)


def test_killed_copy_resumes_without_duplicates(many_runs_store, pg_url, tmp_path, cli):
    src = many_runs_store
    idmap = tmp_path / "ids.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "migrator", "copy", str(src), pg_url, "--id-map", str(idmap),
                             "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    deadline = time.monotonic() + 120
    n = 0
    try:
        while n < 40:
            assert proc.poll() is None, "the copy ended before it could be killed"
            assert time.monotonic() < deadline
            try:
                with eng.connect() as c:
                    n = c.exec_driver_sql("SELECT count(*) FROM metrics").scalar() // 50
            except sa.exc.DBAPIError:
                n = 0  # schema not created yet
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        eng.dispose()
    partial = _count(pg_url, "runs")
    assert 0 < partial < 120
    r = cli("copy", src, pg_url, "--id-map", idmap, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["counts"]["runs"]["source"] == 120
    assert _count(pg_url, "runs") == 120  # no duplicates
    assert _count(pg_url, "metrics") == 120 * 50
    _assert_same(portable_view(_snapshot_uri(src, tmp_path)), portable_view(pg_url, json.loads(idmap.read_text())))


def test_name_collision_is_reported_and_merge_reuses(cli, store, pg_url, tmp_path):
    from mlflow import MlflowClient

    c = MlflowClient(pg_url)
    mine = c.create_experiment("iris-classifier")
    c.create_run(mine, run_name="already-here")
    idmap = tmp_path / "ids.json"
    r = cli("copy", store, pg_url, "--id-map", idmap, "--json")
    assert r.exit_code == 3, r.output
    out = json.loads(r.stdout)
    assert [f["type"] for f in out["failures"]].count("experiments") == 1
    assert "iris-classifier" in r.stderr and "--merge" in r.stderr
    assert error_line(r).startswith("Error: ")
    r2 = cli("copy", store, pg_url, "--id-map", idmap, "--merge", "--json")
    assert r2.exit_code == 0, r2.output
    ids = json.loads(idmap.read_text())
    assert ids["experiments"][[k for k in ids["experiments"] if k != "0"][0]]
    names = [x.info.run_name for x in c.search_runs([mine], run_view_type=3)]
    assert "already-here" in names and "parent-sweep" in names


def test_mode_client_from_an_mlflow_2_store(cli, sample_store_v2, pg_url, tmp_path, monkeypatch):
    before = sha256(sample_store_v2)
    idmap = tmp_path / "ids.json"
    monkeypatch.chdir(tmp_path)
    r = cli("sqlite-to-pg", sample_store_v2, pg_url, "--mode", "client", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["mode"] == "client" and out["counts"]["runs"]["copied"] > 0
    assert sha256(sample_store_v2) == before
    shutil.copy(out["id_map"], idmap)
    view_src = _snapshot_uri(sample_store_v2, tmp_path)
    from migrator.stores.sqlite_db import bring_to_head as upgrade_sqlite_file

    upgrade_sqlite_file(view_src[len("sqlite:///"):])
    _assert_same(portable_view(view_src), portable_view(pg_url, json.loads(idmap.read_text())))


def test_rewrite_rules_apply_in_client_mode(cli, store, pg_url, tmp_path):
    from migrator.artifacts import parse_rules, rewrite_uri

    view = portable_view(_snapshot_uri(store, tmp_path))
    location = next(e[1] for e in view["experiments"].values() if e[1])
    root = location[:location.rindex("/")]  # the folder that holds the experiments' artifact folders
    rules = parse_rules([f"{root}=s3://bucket/mlflow"])
    idmap = tmp_path / "ids.json"
    r = cli("copy", store, pg_url, "--id-map", idmap, "--rewrite-artifacts", f"{root}=s3://bucket/mlflow")
    assert r.exit_code == 0, r.output
    src = portable_view(_snapshot_uri(store, tmp_path), rewrite=lambda u: rewrite_uri(u, rules))
    tgt = portable_view(pg_url, json.loads(idmap.read_text()))
    _assert_same(src, tgt)
    assert any(str(v["info"][-1]).startswith("s3://bucket/mlflow") for v in tgt["runs"].values())


@pytest.mark.parametrize("args, needle", [
    (["/nonexistent/mlflow.db"], "does not exist"),
    (["http://127.0.0.1:9"], "cannot reach"),
])
def test_bad_sources_get_one_error_line(cli, pg_url, args, needle):
    r = cli("copy", *args, pg_url)
    assert r.exit_code == 1, r.output
    assert needle in error_line(r)


def test_worker_processes_copy_the_same(cli, many_runs_store, pg_url, tmp_path, monkeypatch):
    from migrator.client.workers import Dispatcher

    monkeypatch.setattr(Dispatcher, "PROCESS_THRESHOLD", 10)  # use worker processes even for 60 runs
    idmap = tmp_path / "ids.json"
    r = cli("copy", many_runs_store, pg_url, "--id-map", idmap, "--workers", "2", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["counts"]["runs"]["copied"] == 120
    _assert_same(portable_view(_snapshot_uri(many_runs_store, tmp_path)),
                 portable_view(pg_url, json.loads(idmap.read_text())))


def test_copy_artifacts_puts_run_and_model_artifacts_under_the_new_ids(cli, store, tmp_path, monkeypatch):
    from mlflow import MlflowClient

    monkeypatch.chdir(tmp_path)  # the target's default artifact root is ./mlruns
    target = f"sqlite:///{tmp_path / 'target.db'}"
    idmap = tmp_path / "ids.json"
    r = cli("copy", store, target, "--copy-artifacts", "--id-map", idmap)
    assert r.exit_code == 0, r.output
    ids = json.loads(idmap.read_text())
    src, dst = MlflowClient(_snapshot_uri(store, tmp_path)), MlflowClient(target)
    old = next(x.info.run_id for x in src.search_runs([e.experiment_id for e in src.search_experiments()])
               if x.info.run_name == "trained-model")
    new = ids["runs"][old]
    assert dst.get_run(new).info.artifact_uri != src.get_run(old).info.artifact_uri
    got = Path(dst.download_artifacts(new, "notes/summary.txt", str(tmp_path)))
    assert got.read_text() == "trained on iris-mini\n"
    model_old = next(m for m in src.search_logged_models(experiment_ids=[src.get_run(old).info.experiment_id]))
    model_new = dst.get_logged_model(ids["logged_models"][model_old.model_id])
    assert {f.path for f in dst.list_logged_model_artifacts(model_new.model_id)} == \
        {f.path for f in src.list_logged_model_artifacts(model_old.model_id)}


def test_names_with_quotes_and_wildcards(cli, pg_url, tmp_path):
    """Registered-model and experiment names holding ', ", % and _ (MLflow's filter strings cannot
    escape a quote) keep all their versions."""
    from mlflow import MlflowClient

    src = f"sqlite:///{tmp_path / 'quotes.db'}"
    c = MlflowClient(src, registry_uri=src)
    names = ["it's", 'say "hi"', "both'\"%_", "100%_done"]
    for i, name in enumerate(names):
        exp = c.create_experiment(f"exp {name}")
        run = c.create_run(exp, run_name=f"run {i}")
        c.log_metric(run.info.run_id, "m", float(i))
        c.set_terminated(run.info.run_id)
        c.create_registered_model(name, tags={"k": name})
        for _ in range(2):
            c.create_model_version(name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
    idmap = tmp_path / "ids.json"
    r = cli("copy", src, pg_url, "--id-map", idmap, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["counts"]["model_versions"]["copied"] == 2 * len(names)
    _assert_same(portable_view(_snapshot_uri(tmp_path / "quotes.db", tmp_path)),
                 portable_view(pg_url, json.loads(idmap.read_text())))


def test_second_copy_with_the_same_id_map_is_locked(cli, store, pg_url, tmp_path):
    from migrator.locks import file_lock

    idmap = tmp_path / "ids.json"
    with file_lock(tmp_path / "ids.json.lock", "holds it"):
        r = cli("copy", store, pg_url, "--id-map", idmap)
    assert r.exit_code == 4, r.output
    assert error_line(r).startswith("Error: another migrator run (pid ")
    assert pg_table_names(pg_url) == []  # nothing was created in the target


def _prompt_view(uri: str) -> dict:
    from mlflow import MlflowClient

    c = MlflowClient(uri, registry_uri=uri)
    aliases = {m.name: dict(m.aliases) for m in
               c.search_registered_models(filter_string="tags.`mlflow.prompt.is_prompt` = 'true'")}
    out = {}
    for p in c.search_prompts():
        linked = [c.get_experiment(i).name for i in p.tags.get("_mlflow_experiment_ids", "").split(",") if i]
        versions = sorted(c.search_prompt_versions(p.name), key=lambda v: int(v.version))
        out[p.name] = {
            "description": p.description, "experiments": sorted(linked), "aliases": aliases.get(p.name),
            "tags": {k: v for k, v in p.tags.items() if not k.startswith(("migrator.", "_mlflow_experiment_ids"))},
            "versions": [(int(v.version), v.template, v.commit_message, v.response_format,
                          {k: x for k, x in v.tags.items() if not k.startswith("migrator.")}) for v in versions]}
    return out


def test_prompts_keep_versions_templates_aliases_and_experiment_links(cli, pg_url, tmp_path):
    """Prompts are registered models that search_registered_models hides: copied through the prompt API,
    version numbers kept across a deleted version, experiment links mapped to the target's ids."""
    from mlflow import MlflowClient

    src = f"sqlite:///{tmp_path / 'prompts.db'}"
    c = MlflowClient(src, registry_uri=src)
    exp = c.create_experiment("prompt work")
    # create_prompt*, not register_prompt: that one links the prompt to whatever experiment is active in
    # this process, in a background thread
    c.create_prompt("greet", description="says hello", tags={"team": "nlp"})
    c.create_prompt_version("greet", "Hello {{name}}", description="v1", tags={"reviewed": "yes"})
    c.create_prompt_version("greet", "Hi {{name}}!", description="v2")
    c.create_prompt_version("greet", [{"role": "system", "content": "Be {{tone}}"}], description="chat",
                            response_format={"type": "object", "properties": {"a": {"type": "string"}}})
    c.delete_prompt_version("greet", "2")
    c.set_prompt_alias("greet", "production", 3)
    c.set_prompt_tag("greet", "_mlflow_experiment_ids", f",{exp},")
    c.create_prompt("other.prompt_2")
    c.create_prompt_version("other.prompt_2", "Q: {{q}}")
    dst = MlflowClient(pg_url, registry_uri=pg_url)
    dst.create_experiment("already in the target")  # the copied experiment gets another id there
    idmap = tmp_path / "ids.json"
    r = cli("copy", src, pg_url, "--id-map", idmap, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["counts"]["prompts"] == {"source": 2, "copied": 2, "already_there": 0, "failed": 0}
    assert out["counts"]["prompt_versions"]["copied"] == 3
    ids = json.loads(idmap.read_text())
    assert ids["experiments"][exp] != exp
    view = _prompt_view(pg_url)
    assert view == _prompt_view(src)
    assert [v[0] for v in view["greet"]["versions"]] == [1, 3] and view["greet"]["aliases"] == {"production": 3}
    assert view["greet"]["experiments"] == ["prompt work"]
    r2 = cli("copy", src, pg_url, "--id-map", idmap, "--json")
    assert r2.exit_code == 0, r2.output
    again = json.loads(r2.stdout)["counts"]
    assert again["prompts"]["already_there"] == 2 and again["prompt_versions"]["already_there"] == 3
    assert _prompt_view(pg_url) == view
