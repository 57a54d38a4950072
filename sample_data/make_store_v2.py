"""Build sample_data/mlflow_v2.db with MLflow 2.x, to test the upgrade path on a real old schema.

MLflow 2.x needs sqlalchemy<2.1, so this script makes a throwaway virtual environment,
installs MLflow 2.22 there and re-runs itself inside it:

    python sample_data/make_store_v2.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from old_mlflow import build_in_venv

HERE = Path(__file__).resolve().parent
DB = HERE / "mlflow_v2.db"


def log_everything() -> None:
    import mlflow
    import numpy as np
    import pandas as pd
    from mlflow import MlflowClient
    from sklearn.linear_model import LogisticRegression

    # The client writes straight to SQLite, as many 2.x users did; artifacts go to a local folder.
    art_root = Path(tempfile.mkdtemp(prefix="mlruns_v2_"))
    uri = f"sqlite:///{DB}"
    mlflow.set_tracking_uri(uri)
    client = MlflowClient(uri)
    exp = client.create_experiment("legacy-exp", artifact_location=f"file://{art_root}/1", tags={"era": "2.x"})
    gone = client.create_experiment("legacy-deleted", artifact_location=f"{art_root}/2")
    client.delete_experiment(gone)
    mlflow.set_experiment(experiment_id=exp)
    X = np.array([[0.0, 1.0], [1.0, 0.0]] * 4)
    y = np.array([0, 1] * 4)
    with mlflow.start_run(run_name="old-parent") as parent:
        with mlflow.start_run(run_name="old-child", nested=True):
            mlflow.log_params({"alpha": 0.5, "name": "naïve"})
            for step in range(10):
                mlflow.log_metric("rmse", 1.0 / (step + 1), step=step)
            mlflow.log_metric("weird", float("nan"))
            mlflow.log_metric("weird", float("inf"), step=1)
            mlflow.log_metric("weird", float("-inf"), step=2)
        ds = mlflow.data.from_pandas(pd.DataFrame(X, columns=["a", "b"]), name="old-ds")
        mlflow.log_input(ds, context="eval")
        model = LogisticRegression().fit(X, y)
        info = mlflow.sklearn.log_model(model, artifact_path="model")
        mlflow.set_tag("mlflow.note.content", "legacy")
    with mlflow.start_run(run_name="old-failed") as failed:
        mlflow.log_metric("loss", 3.0)
    client.set_terminated(failed.info.run_id, "FAILED")
    with mlflow.start_run(run_name="old-deleted") as d:
        mlflow.log_param("x", 1)
    client.delete_run(d.info.run_id)
    name = "legacy-model"
    client.create_registered_model(name, tags={"t": "1"}, description="old registry")
    client.create_model_version(name, info.model_uri, run_id=parent.info.run_id, tags={"v": "1"})
    client.create_model_version(name, f"{art_root}/1/{parent.info.run_id}/artifacts/model", run_id=parent.info.run_id)
    client.set_registered_model_alias(name, "prod", "1")
    client.transition_model_version_stage(name, "2", "Staging")

    @mlflow.trace(name="legacy-trace")
    def f(x):
        return x + 1

    f(1)


def main() -> int:
    if "--inside" in sys.argv:
        log_everything()
        return 0
    build_in_venv(__file__, DB, ["mlflow==2.22.*", "sqlalchemy<2.1", "scikit-learn", "pandas"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
