"""Migration tests that execute MLflow.

Every script in ``scripts/`` is an MLflow 2 program that ends with assertions proving it did its
job. For each one:

1. a pristine copy runs on MLflow 2.22.5 and exits 0;
2. a pristine copy runs on MLflow 3 and shows the symptom recorded in ``CASES`` (an exception, or
   MLflow deprecation output such as a ``FutureWarning`` or the logger's "`artifact_path` is
   deprecated");
3. a copy rewritten by ``mlflow-upgrade fix --unsafe-fixes`` runs on MLflow 3 with exit 0 and
   without MLflow deprecation output.

Each run gets its own file store (``MLFLOW_TRACKING_URI`` in the run's temporary folder) with
``MLFLOW_ALLOW_FILE_STORE=true`` (MLflow >= 3.13 refuses file stores otherwise; not what we test)
and a timeout. The runs of all selected tests are started together on a thread pool when the
first test of this module runs, so the module's wall time is the pool's, not the sum of the runs.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.migration

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "scripts"
ROOT = HERE.parent.parent
CLI = ROOT / ".venv" / ("Scripts" if os.name == "nt" else "bin") / "mlflow-upgrade"
IN_CI = bool(os.environ.get("CI"))
THIS_FILE = Path(__file__).name

RUN_TIMEOUT = 240  # seconds per script run; they take 3-10 s alone, more when run side by side
FIX_TIMEOUT = 240
# Every script prints a line starting with this after its final assertions passed.
SUCCESS_MARK = "ok:"

# Bytecode for the two MLflow environments is cached here (outside the source trees), so that
# runs after the first one import MLflow in ~4 s instead of ~12 s even when the calling
# environment sets PYTHONDONTWRITEBYTECODE.
PYCACHE = Path(tempfile.gettempdir()) / "mlflow-upgrade-migration-pycache"

ARTIFACT_PATH_DEPRECATED = (
    r"WARNING mlflow\.models\.model: `artifact_path` is deprecated\. Please use `name` instead\."
)


@dataclass(frozen=True)
class Case:
    """One MLflow 2 script and what MLflow 3 does to it before it is fixed."""

    name: str
    entry: str  # path of the script, relative to scripts/
    rules: str  # the rule codes the script exercises (documentation for humans)
    on_mlflow3: str  # "fails" (non-zero exit) or "warns" (exit 0, MLflow deprecation output)
    symptoms: tuple[str, ...]  # regexes that must all match the unfixed script's MLflow 3 output

    @property
    def source(self) -> Path:
        """What is copied for a run: the script's folder when it has one, else the file."""
        entry = SCRIPTS / self.entry
        return entry.parent if entry.parent != SCRIPTS else entry


