"""Build a sample store with an old MLflow release: a throwaway virtual environment with the release
(and the pins of its time) installed, in which the calling script re-runs itself with --inside."""

from __future__ import annotations

import subprocess
import tempfile
import venv
from pathlib import Path


def build_in_venv(script: str, db: Path, packages: list[str]) -> None:
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="old_mlflow_venv_") as tmp:
        venv.create(tmp, with_pip=True)
        py = str(Path(tmp) / "bin" / "python")
        subprocess.run([py, "-m", "pip", "install", "-q", *packages], check=True)
        subprocess.run([py, script, "--inside"], check=True)
    print(f"built {db} ({db.stat().st_size} bytes)")
