"""Build sample_data/auth_v3_1/ with MLflow 3.1.4: a tracking store and a basic-auth database in the
pre-3.6 layout (auth tables, no alembic_version_auth), made by a real `mlflow server --app-name basic-auth`
through its REST API. It tests the legacy path: MLflow's own auth migrations stamp and upgrade it.

    python sample_data/make_auth_v3_1.py      # a throwaway venv with mlflow[auth]==3.1.4, about 2 minutes

Users (passwords in USERS) and what the old server let them do (PERMISSIONS) are read by the tests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "auth_v3_1"
ADMIN = ("admin", "admin-password-3-1")
USERS = {"reader": "reader-password-31", "editor": "editor-password-31", "boss": "boss-password-3-1x"}
# experiment "shared" and registered model "shared-model": reader READ, editor EDIT, boss MANAGE (and admin)
PERMISSIONS = {"reader": "READ", "editor": "EDIT", "boss": "MANAGE"}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_inside() -> None:
    import requests

    OUT.mkdir(exist_ok=True)
    for f in OUT.glob("*.db"):
        f.unlink()
    ini = OUT / "basic_auth.ini"
    ini.write_text(f"[mlflow]\ndefault_permission = NO_PERMISSIONS\ndatabase_uri = sqlite:///{OUT / 'basic_auth.db'}\n"
                   f"admin_username = {ADMIN[0]}\nadmin_password = {ADMIN[1]}\nauthorization_function = "
                   "mlflow.server.auth:authenticate_request_basic_auth\n")
    port = _port()
    env = {**os.environ, "MLFLOW_AUTH_CONFIG_PATH": str(ini), "MLFLOW_AUTH_ADMIN_PASSWORD": ADMIN[1],
           "MLFLOW_FLASK_SERVER_SECRET_KEY": "sample-secret-key"}
    server = subprocess.Popen([sys.executable, "-m", "mlflow", "server", "--app-name", "basic-auth",
                               "--backend-store-uri", f"sqlite:///{OUT / 'mlflow.db'}", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", "1", "--default-artifact-root", "/tmp/mlartifacts"],
                              env=env, cwd=OUT)
    base = f"http://127.0.0.1:{port}/api/2.0/mlflow"
    try:
        for _ in range(120):
            try:
                if server.poll() is None and requests.get(f"{base}/experiments/search?max_results=1", auth=ADMIN, timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)

        def post(path: str, **body: object) -> dict:
            r = requests.post(f"{base}/{path}", json=body, auth=ADMIN, timeout=10)
            r.raise_for_status()
            return r.json() if r.text else {}

        exp = post("experiments/create", name="shared")["experiment_id"]
        post("experiments/create", name="private")
        post("registered-models/create", name="shared-model")
        for user, pw in USERS.items():
            post("users/create", username=user, password=pw)
            post("experiments/permissions/create", experiment_id=exp, username=user, permission=PERMISSIONS[user])
            post("registered-models/permissions/create", name="shared-model", username=user,
                 permission=PERMISSIONS[user])
    finally:
        server.terminate()
        server.wait(30)
    ini.unlink()
    print(f"built {OUT}")


def main() -> int:
    if "--inside" in sys.argv:
        build_inside()
        return 0
    import tempfile
    import venv

    with tempfile.TemporaryDirectory(prefix="old_mlflow_venv_") as tmp:
        venv.create(tmp, with_pip=True)
        py = str(Path(tmp) / "bin" / "python")
        subprocess.run([py, "-m", "pip", "install", "-q", "mlflow[auth]==3.1.4", "sqlalchemy<2.1", "requests"], check=True)
        subprocess.run([py, __file__, "--inside"], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
