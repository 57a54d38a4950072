import re

from conftest import ROOT


def _commands(cli, args=()):
    r = cli(*args, "--help")
    assert r.exit_code == 0
    section = r.stdout.split("Commands", 1)[1] if "Commands" in r.stdout else ""
    return re.findall(r"^  ([a-z][a-z0-9-]+) {2,}\S", section, re.M)


def test_every_command_has_help_and_is_in_readme(cli):
    readme = (ROOT / "README.md").read_text()
    commands = _commands(cli)
    assert {"inspect", "sqlite-to-pg", "verify"} <= set(commands)
    for name in commands:
        r = cli(name, "--help")
        assert r.exit_code == 0
        assert f"migrator {name}" in readme, f"README lacks an example of `migrator {name}`"


def test_readme_has_setup_and_exit_codes():
    readme = (ROOT / "README.md").read_text()
    assert "pip install -e '.[dev]'" in readme
    assert "python -m pytest" in readme
    for code in ("| 0 ", "| 1 ", "| 2 ", "| 3 ", "| 4 "):
        assert code in readme


def test_every_exit_code_the_tool_can_return_is_documented():
    from migrator import errors

    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)}
    codes = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert documented == codes


def test_readme_lays_out_every_subpackage():
    readme = (ROOT / "README.md").read_text()
    layout = readme.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    packages = {p.parent.name for p in (ROOT / "migrator").glob("*/__init__.py")}
    for name in packages:
        assert f"`migrator/{name}/`" in layout, name


def _app_commands():
    from typer.main import get_command

    from migrator.cli import app

    def walk(group, prefix=""):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                yield from walk(cmd, f"{prefix}{name} ")
            else:
                yield f"{prefix}{name}", cmd

    return dict(walk(get_command(app)))


def test_every_command_and_option_is_documented():
    """docs/ holds a page per command or group with every option: an option added without documentation
    fails here (enumerated from the app itself, as sqlite-utils' test_docs does)."""
    docs = "\n".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    missing = []
    for name, cmd in _app_commands().items():
        if f"migrator {name}" not in docs and f"`{name.split()[-1]}`" not in docs:
            missing.append(f"command {name}")
        for p in cmd.params:
            if p.param_type_name != "option":
                continue
            for opt in p.opts:
                if opt.startswith("--") and opt != "--help" and opt not in docs:
                    missing.append(f"{name} {opt}")
    assert not missing, missing


def test_readme_is_one_guided_path_of_at_most_250_lines():
    readme = (ROOT / "README.md").read_text()
    assert readme.count("\n") <= 250
    guided = readme.split("## The guided path", 1)[1].split("\n## ", 1)[0]
    for step in ("migrator sqlite-to-pg", "mlflow server", "migrator schedule", "migrator restore"):
        assert step in guided, step
