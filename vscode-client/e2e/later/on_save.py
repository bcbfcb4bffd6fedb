"""Written after the workspace was fixed: fixed on save by editor.codeActionsOnSave."""

import mlflow

with mlflow.start_run() as run:
    print("run", run.info.run_uuid)
