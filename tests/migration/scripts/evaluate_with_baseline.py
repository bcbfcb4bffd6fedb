"""Evaluate a regression model against a baseline and gate it with validation thresholds.

MLflow 2 idioms used here: ``mlflow.evaluate`` with ``custom_metrics=``, ``baseline_model=`` and
``validation_thresholds=``, and ``MetricThreshold(higher_is_better=...)``.
"""

import mlflow
import mlflow.sklearn
import numpy as np
from mlflow.models import MetricThreshold, infer_signature, make_metric
from mlflow.models.evaluation.validation import ModelValidationFailedException
from sklearn.datasets import load_diabetes
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge


def within_25_percent(eval_df, _builtin_metrics):
    """Share of predictions within 25% of the target."""
    relative_error = np.abs(eval_df["prediction"] - eval_df["target"]) / np.abs(eval_df["target"])
    return float((relative_error <= 0.25).mean())


hit_rate = make_metric(eval_fn=within_25_percent, greater_is_better=True, name="hit_rate_25")

data = load_diabetes(as_frame=True).frame
train, test = data.iloc[:300], data.iloc[300:].reset_index(drop=True)
features = [c for c in data.columns if c != "target"]

candidate = Ridge(alpha=0.1).fit(train[features], train["target"])
baseline = DummyRegressor(strategy="mean").fit(train[features], train["target"])


def passes_gate(candidate_uri, baseline_uri, thresholds):
    """Evaluate the candidate against the baseline; False when a threshold is not met."""
    try:
        mlflow.evaluate(
            candidate_uri,
            test,
            targets="target",
            model_type="regressor",
            evaluator_config={"log_model_explainability": False},
            custom_metrics=[hit_rate],
            baseline_model=baseline_uri,
            validation_thresholds=thresholds,
        )
    except ModelValidationFailedException as exc:
        print("rejected:", str(exc).splitlines()[0])
        return False
    return True


usual_gate = {
    "r2_score": MetricThreshold(threshold=0.3, min_absolute_change=0.1, higher_is_better=True),
    "hit_rate_25": MetricThreshold(threshold=0.2, higher_is_better=True),
}
impossible_gate = {"hit_rate_25": MetricThreshold(threshold=0.99, higher_is_better=True)}

with mlflow.start_run(run_name="ridge-vs-mean") as run:
    requirements = ["scikit-learn", "pandas"]
    signature = infer_signature(train[features], candidate.predict(train[features]))
    candidate_info = mlflow.sklearn.log_model(
        candidate, artifact_path="candidate", signature=signature, pip_requirements=requirements
    )
    baseline_info = mlflow.sklearn.log_model(
        baseline, artifact_path="baseline", signature=signature, pip_requirements=requirements
    )
    accepted = passes_gate(candidate_info.model_uri, baseline_info.model_uri, usual_gate)
    too_strict = passes_gate(candidate_info.model_uri, baseline_info.model_uri, impossible_gate)
    mlflow.set_tag("accepted", str(accepted))

assert accepted is True
assert too_strict is False
client = mlflow.MlflowClient()
r2_values = [m.value for m in client.get_metric_history(run.info.run_id, "r2_score")]
hit_rates = [m.value for m in client.get_metric_history(run.info.run_id, "hit_rate_25")]
# Candidate and baseline are both evaluated into this run: the candidate is clearly better.
assert max(r2_values) > 0.3, r2_values
assert min(r2_values) < 0.05, r2_values
assert 0.2 <= max(hit_rates) < 0.99, hit_rates
print(f"ok: r2={max(r2_values):.3f} hit_rate={max(hit_rates):.3f}")
