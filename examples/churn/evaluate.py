"""Validate a candidate churn model against the current baseline."""

import mlflow
import numpy as np
import pandas as pd
from mlflow.models import MetricThreshold, make_metric


def recall_at_top(eval_df, _builtin_metrics):
    top = eval_df.sort_values("prediction", ascending=False).head(20)
    return float(np.mean(top["target"]))


top_recall = make_metric(eval_fn=recall_at_top, greater_is_better=True, name="top_recall")

data = pd.DataFrame({"x": np.arange(40.0), "target": np.arange(40) % 2})

thresholds = {
    "accuracy_score": MetricThreshold(threshold=0.6, higher_is_better=True),
}

with mlflow.start_run():
    result = mlflow.evaluate(
        "models:/churn/2",
        data,
        targets="target",
        model_type="classifier",
        custom_metrics=[top_recall],
        baseline_model="models:/churn/1",
        validation_thresholds=thresholds,
    )
    print(thresholds["accuracy_score"].higher_is_better)
