"""Properties over generated and mutated MLflow code.

Whatever the input: the engine never raises, fixed output parses, fixing twice
changes nothing more, and code that never mentions MLflow yields no finding.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlflow_upgrade.engine.analyze import Engine
from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.engine.fixer import fix_document
from mlflow_upgrade.engine.settings import Settings
from mlflow_upgrade.python.parse import parses

ENGINE = Engine(Settings())

IMPORTS = [
    "import mlflow",
    "import mlflow as mf",
    "from mlflow import sklearn as sk",
    "from mlflow.sklearn import log_model as lm",
    "from mlflow.models import MetricThreshold",
    "from mlflow import evaluate",
    "from mlflow.entities import RunInfo",
    "import mlflow.pyfunc",
]
STATEMENTS = [
    'mlflow.sklearn.log_model(model, artifact_path="model")',
    'info = mf.sklearn.log_model(model, "m", None, ["a.py"])',
    'sk.log_model(model, artifact_path="sub/model", example_no_conversion=True)',
    'lm(model, "model")',
    'mlflow.pyfunc.log_model("agent", python_model=Agent(), code_path=["x.py"])',
    "print(info.signature_dict)",
    "run = mlflow.start_run()",
    "print(run.info.run_uuid)",
    "with mlflow.start_run() as active:\n    print(active.info.run_uuid)",
    "t = MetricThreshold(threshold=0.5, higher_is_better=True)",
    'result = mlflow.evaluate(model_uri, data, targets="y", custom_metrics=[m])',
    'evaluate(model_uri, data, model_type="classifier", baseline_model=base)',
    "mlflow.tensorflow.autolog(every_n_iter=5)",
    'os.environ["MLFLOW_GCS_DEFAULT_TIMEOUT"] = "60"',
    'mlflow.set_tag("mlflow.gitBranchName", "main")',
    "from mlflow.recipes import Recipe",
    'loaded = mlflow.sklearn.load_model(mlflow.get_artifact_uri("model"))',
    'm = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")',
    "def helper(info: RunInfo):\n    return info.run_uuid",
    "for r in mlflow.search_runs(output_format='list'):\n    r.info.run_uuid",
    "x = 1",
    "# a comment mentioning artifact_path",
    "'''mlflow.sklearn.log_model(model, artifact_path=\"m\")'''",
]
NOISE = [
    "(",
    ")",
    ":",
    ",",
    "=",
    "\n",
    "    ",
    "'",
    '"',
    "mlflow",
    ".",
    "#",
    "\\",
    "é",
    "🙂",
    "\r\n",
    "\t",
]
NO_MLFLOW = [
    "import numpy as np",
    "def log_model(model, artifact_path):\n    return artifact_path",
    'log_model(1, artifact_path="x")',
    "class Info:\n    run_uuid = 1",
    "print(Info().run_uuid)",
    "signature_dict = {}",
    "evaluate = lambda *a, **k: None",
    "evaluate(1, custom_metrics=[], baseline_model=None)",
]

programs = st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=3).flatmap(
    lambda imports: st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=8).map(
        lambda body: "import os\n" + "\n".join(imports + body) + "\n"
    )
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(programs)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(NOISE)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
    return text


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(programs)
def test_fixes_parse_and_are_idempotent(text: str) -> None:
    outcome = fix_document(ENGINE, Document(text), unsafe=True)
    assert parses(outcome.document.text)
    again = fix_document(ENGINE, outcome.document, unsafe=True)
    assert again.document.text == outcome.document.text


@SETTINGS
@given(mutated())
def test_engine_never_raises_on_mutated_code(text: str) -> None:
    analysis = ENGINE.analyze(Document(text))
    assert not analysis.internal_errors
    for finding in analysis.findings:
        assert 0 <= finding.start_offset <= finding.end_offset <= len(text)
        if finding.fix is not None:
            _ = finding.fix.edits  # computing edits must not raise either
    outcome = fix_document(ENGINE, Document(text), unsafe=True)
    if parses(text):
        assert parses(outcome.document.text)
    else:
        assert outcome.document.text == text  # a file that does not parse is never rewritten


@SETTINGS
@given(st.lists(st.sampled_from(NO_MLFLOW), min_size=1, max_size=6))
def test_code_without_mlflow_yields_nothing(statements: list[str]) -> None:
    text = "\n".join(statements) + "\n"
    assert ENGINE.analyze(Document(text)).findings == []
