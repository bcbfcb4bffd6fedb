"""Train an iris classifier and track it with MLflow 2 (café ☕)."""

import mlflow
import mlflow.sklearn
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

X, y = load_iris(return_X_y=True, as_frame=True)
model = LogisticRegression(max_iter=200).fit(X, y)

with mlflow.start_run() as run:
    mlflow.log_param("max_iter", 200)
    mlflow.sklearn.log_model(model, artifact_path="model")
    mlflow.sklearn.log_model(model, metadata={"note": "🚀 prêt"}, artifact_path="backup")
    print("logged run", run.info.run_uuid)
    result = mlflow.evaluate(
        f"runs:/{run.info.run_uuid}/model",
        X.assign(label=y),
        targets="label",
        model_type="classifier",
    )
    print(result.metrics["accuracy_score"])
