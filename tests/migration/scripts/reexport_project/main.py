"""Train a digits classifier and log it through the project's helper module.

MLflow 2 idioms used here: ``log_model`` re-exported by ``helpers``, with ``artifact_path`` and
several later arguments given positionally (conda_env, code_paths, serialization_format,
registered_model_name, signature).
"""

import numpy as np
from helpers import DEFAULT_REQUIREMENTS, load_model, log_model, start_tracked_run
from mlflow.models import infer_signature
from sklearn.datasets import load_digits
from sklearn.tree import DecisionTreeClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = X[:1200], X[1200:], y[:1200], y[1200:]

with start_tracked_run("tree") as run:
    tree = DecisionTreeClassifier(max_depth=8, random_state=0).fit(X_train, y_train)
    signature = infer_signature(X_test[:5], tree.predict(X_test[:5]))
    conda_env = {
        "name": "digits",
        "channels": ["conda-forge"],
        "dependencies": ["python=3.11", "pip", {"pip": ["mlflow"] + DEFAULT_REQUIREMENTS}],
    }
    info = log_model(tree, "digits_tree", conda_env, None, "cloudpickle", "digits-tree", signature)

restored = load_model(info.model_uri)
predictions = restored.predict(X_test)

assert info.run_id == run.info.run_id
assert info.flavors["sklearn"]["serialization_format"] == "cloudpickle", info.flavors
assert info.signature.inputs.to_dict()[0]["type"] == "tensor", info.signature
assert info.registered_model_version == 1, info.registered_model_version
assert predictions.shape == y_test.shape
assert np.array_equal(predictions, tree.predict(X_test))
print(f"ok: accuracy={(predictions == y_test).mean():.3f}")
