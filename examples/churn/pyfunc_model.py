"""A pyfunc wrapper that adds business rules around the classifier."""

import mlflow
import mlflow.pyfunc


class ChurnRules(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return model_input.sum(axis=1) > 0


with mlflow.start_run():
    mlflow.pyfunc.log_model(
        "churn_rules",
        python_model=ChurnRules(),
        code_path=["tracking_utils.py"],
        example_no_conversion=True,
    )
    mlflow.tensorflow.autolog(every_n_iter=10)
