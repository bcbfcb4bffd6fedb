"""Train a small classifier, track it and reload the logged model inside the run.

MLflow 2 idioms used here: ``run.info.run_uuid``, ``artifact_path`` given positionally,
``ModelInfo.signature_dict`` and loading the model back from ``mlflow.get_artifact_uri``.
"""

import json

import mlflow
import mlflow.sklearn
import numpy as np
from mlflow.models import infer_signature
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

X, y = load_iris(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=7)

mlflow.set_experiment("iris-tracking")

with mlflow.start_run(run_name="logreg") as run:
    run_id = run.info.run_uuid
    params = {"C": 0.5, "max_iter": 300}
    mlflow.log_params(params)

    clf = LogisticRegression(**params).fit(X_train, y_train)
    accuracy = float((clf.predict(X_test) == y_test).mean())
    mlflow.log_metric("accuracy", accuracy)

    signature = infer_signature(X_train, clf.predict(X_train))
    model_info = mlflow.sklearn.log_model(
        clf, "model", signature=signature, pip_requirements=["scikit-learn", "pandas"]
    )
    logged_signature = model_info.signature_dict

    reloaded = mlflow.sklearn.load_model(mlflow.get_artifact_uri("model"))
    predictions = reloaded.predict(X_test)

finished = mlflow.get_run(run_id)
assert finished.info.status == "FINISHED", finished.info.status
assert finished.data.params == {"C": "0.5", "max_iter": "300"}, finished.data.params
assert abs(finished.data.metrics["accuracy"] - accuracy) < 1e-12
assert accuracy > 0.8, accuracy
assert predictions.shape == (len(X_test),), predictions.shape
assert np.array_equal(predictions, clf.predict(X_test))
input_names = [col["name"] for col in json.loads(logged_signature["inputs"])]
assert input_names == list(X.columns), input_names
print(f"ok: run {run_id} accuracy={accuracy:.3f}")