CASES = [
    Case(
        "sklearn_tracking",
        "sklearn_tracking.py",
        "MLF101 (positional) MLF103 MLF110 MLF201",
        "fails",
        (r"AttributeError: 'RunInfo' object has no attribute 'run_uuid'",),
    ),
    Case(
        "pyfunc_project",
        "pyfunc_project/main.py",
        "MLF101 (pyfunc, position 0) MLF106 MLF107",
        "fails",
        (r"TypeError: log_model\(\) got an unexpected keyword argument 'code_path'",),
    ),
    Case(
        "evaluate_with_baseline",
        "evaluate_with_baseline.py",
        "MLF101 MLF301 MLF302 MLF303 MLF305",
        "fails",
        (
            r"TypeError: MetricThreshold\.__init__\(\) got an unexpected keyword argument "
            r"'higher_is_better'",
        ),
    ),
    Case(
        "git_tags_gcs_timeout",
        "git_tags_gcs_timeout.py",
        "MLF202 MLF405",
        "fails",
        (r"ImportError: cannot import name 'LEGACY_MLFLOW_GIT_BRANCH_NAME'",),
    ),
    Case(
        "client_best_run",
        "client_best_run.py",
        "MLF101 MLF104 MLF201 (RunInfo from search_runs list, get_run)",
        "fails",
        (
            ARTIFACT_PATH_DEPRECATED,
            r"AttributeError: 'RunInfo' object has no attribute 'run_uuid'",
        ),
    ),
    Case(
        "reexport_project",
        "reexport_project/main.py",
        "MLF101 + MLF115 (log_model re-exported by a project module, positional arguments)",
        "warns",
        (ARTIFACT_PATH_DEPRECATED,),
    ),
    Case(
        "static_predictions_evaluate",
        "static_predictions_evaluate.py",
        "MLF305 (from mlflow import evaluate)",
        "warns",
        (r"FutureWarning: The `mlflow\.evaluate` API has been deprecated as of MLflow 3\.0\.0",),
    ),
    Case(
        "aliased_imports",
        "aliased_imports.py",
        "MLF101 MLF106 (save_model) MLF201 MLF302 (keyword and attribute) MLF305, via aliases",
        "fails",
        (
            r"TypeError: MetricThreshold\.__init__\(\) got an unexpected keyword argument "
            r"'higher_is_better'",
        ),
    ),
    Case(
        "knn_default_serialization",
        "knn_default_serialization.py",
        "MLF101 MLF113 (tier 2: skops default refuses the KD-tree types)",
        "fails",
        (
            ARTIFACT_PATH_DEPRECATED,
            r"MlflowException: The saved sklearn model references untrusted types",
        ),
    ),
    # Tier 2: these run on MLflow 2.22 and break on MLflow 3 in ways no migration guide lists.
    Case(
        "tracing_request_ids",
        "tracing_request_ids.py",
        "MLF601 MLF602 MLF603 MLF604 MLF605 MLF609 (tracing request ids, last active trace)",
        "fails",
        (r"AttributeError: module 'mlflow' has no attribute 'get_last_active_trace'",),
    ),
    Case(
        "prompt_registry",
        "prompt_registry.py",
        "MLF607 MLF608 (prompt registry moved to mlflow.genai, version_metadata removed)",
        "fails",
        (r"TypeError: .*version_metadata",),
    ),
    Case(
        "evaluate_implicit_run",
        "evaluate_implicit_run.py",
        "MLF112 MLF113 (+ MLF101 MLF304 MLF305): log_model no longer starts a run",
        "fails",
        (r"AssertionError",),
    ),
]
CASES_BY_NAME = {case.name: case for case in CASES}


# --------------------------------------------------------------------------------------------
# Reading the output of a run


ANSI = re.compile(r"\x1b\[[0-9;]*m")
# `python -W default::FutureWarning` prints "<file>:<line>: <Category>: <message>".
WARNING_LINE = re.compile(r"^(?P<file>.+?):(?P<lineno>\d+): (?P<category>\w+): (?P<message>.*)$")
# MLflow's logging format: "2026/01/31 12:00:00 WARNING mlflow.models.model: <message>".
LOGGER_LINE = re.compile(
    r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (?P<level>[A-Z]+) (?P<logger>[\w.]+): (?P<message>.*)$"
)


def _normalise(path: str) -> str:
    return path.replace("\\", "/")


def mlflow_deprecation_output(output: str, project: Path) -> list[str]:
    """Lines of ``output`` that are MLflow deprecation output.

    That is: a ``FutureWarning`` (or any warning that says "deprecated") raised by MLflow code,
    attributed to the project's own code (MLflow's warnings use ``stacklevel`` to point at the
    caller) or mentioning MLflow; a deprecation logged by an ``mlflow.*`` logger; any other line
    saying "is deprecated". Warnings that libraries other than MLflow raise
    about their own APIs are not counted.
    """
    project_dir = _normalise(str(project.resolve()))
    found = []
    for raw in output.splitlines():
        line = ANSI.sub("", raw).strip()
        if warning := WARNING_LINE.match(line):
            file = _normalise(warning["file"])
            message = warning["message"]
            # pandas deprecating its own API from inside MLflow's code is not MLflow's deprecation.
            foreign = warning["category"].startswith("Pandas")
            deprecation = not foreign and (
                warning["category"] == "FutureWarning"
                or re.search(r"deprecat", message, re.IGNORECASE)
            )
            from_mlflow = (
                "/mlflow/" in file
                or file.startswith(project_dir)
                or not os.path.isabs(file)
                or "mlflow" in message.lower()
            )
            if deprecation and from_mlflow:
                found.append(line)
        elif log := LOGGER_LINE.match(line):
            if log["logger"].split(".")[0] == "mlflow" and re.search(
                r"deprecat", log["message"], re.IGNORECASE
            ):
                found.append(line)
        elif "is deprecated" in line:
            found.append(line)
    return found


