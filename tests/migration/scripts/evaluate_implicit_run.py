"""Train a classifier, log it (letting log_model start the run) and evaluate it.

MLflow 2 idioms used here: ``log_model`` outside ``start_run`` followed by code that uses the
run it implicitly started (``log_metric``, ``active_run()``), a positional ``artifact_path``,
the sklearn default serialization, and ``mlflow.evaluate`` (moved to
``mlflow.models.evaluate``).
"""

import mlflow
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

mlflow.set_experiment("iris-classifier")
X, y = load_iris(return_X_y=True, as_frame=True)
model = LogisticRegression(max_iter=500).fit(X, y)

info = mlflow.sklearn.log_model(model, "iris-model")
mlflow.log_metric("train_accuracy", model.score(X, y))
run = mlflow.active_run()
assert run is not None, "log_model did not start a run"
run_id = run.info.run_id
assert info.run_id == run_id, "the model and the metric are in different runs"
mlflow.end_run()

eval_data = X.assign(label=y)
result = mlflow.evaluate(
    info.model_uri,
    eval_data,
    targets="label",
    model_type="classifier",
)
assert result.metrics["accuracy_score"] > 0.9, result.metrics
logged = mlflow.get_run(run_id)
assert logged.data.metrics["train_accuracy"] > 0.9
print("ok: accuracy", round(result.metrics["accuracy_score"], 3), "run", run_id)
