"""Project-wide MLflow helpers: the team imports MLflow functions from here."""

import mlflow
from mlflow.sklearn import load_model, log_model

__all__ = ["load_model", "log_model", "start_tracked_run"]

DEFAULT_REQUIREMENTS = ["scikit-learn", "numpy"]


def start_tracked_run(name):
    mlflow.set_experiment("digits")
    return mlflow.start_run(run_name=name)
