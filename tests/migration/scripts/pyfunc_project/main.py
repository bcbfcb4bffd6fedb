"""Log a custom pyfunc model whose feature code lives in a module next to this script.

MLflow 2 idioms used here: the model name given positionally to ``mlflow.pyfunc.log_model``,
``code_path=`` and ``example_no_conversion=``.
"""

import os
import sys

import mlflow
import mlflow.pyfunc
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from text_features import keyword_score  # noqa: E402


class UrgencyModel(mlflow.pyfunc.PythonModel):
    def __init__(self, keywords, threshold):
        self.keywords = set(keywords)
        self.threshold = threshold

    def predict(self, context, model_input, params=None):
        scores = [keyword_score(text, self.keywords) for text in model_input["text"]]
        return pd.DataFrame(
            {"score": scores, "urgent": [score >= self.threshold for score in scores]}
        )


messages = pd.DataFrame(
    {
        "text": [
            "The server is down, please fix it now",
            "Lunch on Friday?",
            "URGENT: payment failed twice",
            "",
        ]
    }
)
model = UrgencyModel(keywords=["down", "urgent", "failed", "now", "asap"], threshold=0.2)

with mlflow.start_run() as run:
    mlflow.log_param("threshold", model.threshold)
    model_info = mlflow.pyfunc.log_model(
        "model",
        python_model=model,
        code_path=[os.path.join(HERE, "text_features.py")],
        input_example=messages.head(2),
        example_no_conversion=True,
        pip_requirements=["pandas"],
    )

# Drop the local copy of the helper so that the loaded model has to use the logged one.
sys.modules.pop("text_features", None)
sys.path.remove(HERE)

loaded = mlflow.pyfunc.load_model(model_info.model_uri)
result = loaded.predict(messages)
assert list(result.columns) == ["score", "urgent"], result.columns
assert result.shape == (len(messages), 2), result.shape
assert result["urgent"].tolist() == [True, False, True, False], result
assert "text_features" in sys.modules
assert os.path.dirname(os.path.abspath(sys.modules["text_features"].__file__)) != HERE

model_dir = mlflow.artifacts.download_artifacts(model_info.model_uri)
assert os.path.isfile(os.path.join(model_dir, "code", "text_features.py")), os.listdir(model_dir)
assert model_info.saved_input_example_info is not None
print("ok:", result["score"].round(3).tolist())
