"""Log a custom model the MLflow 2 way."""

import mlflow


class AddOne(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return model_input + 1


with mlflow.start_run() as run:
    mlflow.pyfunc.log_model(
        artifact_path="model",
        python_model=AddOne(),
        code_path=["helpers.py"],
    )
    print("logged in run", run.info.run_uuid)
