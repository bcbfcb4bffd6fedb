"""Name resolution and receiver inference, with jedi reading three real environments.

The same project is analysed with jedi pointed at MLflow 2.22, at MLflow 3 (where
removed names no longer exist) and at an interpreter without MLflow: what our own
resolution decides must not change between them.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.engine.settings import Settings
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.jedi_types import JediTypes
from mlflow_upgrade.python.project import ProjectIndex
from mlflow_upgrade.python.semantic import SemanticModel

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/tracking.py": """
        import mlflow
        from mlflow.sklearn import log_model
        from mlflow import sklearn as sk

        save = sk.log_model

        def current_run():
            return mlflow.active_run()

        def make_client():
            return mlflow.MlflowClient()
    """,
    "pkg/reexport.py": """
        from .tracking import log_model as reexported_log_model
    """,
    "main.py": """
        import mlflow as mf
        import mlflow.sklearn
        from mlflow.entities import RunInfo
        from pkg.tracking import log_model, save, current_run, make_client
        from pkg.reexport import reexported_log_model
        from pkg import tracking

        log_model(m, "a")                       # call: mlflow.sklearn.log_model
        save(m, "b")                            # call: mlflow.sklearn.log_model
        reexported_log_model(m, "c")            # call: mlflow.sklearn.log_model
        tracking.log_model(m, "d")              # call: mlflow.sklearn.log_model
        mlflow.sklearn.log_model(m, "e")        # call: mlflow.sklearn.log_model
        mf.sklearn.log_model(m, "f")            # call: mlflow.sklearn.log_model

        with mf.start_run() as run:
            run.info.run_uuid                   # type: RunInfo
        current_run().info.run_uuid             # type: RunInfo
        for r in make_client().search_runs(["0"]):
            r.info.run_uuid                     # type: RunInfo
        [x.info.run_uuid for x in mf.search_runs(output_format="list")]  # type: RunInfo

        def annotated(info: RunInfo, maybe: "mf.entities.Run | None"):
            info.run_uuid                       # type: RunInfo
            maybe.info.run_uuid                 # type: RunInfo

        def returns():
            return mf.get_run("x")

        returns().info.run_uuid                 # type: RunInfo
        alias = run
        alias.info.run_uuid                     # type: RunInfo
        runs = mf.search_runs(output_format="list")
        runs[0].info.run_uuid                   # type: RunInfo

        class Job:
            run_uuid = "mine"

        Job().run_uuid                          # type: None
        job = Job()
        job.run_uuid                            # type: None
        unknown.info.run_uuid                   # type: None
        run = "rebound to a string"
        run.info.run_uuid                       # type: None

        def shadowing():
            def log_model(*args):               # shadows the import in this scope only
                pass

            log_model(m, "g")
    """,
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    for name, text in PROJECT.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def _context(path: Path, jedi: JediTypes | None) -> PythonContext:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    index = ProjectIndex(path)
    model = SemanticModel(tree, index.resolve, index.return_type)
    return PythonContext(Document(text, path), Settings(), tree, model, jedi)


def _expectations(text: str, marker: str) -> dict[int, str]:
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if f"# {marker}: " in line:
            found[number] = line.split(f"# {marker}: ", 1)[1].split()[0]
    return found


def _observed_calls(ctx: PythonContext) -> dict[int, str]:
    calls = ctx.calls_to("mlflow.sklearn.log_model")
    return {call.node.lineno: call.callee for call in calls}


def _observed_types(ctx: PythonContext) -> dict[int, str]:
    short = {v: k for k, v in api.CLASS_BY_SHORT_NAME.items()}
    result = {}
    for node, scope in ctx.model.attribute_accesses("run_uuid"):
        inferred = ctx.receiver_type(node, scope)
        result[node.lineno] = short.get(inferred, str(inferred))
    return result


ENVIRONMENTS = ["mlflow2", "mlflow3", "no-mlflow"]


@pytest.fixture(params=ENVIRONMENTS)
def jedi(request: pytest.FixtureRequest, mlflow2_python: Path, mlflow3_python: Path, project: Path):
    interpreter = {"mlflow2": mlflow2_python, "mlflow3": mlflow3_python, "no-mlflow": None}[
        request.param
    ]
    return JediTypes(str(interpreter) if interpreter else None, project)


def test_calls_resolve_through_every_import_form(project: Path, jedi: JediTypes) -> None:
    main = project / "main.py"
    ctx = _context(main, jedi)
    expected = _expectations(main.read_text(), "call")
    assert _observed_calls(ctx) == expected


def test_receivers_are_inferred_the_same_in_every_environment(
    project: Path, jedi: JediTypes
) -> None:
    main = project / "main.py"
    ctx = _context(main, jedi)
    expected = _expectations(main.read_text(), "type")
    assert _observed_types(ctx) == expected


def test_jedi_confirms_receivers_our_tables_do_not_know(
    tmp_path: Path, mlflow2_python: Path
) -> None:
    source = textwrap.dedent(
        """
        import mlflow

        class Tracker:
            def latest(self) -> mlflow.entities.Run:
                ...

        Tracker().latest().info.run_uuid
        """
    )
    path = tmp_path / "tracker.py"
    path.write_text(source)
    node, scope = _context(path, None).model.attribute_accesses("run_uuid")[0]
    assert _context(path, None).receiver_type(node, scope) is None  # our tables alone: unknown
    with_jedi = _context(path, JediTypes(str(mlflow2_python), tmp_path))
    node, scope = with_jedi.model.attribute_accesses("run_uuid")[0]
    assert with_jedi.receiver_type(node, scope) == api.RUN_INFO


def test_jedi_never_calls_a_user_class_mlflow(tmp_path: Path, mlflow2_python: Path) -> None:
    source = (
        "class Info:\n    run_uuid = 1\n\nclass Run:\n    info = Info()\n\nRun().info.run_uuid\n"
    )
    path = tmp_path / "own.py"
    path.write_text(source)
    ctx = _context(path, JediTypes(str(mlflow2_python), tmp_path))
    node, scope = ctx.model.attribute_accesses("run_uuid")[0]
    assert ctx.receiver_type(node, scope) is None
