"""Log a nearest-neighbour classifier with the default sklearn serialization and serve it.

MLflow 2 idioms used here: ``artifact_path=`` and relying on the default
``serialization_format`` of ``mlflow.sklearn.log_model`` (cloudpickle on 2.x; skops on 3.9+,
which refuses the KD-tree types this model contains unless they are trusted explicitly).
"""

import mlflow
import mlflow.sklearn
import numpy as np
from sklearn.datasets import make_blobs
from sklearn.neighbors import KNeighborsClassifier

X, y = make_blobs(n_samples=150, centers=3, n_features=4, random_state=5)
knn = KNeighborsClassifier(n_neighbors=5, algorithm="kd_tree").fit(X[:120], y[:120])

with mlflow.start_run(run_name="knn-blobs"):
    model_info = mlflow.sklearn.log_model(
        knn, artifact_path="knn", input_example=X[:2], pip_requirements=["scikit-learn"]
    )

served = mlflow.pyfunc.load_model(model_info.model_uri)
predictions = served.predict(X[120:])

assert predictions.shape == (30,), predictions.shape
assert np.array_equal(predictions, knn.predict(X[120:]))
assert (predictions == y[120:]).mean() > 0.9
print(f"ok: {len(predictions)} predictions")
