"""The installed MLflow's revision chains, read from its migration files without importing them, are the
chains alembic walks; reading them does not import MLflow."""

from __future__ import annotations

import subprocess
import sys

import pytest

from migrator import schema


@pytest.mark.parametrize("kind", [schema.TRACKING, schema.AUTH])
def test_the_static_chain_is_alembics(kind: str) -> None:
    static = schema._static_chain(kind)
    assert static is not None, "the migration files no longer make one chain: alembic reads them instead"
    walked = tuple(reversed([r.revision for r in schema.script(kind).walk_revisions()]))
    assert static == walked
    assert schema.installed_head(kind) == schema.script(kind).get_current_head()


def test_the_version_and_heads_do_not_import_mlflow() -> None:
    code = ("import sys; from migrator import schema; "
            "print(schema.installed_mlflow_version(), schema.installed_head(), schema.installed_head('auth'), "
            "'mlflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    import mlflow

    assert out[0] == mlflow.__version__
    assert out[1] == schema.script(schema.TRACKING).get_current_head()
    assert out[2] == schema.script(schema.AUTH).get_current_head()
    assert out[3] == "False"
