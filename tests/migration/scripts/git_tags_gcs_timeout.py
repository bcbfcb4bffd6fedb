"""Tag runs with their git origin, find them again by tag, and configure the GCS timeout.

MLflow 2 idioms used here: the legacy git tags ``mlflow.gitBranchName`` / ``mlflow.gitRepoURL``
(as strings, in a search filter and as ``LEGACY_*`` constants) and ``MLFLOW_GCS_DEFAULT_TIMEOUT``
(as an environment key and through ``mlflow.environment_variables``).
"""

import os

import mlflow
import mlflow.environment_variables
from mlflow.utils.mlflow_tags import LEGACY_MLFLOW_GIT_BRANCH_NAME

REPO_URL = "https://git.example.com/data-science/churn.git"

# Large artifacts on a slow bucket: give uploads and downloads two minutes.
os.environ["MLFLOW_GCS_DEFAULT_TIMEOUT"] = "120"
timeout = mlflow.environment_variables.MLFLOW_GCS_DEFAULT_TIMEOUT.get()

experiment_id = mlflow.create_experiment("churn-nightly")
for branch, auc in [("main", 0.81), ("feature/new-features", 0.84), ("main", 0.83)]:
    with mlflow.start_run(experiment_id=experiment_id):
        mlflow.set_tags({LEGACY_MLFLOW_GIT_BRANCH_NAME: branch, "mlflow.gitRepoURL": REPO_URL})
        mlflow.log_metric("auc", auc)

with mlflow.start_run(experiment_id=experiment_id):
    mlflow.set_tag("mlflow.gitRepoURL", "https://git.example.com/other/repo.git")

runs = mlflow.search_runs(
    experiment_ids=[experiment_id],
    filter_string=f"tags.\"mlflow.gitRepoURL\" = '{REPO_URL}'",
    order_by=["metrics.auc DESC"],
    output_format="list",
)
main_runs = mlflow.search_runs(
    experiment_ids=[experiment_id],
    filter_string="tags.`mlflow.gitBranchName` = 'main'",
)

assert timeout == 120, timeout
assert len(runs) == 3, [r.data.tags for r in runs]
assert runs[0].data.tags["mlflow.gitBranchName"] == "feature/new-features", runs[0].data.tags
assert [r.data.metrics["auc"] for r in runs] == [0.84, 0.83, 0.81]
assert len(main_runs) == 2, main_runs
assert sorted(main_runs["metrics.auc"]) == [0.81, 0.83]
print(f"ok: {len(runs)} runs from {REPO_URL}, GCS timeout {timeout}s")
