"""The schema cache: MLflow's schema as its migrations make it, replayed from pg_dump's SQL of a fresh
migration; the replay's catalog is the migration's, as pg_dump prints both; an entry not private to this
user is not used."""

from __future__ import annotations

import re
import subprocess

import pytest
import sqlalchemy as sa

from migrator import schema
from migrator.stores import parse_store, pg_db
from migrator.stores import pg_schema_cache as cache
from migrator.stores.pg_archive import find_pg_dump, pg_args


def _dump(url: str, name: str) -> str:
    args, env = pg_args(parse_store(url))
    out = subprocess.run([find_pg_dump(16), *args, "--schema", name, "--inserts", "--no-owner"], capture_output=True,
                         text=True, env=env, check=True).stdout
    return out.replace(name, "S")


@pytest.mark.parametrize("kind", [schema.TRACKING, schema.AUTH])
def test_a_replayed_schema_is_the_migrated_one(kind, pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    eng = sa.create_engine(pg_url)
    with eng.connect() as conn:
        for n in ("made", "replayed"):
            conn.exec_driver_sql(f"CREATE SCHEMA {n}")
        conn.exec_driver_sql("SET search_path = made")
        conn.commit()
        with conn.begin():
            pg_db.migrate_in_transaction(conn, kind)
        cache.record(parse_store(pg_url), conn, kind, "made")
        conn.rollback()
        conn.exec_driver_sql("SET search_path = replayed")
        conn.commit()
        with conn.begin():
            assert cache.replay(conn, kind, "replayed")
        assert pg_db.revision(conn, kind) == schema.installed_head(kind)
        assert conn.exec_driver_sql("SHOW search_path").scalar() == "replayed"  # no setting of the dump left
    eng.dispose()
    files = list((tmp_path / "cache" / "schemas").iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "cache" / "schemas").stat().st_mode & 0o777 == 0o700
    made, replayed = _dump(pg_url, "made"), _dump(pg_url, "replayed")
    assert len(re.findall(r"^CREATE (TABLE|INDEX|UNIQUE INDEX|SEQUENCE)", made, re.M)) > (30 if kind == schema.TRACKING else 5)
    assert made == replayed


def test_an_entry_others_may_write_is_not_used(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    eng = sa.create_engine(pg_url)
    with eng.connect() as conn:
        conn.exec_driver_sql("CREATE SCHEMA made; CREATE SCHEMA other; SET search_path = made")
        conn.commit()
        with conn.begin():
            pg_db.migrate_in_transaction(conn, schema.AUTH)
        cache.record(parse_store(pg_url), conn, schema.AUTH, "made")
        conn.rollback()
        entry = next((tmp_path / "cache" / "schemas").iterdir())
        entry.chmod(0o666)
        with conn.begin():
            assert not cache.replay(conn, schema.AUTH, "other")
        entry.chmod(0o600)
        monkeypatch.setenv("MIGRATOR_SCHEMA_CACHE", "off")
        with conn.begin():
            assert not cache.replay(conn, schema.AUTH, "other")
    eng.dispose()
