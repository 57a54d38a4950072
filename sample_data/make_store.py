"""Build sample_data/mlflow.db + sample_data/mlartifacts the way a real user does.

Starts `mlflow server --backend-store-uri sqlite:///... --artifacts-destination ...`
on 127.0.0.1 and logs everything through it over HTTP.

    python sample_data/make_store.py            # rebuilds both, in place
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("mlflow server exited early")
        try:
            urllib.request.urlopen(url + "/health", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("mlflow server did not start")


def log_everything(tracking_uri: str) -> None:
    import mlflow
    import numpy as np
    import pandas as pd
    from mlflow import MlflowClient
    from sklearn.linear_model import LogisticRegression

    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    client = MlflowClient(tracking_uri, registry_uri=tracking_uri)

    exp_a = client.create_experiment("iris-classifier", tags={"team": "vision", "priority": "high"})
    exp_b = client.create_experiment("ünïcode-експеримент 🚀", tags={"note": "tabs\there\nand newlines"})
    exp_gone = client.create_experiment("abandoned")
    client.delete_experiment(exp_gone)

    X = np.array([[0.1, 1.2], [1.3, 0.2], [0.4, 1.1], [1.5, 0.1]] * 5)
    y = np.array([0, 1, 0, 1] * 5)
    df = pd.DataFrame(X, columns=["f1", "f2"]).assign(label=y)

    mlflow.set_experiment(experiment_id=exp_a)
    with mlflow.start_run(run_name="parent-sweep"):
        mlflow.set_tag("sweep", "grid")
        for c in (0.1, 1.0):
            with mlflow.start_run(run_name=f"child-C{c}", nested=True):
                mlflow.log_param("C", c)
                mlflow.log_param("solver", "lbfgs")
                for step in range(20):
                    mlflow.log_metric("loss", 1.0 / (step + 1) + c, step=step)
                mlflow.log_metric("special", float("nan"), step=0)
                mlflow.log_metric("special", float("inf"), step=1)
                mlflow.log_metric("special", float("-inf"), step=2)
                mlflow.log_metric("special", -0.0, step=3)
                mlflow.log_metric("special", 1e-310, step=4)
        mlflow.log_metric("best_loss", 0.123456789012345678)

    with mlflow.start_run(run_name="trained-model") as run:
        dataset = mlflow.data.from_pandas(df, name="iris-mini", targets="label")
        mlflow.log_input(dataset, context="training", tags={"split": "train"})
        model = LogisticRegression(C=1.0).fit(X, y)
        mlflow.log_params({"C": 1.0, "max_iter": 100, "long": "x" * 6000})
        mlflow.log_metric("accuracy", 0.95)
        mlflow.log_text("trained on iris-mini\n", "notes/summary.txt")
        mlflow.set_tags({"mlflow.note.content": "A *markdown* note", "quote": "it's \"quoted\" \\ back"})
        info = mlflow.sklearn.log_model(model, name="model", input_example=X[:2])
        model_run_id = run.info.run_id

    with mlflow.start_run(run_name="crashed"):
        mlflow.log_param("will_fail", True)
        mlflow.log_metric("loss", 2.5)
    client.set_terminated(mlflow.last_active_run().info.run_id, status="FAILED")

    with mlflow.start_run(run_name="to-delete") as run_del:
        mlflow.log_metric("loss", 9.0)
    client.delete_run(run_del.info.run_id)

    # registered model with several versions, tags, an alias and a stage
    name = "iris-model"
    client.create_registered_model(name, tags={"owner": "ml-team"}, description="Iris classifier")
    v1 = mlflow.register_model(info.model_uri, name, tags={"validated": "no"})
    v2 = mlflow.register_model(info.model_uri, name)
    client.update_model_version(name, v2.version, description="second")
    client.set_model_version_tag(name, v2.version, "validated", "yes")
    client.set_registered_model_alias(name, "champion", v2.version)
    client.transition_model_version_stage(name, v1.version, "Archived")
    mlflow.register_model(info.model_uri, name)  # version 3
    assert model_run_id

    # a logged model outside of any run + a trace
    mlflow.set_experiment(experiment_id=exp_b)
    lm = mlflow.initialize_logged_model(name="standalone-model", tags={"kind": "prompt"})
    mlflow.log_model_params({"temperature": "0.2"}, model_id=lm.model_id)
    client.finalize_logged_model(lm.model_id, "READY")

    @mlflow.trace(name="predict")
    def predict(x: float) -> float:
        with mlflow.start_span(name="inner") as span:
            span.set_attribute("x", x)
            return x * 2

    with mlflow.start_run(run_name="traced"):
        predict(21.0)
    mlflow.flush_trace_async_logging() if hasattr(mlflow, "flush_trace_async_logging") else None


def main() -> int:
    db = HERE / "mlflow.db"
    art = HERE / "mlartifacts"
    for p in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        p.unlink(missing_ok=True)
    shutil.rmtree(art, ignore_errors=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, MLFLOW_ENABLE_ASYNC_TRACE_LOGGING="false")
    cwd = HERE
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", "sqlite:///mlflow.db", "--artifacts-destination", "./mlartifacts",
         "--workers", "1"],
        cwd=cwd, env=env,
    )
    try:
        _wait(url, proc)
        os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = "false"
        log_everything(url)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    print(f"built {db} ({db.stat().st_size} bytes) and {art}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
