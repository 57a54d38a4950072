"""No password in any output, for every option of every command, enumerated from the Typer app itself (a new
option is checked without a line here; a new command needs its base call in BASE). Each text option gets a URL
with a password, each store argument an unreachable URL with one; whatever the command answers (an error, a
plan, a printed unit file), the password never appears and nothing ends in a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE
from typer.main import get_command

from migrator.cli import app

SECRET = "pw0fBob"
URLS = [f"postgresql://bob:{SECRET}@127.0.0.1:1/db", f"https://bob:{SECRET}@127.0.0.1:1/ping",
        f"s3://bucket/x?password={SECRET}"]
ART = SAMPLE.parent / "mlartifacts"

# how each command is called so that its options are read (values that fail fast: unreachable servers)
BASE = {
    "inspect": lambda r: [r / "s.db"],
    "sqlite-to-pg": lambda r: [r / "s.db", "postgresql://bob@127.0.0.1:1/db"],
    "move": lambda r: [r / "s.db", "postgresql://bob@127.0.0.1:1/db"],
    "copy": lambda r: [r / "s.db", "postgresql://bob@127.0.0.1:1/db"],
    "verify": lambda r: [r / "s.db", "postgresql://bob@127.0.0.1:1/db"],
    "rewrite-artifacts": lambda r: [r / "s.db", "--dry-run"],
    "upgrade": lambda r: [r / "s.db", "--rehearse"],
    "backup": lambda r: [r / "s.db", "--dest", r / "bk"],
    "restore": lambda r: [r / "nobk", r / "r.db"],
    "schedule": lambda r: [r / "s.db", "--dest", r / "bk", "--at", "03:00"],
    "backups list": lambda r: [r / "nobk"],
    "backups prune": lambda r: [r / "nobk", "--keep-daily", "1"],
    "artifacts copy": lambda r: [r / "s.db", "--artifacts-destination", ART, "--dry-run"],
    "artifacts verify": lambda r: [r / "s.db", "--artifacts-destination", ART],
    "embedded start": lambda r: [r / "s.db"],  # a file: refused before anything starts
    "embedded status": lambda r: [r / "nopg"],
    "embedded stop": lambda r: [r / "nopg"],
}


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    """The app's commands by their full name (Typer may bundle its own click: duck-typed)."""
    out: dict[str, Any] = {}
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            out.update(_commands(cmd, f"{prefix}{name} "))
        else:
            out[f"{prefix}{name}"] = cmd
    return out


COMMANDS = _commands(get_command(app))  # type: ignore[arg-type]


def _value_options(cmd: Any) -> list[str]:
    """Every option that takes a value (a number too: an invalid value is echoed in the usage error)."""
    return [max(p.opts, key=len) for p in cmd.params
            if p.param_type_name == "option" and not p.is_flag and not getattr(p, "count", False)]


def test_every_command_has_a_base_call():
    assert set(COMMANDS) == set(BASE), "add the new command's base call to BASE"


CASES = [(name, opt) for name, cmd in sorted(COMMANDS.items()) for opt in _value_options(cmd)]


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # --pg-dump is passed on to pg_dump's finder through the environment (one process in real use): undone
    # after each case here, where every command runs in this process
    monkeypatch.setenv("MIGRATOR_PG_DUMP", "")
    monkeypatch.delenv("MIGRATOR_PG_DUMP")
    shutil.copy(SAMPLE, tmp_path / "s.db")
    return tmp_path


@pytest.mark.parametrize("command,option", CASES, ids=[f"{c}:{o}" for c, o in CASES])
def test_no_password_is_echoed_from_any_option(cli, root, command, option):
    base = [str(a) for a in BASE[command](root)]
    for url in URLS:
        r = cli(*command.split(), *base, option, url)
        assert SECRET not in r.output, f"{command} {option} {url}: {r.output}"
        assert "Traceback" not in r.output


@pytest.mark.parametrize("command", sorted(c for c in BASE if c.split()[0] not in ("schedule", "embedded")))
def test_no_password_is_echoed_from_a_store_argument(cli, root, command):
    base = [str(a) for a in BASE[command](root)]
    for url in URLS[:1]:
        r = cli(*command.split(), url, *base[1:])
        assert SECRET not in r.output, f"{command} {url}: {r.output}"
        assert "Traceback" not in r.output
    assert len(CASES) >= 40 and Path(root / "s.db").exists()
