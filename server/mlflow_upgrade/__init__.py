"""mlflow-upgrade: find, explain and fix MLflow 2 code that MLflow 3 breaks."""

__version__ = "0.1.0"
