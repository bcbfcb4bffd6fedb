"""Train, gate and export a wine classifier, importing MLflow under other names.

MLflow 2 idioms used here, all reached through aliases (``import mlflow as mf``,
``from mlflow import pyfunc as pf``, ``from ... import ... as ...``): ``artifact_path=``,
``active_run().info.run_uuid``, ``MetricThreshold(higher_is_better=...)`` and its
``.higher_is_better`` attribute, ``mf.evaluate``, and ``example_no_conversion=`` on
``pyfunc.save_model``.
"""

import os
import tempfile

import mlflow as mf
import numpy as np
import pandas as pd
from mlflow import pyfunc as pf
from mlflow.models import MetricThreshold as Threshold
from mlflow.sklearn import log_model as log_sklearn_model
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_wine(return_X_y=True, as_frame=True)
holdout = X.iloc[::4].assign(label=y.iloc[::4])
X_train, y_train = X.drop(index=holdout.index), y.drop(index=holdout.index)

accuracy_gate = Threshold(threshold=0.85, higher_is_better=True)


class TopClassWithConfidence(pf.PythonModel):
    """Serving wrapper returning the predicted class and its probability."""

    def __init__(self, pipeline):
        self.pipeline = pipeline

    def predict(self, context, model_input, params=None):
        proba = self.pipeline.predict_proba(model_input)
        return pd.DataFrame({"label": proba.argmax(axis=1), "confidence": proba.max(axis=1)})


with mf.start_run(run_name="logreg") as run:
    run_id = mf.active_run().info.run_uuid
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=500))
    pipeline.fit(X_train, y_train)
    info = log_sklearn_model(pipeline, artifact_path="wine_logreg", pip_requirements=["scikit-learn"])

    result = mf.evaluate(
        info.model_uri,
        holdout,
        targets="label",
        model_type="classifier",
        evaluator_config={"log_model_explainability": False},
    )
    mf.validate_evaluation_results({"accuracy_score": accuracy_gate}, result)
    direction = "higher" if accuracy_gate.higher_is_better else "lower"
    mf.set_tag("gate", f"accuracy_score {direction} than {accuracy_gate.threshold}")

export_dir = os.path.join(tempfile.mkdtemp(), "wine_logreg")
pf.save_model(
    export_dir,
    python_model=TopClassWithConfidence(pipeline),
    input_example=X.head(3),
    example_no_conversion=True,
    pip_requirements=["scikit-learn", "pandas"],
)
served = pf.load_model(export_dir).predict(holdout[X.columns])

finished = mf.get_run(run_id)
assert finished.data.tags["gate"] == "accuracy_score higher than 0.85", finished.data.tags
assert result.metrics["accuracy_score"] >= 0.85, result.metrics
assert served.shape == (len(holdout), 2), served.shape
assert np.array_equal(served["label"].to_numpy(), pipeline.predict(holdout[X.columns]))
assert ((served["confidence"] > 0) & (served["confidence"] <= 1)).all()
print(f"ok: run {run_id} accuracy={result.metrics['accuracy_score']:.3f}")
