"""Stores converted from MLflow's file store (`mlflow migrate-filestore`) carry experiment ids that
PostgreSQL's integer cannot hold: refused by default, renumbered on request, verified afterwards."""

import json
import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import error_line, pg_table_names, sha256


@pytest.fixture(scope="session")
def filestore_session(tmp_path_factory) -> Path:
    """A file store made through MlflowClient, converted by MLflow's own `migrate-filestore`."""
    import mlflow
    from mlflow import MlflowClient
    from mlflow.store.fs2db import migrate

    d = tmp_path_factory.mktemp("fs")
    old = os.environ.get("MLFLOW_ALLOW_FILE_STORE")
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    try:
        c = MlflowClient(tracking_uri=(d / "mlruns").as_uri())
        for e in range(3):
            eid = c.create_experiment(f"fs-exp-{e}", tags={"team": f"t{e}"})
            for r in range(3):
                run = c.create_run(eid, run_name=f"run-{r}")
                c.log_batch(run.info.run_id, metrics=[mlflow.entities.Metric("loss", 1.0 / (s + 1), 1000 + s, s)
                                                      for s in range(5)],
                            params=[mlflow.entities.Param("p", str(r))])
                c.set_terminated(run.info.run_id)
            c.create_logged_model(eid, name=f"model-{e}")
        c.delete_experiment(eid)
        migrate(d, f"sqlite:///{d / 'fs.db'}", progress=False)
    finally:
        if old is None:
            os.environ.pop("MLFLOW_ALLOW_FILE_STORE", None)
        else:
            os.environ["MLFLOW_ALLOW_FILE_STORE"] = old
    db = d / "fs.db"
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT experiment_id FROM experiments WHERE experiment_id > 2147483647")]
    assert len(ids) == 3, ids  # the file store's random 18-digit ids survived the conversion
    # references MLflow keeps without a foreign key: an entity association and a prompt's experiment list
    with conn:
        conn.execute("INSERT INTO entity_associations (association_id, source_type, source_id, destination_type, "
                     "destination_id, created_time) VALUES ('a1', 'evaluation_dataset', 'd-1', 'experiment', ?, 1)",
                     (str(ids[0]),))
        conn.execute("INSERT INTO registered_models (name, creation_time, last_updated_time, description) "
                     "VALUES ('prompt-1', 1, 1, '')")
        conn.execute("INSERT INTO registered_model_tags (key, value, name) VALUES "
                     "('_mlflow_experiment_ids', ?, 'prompt-1')", (f",{ids[0]},{ids[2]},",))
    # migrate-filestore leaves the store in WAL mode and MLflow may still hold it open: a plain file copy
    # could miss committed pages, so the session's store is written out through SQLite's backup API
    out = d / "store.db"
    dst = sqlite3.connect(out)
    conn.backup(dst)
    conn.close()
    dst.execute("PRAGMA journal_mode=DELETE")
    dst.close()
    return out


@pytest.fixture
def fs_store(filestore_session, tmp_path) -> Path:
    from conftest import fresh_copy

    return fresh_copy(filestore_session, tmp_path)


def test_file_store_ids_are_refused_with_the_way_out(cli, fs_store, pg_url):
    note = "3 experiment id(s) do not fit PostgreSQL's integer"
    assert any(n.startswith(note) for n in json.loads(cli("inspect", fs_store, "--json").stdout)["notes"])
    r = cli("sqlite-to-pg", fs_store, pg_url)
    assert r.exit_code == 1
    assert "3 experiment id(s) do not fit PostgreSQL's integer" in error_line(r)
    assert "--renumber-experiments" in error_line(r)
    assert pg_table_names(pg_url) == []


def test_renumbered_copy_keeps_everything_under_new_ids_and_verifies(cli, fs_store, pg_url):
    before = sha256(fs_store)
    src = sqlite3.connect(fs_store)
    old = [r[0] for r in src.execute("SELECT experiment_id FROM experiments WHERE experiment_id > 2147483647 "
                                     "ORDER BY creation_time, experiment_id")]
    runs_by_old = {e: sorted(r[0] for r in src.execute("SELECT run_uuid FROM runs WHERE experiment_id = ?", (e,)))
                   for e in old}
    names = dict(src.execute("SELECT experiment_id, name FROM experiments"))
    linked = int(src.execute("SELECT destination_id FROM entity_associations").fetchone()[0])
    prompt_ids = src.execute("SELECT value FROM registered_model_tags").fetchone()[0]
    src.close()

    r = cli("sqlite-to-pg", fs_store, pg_url, "--renumber-experiments", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    mapping = {int(k): v for k, v in out["renumbered_experiments"].items()}
    assert list(mapping) == old and list(mapping.values()) == [1, 2, 3]  # after the Default experiment 0
    assert out["verify"]["ok"]
    assert sha256(fs_store) == before

    from mlflow import MlflowClient
    from mlflow.entities import ViewType

    c = MlflowClient(tracking_uri=pg_url)
    for o, n in mapping.items():
        exp = c.get_experiment(str(n))
        assert exp.name == names[o] and exp.tags["migrator.renumbered_from"] == str(o)
        runs = c.search_runs([str(n)], run_view_type=ViewType.ALL)
        assert sorted(x.info.run_id for x in runs) == runs_by_old[o]
        assert [m.name for m in c.search_logged_models([str(n)])] == [names[o].replace("fs-exp", "model")]
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.connect() as conn:
        assert conn.exec_driver_sql("SELECT destination_id FROM entity_associations").scalar() == str(mapping[linked])
        assert conn.exec_driver_sql("SELECT value FROM registered_model_tags").scalar() == \
            ",".join(str(mapping[int(x)]) if x else "" for x in prompt_ids.split(","))
    eng.dispose()

    v = cli("verify", fs_store, pg_url, "--json")
    assert v.exit_code == 0, v.output
    checks = {x["name"]: x for x in json.loads(v.stdout)["checks"]}
    assert checks["experiment ids renumbered"]["ok"] and checks["api parity"]["ok"]
    assert int(c.create_experiment("after")) == 4  # the sequence is past the new ids


def test_verify_without_renumbering_tags_reports_the_difference(cli, fs_store, pg_url):
    assert cli("sqlite-to-pg", fs_store, pg_url, "--renumber-experiments", "--no-verify").exit_code == 0
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.begin() as conn:
        conn.exec_driver_sql("DELETE FROM experiment_tags WHERE key = 'migrator.renumbered_from' "
                             "AND experiment_id = 2")
    eng.dispose()
    v = cli("verify", fs_store, pg_url, "--json", "--sample", "0")
    assert v.exit_code == 3
    report = json.loads(v.stdout)
    assert "experiment ids renumbered" not in {x["name"] for x in report["checks"]}
    bad = {t["table"] for t in report["tables"] if t["status"] != "ok"}
    assert {"experiments", "runs"} <= bad
