"""Build sample_data/mlflow_v1.db with MLflow 1.30, to test the longest upgrade path (alembic revision
97727af70f4d, 48 migrations behind MLflow 3.17) on a store a real 1.x client wrote.

MLflow 1.x needs sqlalchemy<2 (and numpy/pandas/protobuf of its time), so this script makes a
throwaway virtual environment, installs MLflow 1.30.1 there and re-runs itself inside it:

    python sample_data/make_store_v1.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from old_mlflow import build_in_venv

HERE = Path(__file__).resolve().parent
DB = HERE / "mlflow_v1.db"


def log_everything() -> None:
    import mlflow
    from mlflow.tracking import MlflowClient

    art_root = Path(tempfile.mkdtemp(prefix="mlruns_v1_"))
    uri = f"sqlite:///{DB}"
    mlflow.set_tracking_uri(uri)
    c = MlflowClient(uri)
    last_run = None
    for e in range(2):
        eid = c.create_experiment(f"v1-exp-{e}", artifact_location=f"{art_root}/{e}")
        c.set_experiment_tag(eid, "era", "1.x")
        for r in range(3):
            run = c.create_run(eid, tags={"mlflow.runName": f"r{r}", "tabbed": "x\ty"})
            rid = run.info.run_id
            c.log_param(rid, "p", str(r))
            for s in range(10):
                c.log_metric(rid, "m", s * 0.5, step=s)
            c.log_metric(rid, "nan", float("nan"))
            c.log_metric(rid, "inf", float("inf"))
            c.log_metric(rid, "ninf", float("-inf"))
            c.set_terminated(rid, "FINISHED" if r else "FAILED")
            last_run = rid
        if e:
            c.delete_run(last_run)
    c.create_registered_model("v1-model", tags={"a": "b"}, description="1.x registry")
    mv = c.create_model_version("v1-model", f"{art_root}/0/model", run_id=last_run)
    c.transition_model_version_stage("v1-model", mv.version, "Staging")
    c.set_model_version_tag("v1-model", mv.version, "vt", "1")
    c.delete_experiment("1")


def main() -> int:
    if "--inside" in sys.argv:
        log_everything()
        return 0
    build_in_venv(__file__, DB, ["mlflow==1.30.1", "sqlalchemy<2", "numpy<2", "pandas<2", "protobuf<4"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
