"""Train the churn classifier and log it to MLflow."""

import mlflow
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from tracking_utils import log_model, start_tagged_run

X, y = make_classification(n_samples=200, n_features=6, random_state=7)
model = LogisticRegression(max_iter=200).fit(X, y)

with start_tagged_run("main") as run:
    mlflow.log_param("max_iter", 200)
    info = log_model(model, "churn_model", input_example=X[:3])
    print("run", run.info.run_uuid)
    print("signature", info.signature_dict)

    # Reload from the run's artifacts to smoke-test the logged model.
    reloaded = mlflow.sklearn.load_model(mlflow.get_artifact_uri("churn_model"))
    print(reloaded.predict(X[:5]))

client = mlflow.MlflowClient()
for past in mlflow.search_runs(output_format="list", max_results=5):
    print(past.info.run_uuid, client.get_run(past.info.run_id).info.status)

champion = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/churn_model")
