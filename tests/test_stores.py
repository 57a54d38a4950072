import pytest

from migrator.errors import StoreError
from migrator.stores import parse_store, redact


@pytest.mark.parametrize("address", ["postgresql://u:pw@h:5432/db", "postgres://u:pw@h:5432/db",
                                     "postgresql+psycopg2://u:pw@h:5432/db"])
def test_postgres_spellings_normalised(address):
    s = parse_store(address)
    assert s.kind == "postgresql" and s.url == "postgresql+psycopg2://u:pw@h:5432/db"
    assert s.redacted == "postgresql+psycopg2://u:***@h:5432/db"


def test_sqlite_forms(tmp_path):
    p = tmp_path / "x.db"
    assert parse_store(str(p)).path == p
    assert parse_store(f"sqlite:///{p}").path == p
    assert parse_store(f"sqlite:///{p}").url == f"sqlite:///{p}"


def test_redact_every_url_in_text():
    text = "a postgresql://bob:hunter2@db/x and postgres://al:p%40ss@h/y"
    out = redact(text)
    assert "hunter2" not in out and "p%40ss" not in out
    assert "bob:***@db" in out and "al:***@h" in out


def test_unsupported_scheme():
    with pytest.raises(StoreError, match="unsupported store address scheme 'mysql'"):
        parse_store("mysql://u:secret@h/db")
