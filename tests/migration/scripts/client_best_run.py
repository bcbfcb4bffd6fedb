"""Sweep a hyper-parameter, pick the best run with MlflowClient and register its model.

MLflow 2 idioms used here: ``artifact_path=``, ``.info.run_uuid`` on runs from
``search_runs(output_format="list")`` and from ``client.get_run``, and a ``runs:/`` model URI
passed to ``load_model`` and ``register_model``.
"""

import mlflow
import mlflow.sklearn
import numpy as np
from mlflow import MlflowClient
from sklearn.datasets import make_regression
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error

X, y = make_regression(n_samples=120, n_features=5, noise=8.0, random_state=3)
X_train, X_valid, y_train, y_valid = X[:90], X[90:], y[:90], y[90:]

client = MlflowClient()
experiment_id = client.create_experiment("ridge-sweep")

for alpha in [0.01, 10.0, 300.0]:
    with mlflow.start_run(experiment_id=experiment_id, run_name=f"alpha={alpha}"):
        model = Ridge(alpha=alpha).fit(X_train, y_train)
        rmse = mean_squared_error(y_valid, model.predict(X_valid)) ** 0.5
        mlflow.log_param("alpha", alpha)
        mlflow.log_metric("rmse", rmse)
        mlflow.sklearn.log_model(model, artifact_path="model", pip_requirements=["scikit-learn"])

best_run_id = None
best_rmse = float("inf")
seen = []
for run in mlflow.search_runs(experiment_ids=[experiment_id], output_format="list"):
    details = client.get_run(run.info.run_uuid)
    seen.append(details.info.run_uuid)
    if details.data.metrics["rmse"] < best_rmse:
        best_rmse = details.data.metrics["rmse"]
        best_run_id = details.info.run_uuid

model_uri = f"runs:/{best_run_id}/model"
best_model = mlflow.sklearn.load_model(model_uri)
version = mlflow.register_model(model_uri, "ridge-regressor")
client.set_registered_model_alias("ridge-regressor", "champion", version.version)

champion = mlflow.pyfunc.load_model("models:/ridge-regressor@champion")
best_params = client.get_run(best_run_id).data.params

assert len(seen) == 3 and len(set(seen)) == 3, seen
assert best_params["alpha"] == "0.01", best_params
assert str(version.version) == "1", version
assert best_model.predict(X_valid).shape == (len(X_valid),)
assert np.allclose(champion.predict(X_valid), best_model.predict(X_valid))
print(f"ok: best run {best_run_id} rmse={best_rmse:.2f} registered as version {version.version}")
