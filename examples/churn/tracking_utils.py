"""Team helpers around MLflow tracking."""

import os

import mlflow
from mlflow.sklearn import log_model  # re-exported for the training scripts
from mlflow.utils.mlflow_tags import LEGACY_MLFLOW_GIT_BRANCH_NAME

__all__ = ["log_model", "start_tagged_run", "branch_of"]

# Slow buckets: give GCS uploads more time.
os.environ.setdefault("MLFLOW_GCS_DEFAULT_TIMEOUT", "600")


def start_tagged_run(branch: str):
    run = mlflow.start_run()
    mlflow.set_tag("mlflow.gitBranchName", branch)
    return run


def branch_of(run_id: str) -> str:
    run = mlflow.get_run(run_id)
    return run.data.tags.get(LEGACY_MLFLOW_GIT_BRANCH_NAME, "unknown")