# --------------------------------------------------------------------------------------------
# Running things


@dataclass(repr=False)
class Completed:
    """A finished subprocess."""

    label: str
    command: list[str]
    cwd: Path
    returncode: int | None  # None: killed by the timeout
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return ANSI.sub("", f"{self.stdout}\n{self.stderr}")

    def __repr__(self) -> str:  # keeps pytest's assertion explanations short
        return f"<{self.label}: exit {self.returncode}>"

    def report(self) -> str:
        status = "TIMED OUT" if self.returncode is None else f"exit {self.returncode}"
        return (
            f"--- {self.label}: {status} after {self.seconds:.1f} s\n"
            f"$ (cd {self.cwd} && {' '.join(self.command)})\n"
            f"--- stdout ---\n{self.stdout.rstrip()}\n"
            f"--- stderr ---\n{self.stderr.rstrip()}\n"
        )


def _run(label: str, command: list[str], cwd: Path, env: dict[str, str], timeout: float):
    started = time.monotonic()
    try:
        proc = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
        returncode, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        returncode = None
        stdout = _text(exc.stdout)
        stderr = _text(exc.stderr) + f"\n[killed after {timeout} s]"
    return Completed(label, command, cwd, returncode, stdout, stderr, time.monotonic() - started)


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


def _base_env() -> dict[str, str]:
    """The caller's environment without its MLflow settings, writing bytecode to PYCACHE."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MLFLOW_")}
    for key in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "PYTHONHOME", "PYTHONWARNINGS"):
        env.pop(key, None)
    env.update(
        PYTHONPYCACHEPREFIX=str(PYCACHE),
        PYTHONNOUSERSITE="1",
        PYTHONIOENCODING="utf-8",
        MPLBACKEND="Agg",
        GIT_PYTHON_REFRESH="quiet",
    )
    return env


def _warm_up(python: Path) -> None:
    """Compile the heavy imports of an environment once per cache folder (first run only)."""
    stamp = hashlib.sha256(str(python.resolve()).encode()).hexdigest()[:16]
    marker = PYCACHE / f".warm-{stamp}"
    if marker.exists():
        return
    PYCACHE.mkdir(parents=True, exist_ok=True)
    code = (
        "import mlflow, mlflow.sklearn, mlflow.pyfunc, mlflow.models, pandas, sklearn.linear_model"
    )
    done = _run("warm-up", [str(python), "-c", code], PYCACHE, _base_env(), RUN_TIMEOUT)
    if done.returncode == 0:
        marker.touch()


class Runner:
    """Runs the phases of the selected cases in parallel; each result is computed once."""

    def __init__(self, base: Path, pythons: dict[str, Path], cli: Path | None):
        self.base = base
        self.pythons = pythons
        self.cli = cli
        workers = max(2, (os.cpu_count() or 2) + 1)
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="migration")
        self.futures: dict[tuple[str, str], Future] = {}

    def start(self, case: Case, phase: str) -> Future:
        key = (case.name, phase)
        if key not in self.futures:
            self.futures[key] = self.pool.submit(getattr(self, f"_{phase}"), case)
        return self.futures[key]

    def result(self, case: Case, phase: str):
        return self.start(case, phase).result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    # phases -----------------------------------------------------------------------------

    def _copy(self, case: Case, phase: str) -> tuple[Path, Path]:
        """A pristine copy of the case in its own folder; returns (run folder, project)."""
        run_dir = self.base / case.name / phase
        project = run_dir / "project"
        project.mkdir(parents=True)
        if case.source.is_dir():
            shutil.copytree(case.source, project, dirs_exist_ok=True, ignore=_IGNORE)
        else:
            shutil.copy2(case.source, project / case.source.name)
        return run_dir, project

    def _execute(self, case: Case, version: str, run_dir: Path, project: Path) -> Completed:
        python = self.pythons[version]
        env = _base_env()
        env["MLFLOW_TRACKING_URI"] = (run_dir / "mlruns").as_uri()
        env["MLFLOW_ALLOW_FILE_STORE"] = "true"
        entry = Path(case.entry).name
        command = [str(python), "-W", "default::FutureWarning", entry]
        return _run(f"{case.name} on {version}", command, project, env, RUN_TIMEOUT)

    def _mlflow2(self, case: Case):
        run_dir, project = self._copy(case, "mlflow2")
        return project, self._execute(case, "mlflow2", run_dir, project)

    def _mlflow3(self, case: Case):
        run_dir, project = self._copy(case, "mlflow3")
        return project, self._execute(case, "mlflow3", run_dir, project)

    def _fixed(self, case: Case):
        run_dir, project = self._copy(case, "fixed")
        assert self.cli is not None
        # Exactly what a user types; the copy has no .venv, so the engine resolves MLflow names
        # without an MLflow installation to read (its own tables, no jedi types from MLflow).
        command = [str(self.cli), "fix", "--unsafe-fixes", str(project)]
        env = _base_env()
        for key in ("VIRTUAL_ENV", "CONDA_PREFIX"):  # the same result in any calling shell
            env.pop(key, None)
        fix = _run(f"mlflow-upgrade fix ({case.name})", command, run_dir, env, FIX_TIMEOUT)
        diff = _diff(case, project)
        run = None
        if fix.returncode in (0, 1) and diff:
            run = self._execute(case, "mlflow3", run_dir, project)
        return project, fix, diff, run


_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "mlruns")


def _diff(case: Case, project: Path) -> str:
    """Unified diff between the case's scripts and the files in ``project``."""
    chunks = []
    originals = sorted(case.source.rglob("*.py")) if case.source.is_dir() else [case.source]
    for original in originals:
        relative = original.relative_to(case.source) if case.source.is_dir() else original.name
        fixed = project / relative
        after = fixed.read_text(encoding="utf-8") if fixed.exists() else ""
        before = original.read_text(encoding="utf-8")
        chunks.extend(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                f"a/{relative}",
                f"b/{relative}",
            )
        )
    return "".join(chunks)


