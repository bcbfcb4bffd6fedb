"""Facts about the MLflow API that resolution and rules share.

Names are canonical dotted paths: every import route to an object
(`mlflow.tracking.MlflowClient`, `mlflow.client.MlflowClient`, …) is mapped to one
spelling by `canonical`, so a rule matches one name per object.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

# Flavors whose `log_model` took `artifact_path` in MLflow 2.22 (and `mlflow.shap.log_explainer`).
LOG_MODEL_FLAVORS = (
    "catboost diviner dspy fastai h2o johnsnowlabs keras langchain lightgbm llama_index mleap "
    "onnx openai paddle pmdarima promptflow prophet pyfunc pytorch sentence_transformers sklearn "
    "spacy spark statsmodels tensorflow transformers xgboost gluon"
).split()

# Modules that moved or were re-exported under another path in MLflow 2.22.
_PREFIX_ALIASES = {
    "mlflow.tracking.client.MlflowClient": "mlflow.MlflowClient",
    "mlflow.tracking.MlflowClient": "mlflow.MlflowClient",
    "mlflow.client.MlflowClient": "mlflow.MlflowClient",
    "mlflow.models.evaluation.validation.MetricThreshold": "mlflow.models.MetricThreshold",
    "mlflow.models.evaluation.MetricThreshold": "mlflow.models.MetricThreshold",
    "mlflow.models.evaluation.base.evaluate": "mlflow.models.evaluate",
    "mlflow.models.evaluation.evaluate": "mlflow.models.evaluate",
    "mlflow.models.model.ModelInfo": "mlflow.models.model.ModelInfo",
    "mlflow.models.ModelInfo": "mlflow.models.model.ModelInfo",
    "mlflow.models.model.Model": "mlflow.models.Model",
    "mlflow.entities.run_info.RunInfo": "mlflow.entities.RunInfo",
    "mlflow.entities.run.Run": "mlflow.entities.Run",
    "mlflow.tracking.fluent.ActiveRun": "mlflow.ActiveRun",
    "mlflow.tracking.fluent": "mlflow",
    "mlflow.tracking.artifact_utils.get_artifact_uri": "mlflow.get_artifact_uri",
    "mlflow.entities.trace_info.TraceInfo": "mlflow.entities.TraceInfo",
    "mlflow.entities.trace.Trace": "mlflow.entities.Trace",
    "mlflow.pyfunc.model.PythonModel": "mlflow.pyfunc.PythonModel",
    "mlflow.pyfunc.model.ChatModel": "mlflow.pyfunc.ChatModel",
    "mlflow.dspy.save": "mlflow.dspy",
    "mlflow.keras.save": "mlflow.keras",
    "mlflow.keras.autologging": "mlflow.keras",
    "mlflow.tracking.artifact_utils": "mlflow.tracking.artifact_utils",
    "mlflow.tracing.fluent": "mlflow",
    "mlflow.tracing.assessment": "mlflow",
    "mlflow.entities.model_registry.prompt.Prompt": "mlflow.entities.Prompt",
    "mlflow.entities.trace_status.TraceStatus": "mlflow.entities.TraceStatus",
    "mlflow.server.auth.client.AuthServiceClient": "mlflow.server.auth.client.AuthServiceClient",
}

# Class short names that jedi reports under their defining module.
CLASS_BY_SHORT_NAME = {
    "RunInfo": "mlflow.entities.RunInfo",
    "Run": "mlflow.entities.Run",
    "ActiveRun": "mlflow.ActiveRun",
    "ModelInfo": "mlflow.models.model.ModelInfo",
    "MetricThreshold": "mlflow.models.MetricThreshold",
    "MlflowClient": "mlflow.MlflowClient",
    "TraceInfo": "mlflow.entities.TraceInfo",
    "Trace": "mlflow.entities.Trace",
    "Prompt": "mlflow.entities.Prompt",
    "AuthServiceClient": "mlflow.server.auth.client.AuthServiceClient",
}

RUN_INFO = "mlflow.entities.RunInfo"
RUN = "mlflow.entities.Run"
ACTIVE_RUN = "mlflow.ActiveRun"
MODEL_INFO = "mlflow.models.model.ModelInfo"
METRIC_THRESHOLD = "mlflow.models.MetricThreshold"
CLIENT = "mlflow.MlflowClient"
TRACE = "mlflow.entities.Trace"
TRACE_INFO = "mlflow.entities.TraceInfo"
PROMPT = "mlflow.entities.Prompt"  # MLflow 2.21-2.22 prompt registry entity
AUTH_CLIENT = "mlflow.server.auth.client.AuthServiceClient"

# Subclass relations that matter for attribute lookup.
BASES = {ACTIVE_RUN: RUN}

# What a call returns, by canonical callee. "[]" marks a sequence of that type.
FACTORY_RETURNS = {
    "mlflow.start_run": ACTIVE_RUN,
    "mlflow.active_run": ACTIVE_RUN,
    "mlflow.last_active_run": RUN,
    "mlflow.get_run": RUN,
    f"{CLIENT}.get_run": RUN,
    f"{CLIENT}.create_run": RUN,
    f"{CLIENT}.search_runs": RUN + "[]",
    "mlflow.models.get_model_info": MODEL_INFO,
    "mlflow.models.Model.log": MODEL_INFO,
    "mlflow.shap.log_explainer": MODEL_INFO,
    "mlflow.get_trace": TRACE,
    f"{CLIENT}.get_trace": TRACE,
    "mlflow.get_last_active_trace": TRACE,
    f"{CLIENT}.search_traces": TRACE + "[]",
    "mlflow.load_prompt": PROMPT,
    "mlflow.register_prompt": PROMPT,
    f"{CLIENT}.load_prompt": PROMPT,
    f"{CLIENT}.register_prompt": PROMPT,
    f"{CLIENT}.get_prompt": PROMPT,
    "mlflow.genai.load_prompt": PROMPT,
    "mlflow.genai.register_prompt": PROMPT,
    "mlflow.server.get_app_client": AUTH_CLIENT,  # the only app client MLflow ships
    **{f"mlflow.{flavor}.log_model": MODEL_INFO for flavor in LOG_MODEL_FLAVORS},
}

# Calls whose return type depends on a keyword argument value.
KEYWORD_FACTORY_RETURNS = {
    ("mlflow.search_runs", "output_format", "list"): RUN + "[]",
    ("mlflow.search_traces", "return_type", "list"): TRACE + "[]",
}

# Classes: calling them makes an instance.
CLASSES = {RUN_INFO, RUN, ACTIVE_RUN, MODEL_INFO, METRIC_THRESHOLD, CLIENT, TRACE, TRACE_INFO}
CLASSES |= {PROMPT, AUTH_CLIENT}

ATTRIBUTE_TYPES = {
    (RUN, "info"): RUN_INFO,
    (TRACE, "info"): TRACE_INFO,
}


def canonical(name: str) -> str:
    """The one spelling of a dotted MLflow name (longest known prefix rewritten)."""
    if name in _PREFIX_ALIASES:
        return _PREFIX_ALIASES[name]
    parts = name.split(".")
    for cut in range(len(parts) - 1, 1, -1):
        prefix = ".".join(parts[:cut])
        if prefix in _PREFIX_ALIASES:
            return ".".join([_PREFIX_ALIASES[prefix], *parts[cut:]])
    return name


def is_mlflow(name: str | None) -> bool:
    return name is not None and (name == "mlflow" or name.startswith("mlflow."))


@cache
def mlflow2_signatures() -> dict[str, list[str]]:
    """Positional parameters of MLflow 2.22 functions (generated by scripts/)."""
    raw = json.loads(
        resources.files("mlflow_upgrade.data").joinpath("mlflow2_signatures.json").read_text()
    )["signatures"]
    return {canonical(name): params for name, params in raw.items()}


def positional_parameters(function: str) -> list[str] | None:
    return mlflow2_signatures().get(canonical(function))
