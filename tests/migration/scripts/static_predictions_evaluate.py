"""Evaluate stored predictions of a classifier (no model object) and keep the report artifacts.

MLflow 2 idiom used here: ``from mlflow import evaluate``.
"""

import mlflow
from mlflow import evaluate
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

frame = load_breast_cancer(as_frame=True).frame
train, test = train_test_split(frame, test_size=0.25, random_state=11, stratify=frame["target"])
features = [c for c in frame.columns if c != "target"]

clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
clf.fit(train[features], train["target"])

scored = test.assign(predicted=clf.predict(test[features]))[["target", "predicted"]]

with mlflow.start_run(run_name="offline-scoring") as run:
    result = evaluate(
        data=scored,
        targets="target",
        predictions="predicted",
        model_type="classifier",
    )

logged = mlflow.get_run(run.info.run_id).data.metrics
assert result.metrics["accuracy_score"] > 0.9, result.metrics
assert abs(logged["f1_score"] - result.metrics["f1_score"]) < 1e-12, logged
assert result.metrics["example_count"] == len(scored)
assert "confusion_matrix" in result.artifacts, sorted(result.artifacts)
print(f"ok: accuracy={result.metrics['accuracy_score']:.3f}")