# --------------------------------------------------------------------------------------------
# Fixtures and tests

PHASE_OF_TEST = {
    "test_runs_on_mlflow2": "mlflow2",
    "test_unfixed_script_breaks_on_mlflow3": "mlflow3",
    "test_fixed_script_runs_on_mlflow3": "fixed",
}


def _cli() -> Path | None:
    return CLI if CLI.exists() else None


@pytest.fixture(scope="module")
def runner(request, tmp_path_factory, mlflow2_python, mlflow3_python):
    pythons = {"mlflow2": Path(mlflow2_python), "mlflow3": Path(mlflow3_python)}
    runner = Runner(tmp_path_factory.mktemp("migration"), pythons, _cli())
    with ThreadPoolExecutor(max_workers=2) as warm:
        list(warm.map(_warm_up, pythons.values()))
    # Start every run the selected tests of this module will ask for, longest chains first.
    wanted = []
    for item in request.session.items:
        phase = PHASE_OF_TEST.get(getattr(item, "originalname", ""))
        callspec = getattr(item, "callspec", None)
        if phase is None or callspec is None or Path(item.path).resolve() != HERE / THIS_FILE:
            continue
        if phase == "fixed" and runner.cli is None:
            continue
        wanted.append((CASES_BY_NAME[callspec.params["case"].name], phase))
    for case, phase in sorted(wanted, key=lambda pair: pair[1] != "fixed"):
        runner.start(case, phase)
    yield runner
    runner.close()


def _ids(case: Case) -> str:
    return case.name


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_runs_on_mlflow2(runner: Runner, case: Case):
    _project, run = runner.result(case, "mlflow2")
    assert run.returncode == 0, f"the MLflow 2 script failed on MLflow 2\n{run.report()}"
    assert SUCCESS_MARK in run.stdout, f"the script did not reach its end\n{run.report()}"


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_unfixed_script_breaks_on_mlflow3(runner: Runner, case: Case):
    project, run = runner.result(case, "mlflow3")
    assert run.returncode is not None, f"timed out\n{run.report()}"
    deprecations = mlflow_deprecation_output(run.output, project)
    assert run.returncode != 0 or deprecations, (
        f"expected MLflow 3 to break or warn about this script, but it ran cleanly\n{run.report()}"
    )
    if case.on_mlflow3 == "fails":
        assert run.returncode != 0, f"expected a failure on MLflow 3\n{run.report()}"
    else:
        assert run.returncode == 0, f"expected only warnings on MLflow 3\n{run.report()}"
        assert SUCCESS_MARK in run.stdout, run.report()
        assert deprecations, run.report()
    for symptom in case.symptoms:
        assert re.search(symptom, run.output), (
            f"expected symptom not found: {symptom!r}\n{run.report()}"
        )


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_fixed_script_runs_on_mlflow3(runner: Runner, case: Case):
    if runner.cli is None:
        message = f"{CLI} does not exist (make install)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    project, fix, diff, run = runner.result(case, "fixed")
    assert fix.returncode in (0, 1), f"`mlflow-upgrade fix` failed\n{fix.report()}"
    assert diff, f"`mlflow-upgrade fix --unsafe-fixes` changed nothing\n{fix.report()}"
    context = f"--- diff applied by mlflow-upgrade fix ---\n{diff}\n{fix.report()}\n{run.report()}"
    assert run.returncode == 0, f"the fixed script fails on MLflow 3\n{context}"
    assert SUCCESS_MARK in run.stdout, f"the fixed script did not reach its end\n{context}"
    deprecations = mlflow_deprecation_output(run.output, project)
    assert not deprecations, (
        "the fixed script still produces MLflow deprecation output:\n"
        + "\n".join(deprecations)
        + f"\n{context}"
    )


def test_deprecation_filter_examples(tmp_path: Path):
    """The reader of run output: what counts as MLflow deprecation output."""
    site = "/venv/lib/python3.11/site-packages"
    output = "\n".join(
        [
            f"{tmp_path}/main.py:12: FutureWarning: Field signature_dict is deprecated.",
            f"{site}/mlflow/pyfunc/__init__.py:3021: UserWarning: The `code_path` argument is "
            "replaced by `code_paths` and is deprecated as of MLflow version 2.12.0.",
            "\x1b[31m2026/01/31 12:00:00 WARNING mlflow.models.model: `artifact_path` is "
            "deprecated. Please use `name` instead.\x1b[0m",
            f"{site}/sklearn/utils/deprecation.py:3: FutureWarning: `foo` was renamed.",
            f"{site}/mlflow/pyfunc/utils/data_validation.py:187: UserWarning: Add type hints",
            "2026/01/31 12:00:00 WARNING mlflow.sklearn: Saving scikit-learn models in the "
            "pickle or cloudpickle format requires exercising caution",
            "2026/01/31 12:00:00 INFO mlflow.tracking.fluent: Experiment created.",
            "ok: done",
        ]
    )
    found = mlflow_deprecation_output(output, tmp_path)
    assert len(found) == 3, found
    assert found[0].startswith(f"{tmp_path}/main.py:12: FutureWarning")
    assert "code_path" in found[1]
    assert "artifact_path" in found[2]


if __name__ == "__main__":  # pragma: no cover - convenience: run the module directly
    sys.exit(pytest.main([__file__, "-v", *sys.argv[1:]]))
