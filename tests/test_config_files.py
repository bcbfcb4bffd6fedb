"""Edge cases of the MLF5xx helpers: pin semantics, command views, targets, exec forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlflow_upgrade.engine.analyze import Engine
from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.engine.fixer import fix_document
from mlflow_upgrade.engine.settings import Settings
from mlflow_upgrade.files import pins
from mlflow_upgrade.files.shell import blank_comments, databricks_view


@pytest.mark.parametrize(
    ("spec", "held"),
    [
        ("==2.22.0", True),
        ("<3", True),
        ("<3.0.0rc1", True),
        ("<=2.22.5", True),
        ("~=2.9", True),
        ("~=2.9.1", True),
        ("==2.*", True),
        (">=2.0,<3.0", True),
        ("!=3.*", True),
        ("===2.9.0", True),
        (">=2.9", False),
        ("", False),
        ("~=3.1", False),
        (">=2.9,<3.2", False),
        ("<=3.0", False),
        ("!=2.9.0", False),
        ("==3.*", False),
        ("==3.1.0", False),
        ("<4", False),
        ("==weird", False),
    ],
)
def test_pep440_holds_below_3(spec: str, held: bool) -> None:
    clauses = pins.pep440_clauses(spec)
    assert clauses is not None
    assert (not pins.admits_3x(clauses)) is held


@pytest.mark.parametrize(
    ("constraint", "held"),
    [
        ("^2.9", True),
        ("~2.9", True),
        ("~2", True),
        ("2.*", True),
        ("2.22.0", True),
        (">=2,<3", True),
        (">=2 <3", True),
        ("^2.9 || ^3.1", False),
        ("*", False),
        (">=2.9", False),
        ("^3.1", False),
    ],
)
def test_poetry_holds_below_3(constraint: str, held: bool) -> None:
    clauses = pins.poetry_clauses(constraint)
    assert clauses is not None
    assert (not pins.admits_3x(clauses)) is held


@pytest.mark.parametrize(
    ("spec", "held"),
    [
        ("=2.9", True),
        ("=2", True),
        ("==2.22.0", True),
        ("=2.9=py_0", True),
        (" 2.22.*", True),
        (" 2.9*", True),
        (">=2,<3", True),
        ("<3|>=3.1", False),
        (">=2", False),
        ("=3", False),
    ],
)
def test_conda_holds_below_3(spec: str, held: bool) -> None:
    clauses = pins.conda_clauses(spec)
    assert clauses is not None
    assert (not pins.admits_3x(clauses)) is held


def _fix(name: str, text: str, code: str, **settings: object) -> tuple[list, str]:
    from mlflow_upgrade.files.detect import detect_kind

    path = Path("/project") / name
    kind = detect_kind(path, text)
    engine = Engine(Settings(select=(code,), **settings))  # type: ignore[arg-type]
    document = Document(text, path, kind)
    findings = engine.analyze(document).findings
    return findings, fix_document(engine, document, unsafe=True).document.text


def test_target_version_caps_the_pin_and_gates_removed_extras() -> None:
    text = "mlflow[mlserver,xethub]==2.22.0\n"
    _, fixed = _fix("requirements.txt", text, "MLF506", target_version="3.6")
    assert fixed == "mlflow[mlserver]>=3.1,<3.7\n"  # mlserver is removed only in 3.13
    _, fixed = _fix("requirements.txt", text, "MLF506")
    assert fixed == "mlflow>=3.1,<4\n"
    _, fixed = _fix("requirements.txt", "mlflow==2.22.0\n", "MLF506", target_version="3.0")
    assert fixed == "mlflow>=3.0,<3.1\n"
    findings, _ = _fix(
        "requirements.txt", "mlflow[mlserver]>=3.1\n", "MLF506", target_version="3.6"
    )
    assert findings == []


def test_poetry_target_range() -> None:
    text = '[tool.poetry.dependencies]\nmlflow = "^2.9"\n'
    _, fixed = _fix("pyproject.toml", text, "MLF506", target_version="3.6")
    assert fixed == '[tool.poetry.dependencies]\nmlflow = ">=3.1,<3.7"\n'


def test_pyproject_strings_outside_dependency_tables_are_ignored() -> None:
    text = (
        '[project]\nname = "mlflow==2.9"\ndescription = """\nmlflow==2.9\n"""\n'
        'keywords = ["mlflow<3"]\n'
        '[tool.mlflow-upgrade]\nignore = ["mlflow==2.9"]\n'
        '[tool.poetry.dependencies]\npandas = "^2.9"\n'
        '[project.optional-dependencies]\nx = [\n  # "mlflow==2.9",\n  "mlflow==2.9",\n]\n'
    )
    findings, _ = _fix("pyproject.toml", text, "MLF506")
    assert [f.span.start.line + 1 for f in findings] == [14]


def test_poetry_table_form() -> None:
    text = '[tool.poetry.dependencies.mlflow]\nversion = "~2.22"\nextras = ["gateway"]\n'
    _, fixed = _fix("pyproject.toml", text, "MLF506")
    assert fixed == '[tool.poetry.dependencies.mlflow]\nversion = "^3.1"\nextras = ["gateway"]\n'


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        ("pip install mlflow==2.22.0", 'pip install "mlflow>=3.1,<4"'),
        ("pip install 'mlflow<3' pandas", "pip install 'mlflow>=3.1,<4' pandas"),
        ("pip3 install -r requirements.txt -c mlflow==2.9", None),  # a constraints file path
        ("pip install -e . mlflow", None),
        (
            "pip install --index-url https://x/simple mlflow~=2.9",
            'pip install --index-url https://x/simple "mlflow>=3.1,<4"',
        ),
        ("pip install mlflow==2.9 \\\n    pandas", 'pip install "mlflow>=3.1,<4" \\\n    pandas'),
        ("pip install pandas; mlflow==2.9", None),  # not an argument of pip install
        ("mamba install -y mlflow=2.9", 'mamba install -y "mlflow>=3.1,<4"'),
        ("poetry add mlflow@^2.9", 'poetry add "mlflow@^3.1"'),
        ("uv add 'mlflow[genai]==2.22.0'", "uv add 'mlflow[genai]>=3.1,<4'"),
        ("echo pip install mlflow==2.9", 'echo pip install "mlflow>=3.1,<4"'),
        # Words split as the shell splits them (the same tokenizer as the `mlflow` CLI's):
        ("pip install 'mlflow'\"<3\"", None),  # one word of two quoted parts: not edited
        ("pip install pandas\\ mlflow==2.9", None),  # an escaped blank joins the words
    ],
)
def test_install_commands(command: str, fixed: str | None) -> None:
    findings, text = _fix("setup.sh", command + "\n", "MLF506")
    if fixed is None:
        assert findings == []
    else:
        assert text == fixed + "\n"


def test_install_command_folded_over_yaml_lines() -> None:
    """A folded YAML scalar continues the command on an indented option line."""
    workflow = (
        "jobs:\n  test:\n    steps:\n      - run: >\n          pip install\n"
        "          --upgrade mlflow==2.22.0\n"
    )
    findings, text = _fix(".github/workflows/ci.yml", workflow, "MLF506")
    assert [f.code for f in findings] == ["MLF506"]
    assert text == workflow.replace("mlflow==2.22.0", '"mlflow>=3.1,<4"')


@pytest.mark.parametrize(
    "line",
    [
        "$(MLFLOW) deployments start-server",
        "mlflow deploymentsx start-server",
        "mlflow deployments start-servers",
        "my-mlflow deployments start-server",
        "echo '# mlflow deployments start-server' # mlflow deployments start-server",
        "mlflow gateway start  # was mlflow deployments start-server",
    ],
)
def test_start_server_lookalikes(line: str) -> None:
    findings, _ = _fix("run.sh", line + "\n", "MLF503")
    assert [f.start_offset for f in findings] == (
        [8] if line.startswith("echo") else []
    )  # inside quotes the `#` is not a comment


def test_start_server_across_a_line_continuation() -> None:
    text = "mlflow deployments \\\n  start-server --config-path g.yaml\n"
    _, fixed = _fix("run.sh", text, "MLF503")
    assert fixed == "mlflow gateway \\\n  start --config-path g.yaml\n"


def test_start_server_without_config_path_depends_on_outside_settings() -> None:
    findings, _ = _fix("run.sh", "mlflow deployments start-server\n", "MLF503")
    assert findings[0].fix.applicability.value == "unsafe"
    text = "MLFLOW_DEPLOYMENTS_CONFIG=g.yaml mlflow deployments start-server\n"
    findings, fixed = _fix("run.sh", text, "MLF503")
    assert {f.fix.applicability.value for f in findings} == {"safe"}
    assert fixed == "MLFLOW_GATEWAY_CONFIG=g.yaml mlflow gateway start\n"


def test_yaml_descriptive_keys_are_not_commands() -> None:
    text = (
        "steps:\n"
        "  - name: mlflow deployments start-server smoke test\n"
        "    description: runs mlflow recipes run\n"
        "    run: mlflow deployments start-server --config-path g.yaml\n"
    )
    findings, _ = _fix("ci.yml", text, "MLF503")
    assert [f.span.start.line for f in findings] == [3]
    findings, _ = _fix("ci.yml", text, "MLF505")
    assert findings == []


def test_gateway_yaml_is_not_scanned_for_commands() -> None:
    text = (
        "endpoints:\n  - name: x\n    endpoint_type: llm/v1/chat\n"
        "    model: {provider: openai, name: m, config: {k: $MLFLOW_GCS_DEFAULT_TIMEOUT}}\n"
    )
    findings, _ = _fix("gateway.yaml", text, "MLF504")
    assert findings == []


def test_blank_comments_keeps_layout() -> None:
    text = "a # one\n'b # two' # three\n  # four\nc=$#\r\nd\t#five"
    blanked = blank_comments(text)
    assert len(blanked) == len(text)
    assert blanked.splitlines(keepends=True)[3] == "c=$#\r\n"
    assert "one" not in blanked and "three" not in blanked and "four" not in blanked
    assert "'b # two'" in blanked and "five" not in blanked


def test_databricks_view_reads_only_shell_cells() -> None:
    text = (
        "# Databricks notebook source\n"
        "# MAGIC %md\n"
        "# MAGIC mlflow deployments start-server\n"
        "# COMMAND ----------\n"
        "# MAGIC %sql SELECT 'mlflow deployments start-server'\n"
        "# COMMAND ----------\n"
        "# MAGIC %sh\n"
        "# MAGIC mlflow deployments start-server\n"
        "# COMMAND ----------\n"
        "x = 'mlflow deployments start-server'\n"
        "# MAGIC %pip install mlflow==2.9\n"
    )
    view = databricks_view(text)
    assert len(view) == len(text)
    lines = view.splitlines()
    assert lines[7].strip() == "mlflow deployments start-server"
    assert lines[10].strip() == "pip install mlflow==2.9"
    assert all(not lines[i].strip() for i in (0, 1, 2, 3, 4, 5, 6, 8, 9))
    # A plain `.py` file with look-alike comments is not a Databricks export:
    findings, _ = _fix(
        "plain.py", "# MAGIC %sh\n# MAGIC mlflow deployments start-server\n", "MLF503"
    )
    assert findings == []


def test_exec_form_in_dockerfile_with_config_path_is_safe() -> None:
    text = 'ENTRYPOINT ["mlflow","deployments","start-server","--config-path","/g.yaml"]\n'
    findings, fixed = _fix("Dockerfile", text, "MLF503")
    assert findings[0].fix.applicability.value == "safe"
    assert fixed == 'ENTRYPOINT ["mlflow","gateway","start","--config-path","/g.yaml"]\n'


def test_conda_flow_list_gets_quotes() -> None:
    text = "dependencies: [python=3.10, mlflow=2.9]\n"
    _, fixed = _fix("environment.yml", text, "MLF506")
    assert fixed == 'dependencies: [python=3.10, "mlflow>=3.1,<4"]\n'


_SERVER_SCRIPT = "mlflow server --host 0.0.0.0 --gunicorn-opts '--timeout 60' --static-prefix /p\n"


@pytest.mark.parametrize(
    ("target", "reported"),
    [
        ("3.3", ["--gunicorn-opts"]),
        ("3.5", ["0.0.0.0", "--gunicorn-opts"]),
        ("3.12", ["0.0.0.0", "--gunicorn-opts", "--static-prefix"]),
    ],
)
def test_server_options_in_scripts_follow_target_version(target: str, reported: list) -> None:
    findings, _ = _fix("serve.sh", _SERVER_SCRIPT, "MLF702", target_version=target)
    assert [_SERVER_SCRIPT[f.start_offset : f.end_offset] for f in findings] == reported


def test_mlserver_flag_dropped_from_flow_list_and_continued_line() -> None:
    text = 'CMD ["mlflow", "models", "serve", "-m", "/m", "--enable-mlserver"]\n'
    _, fixed = _fix("Dockerfile", text, "MLF407")
    assert fixed == 'CMD ["mlflow", "models", "serve", "-m", "/m"]\n'
    text = "mlflow models build-docker -m x \\\n  --enable-mlserver \\\n  -n img\n"
    _, fixed = _fix("build.sh", text, "MLF407")
    assert fixed == "mlflow models build-docker -m x \\\n  -n img\n"


def test_file_store_in_compose_command_is_display_only() -> None:
    text = "services:\n  t:\n    command: mlflow ui --backend-store-uri file:///data\n"
    findings, fixed = _fix("docker-compose.yml", text, "MLF206")
    assert len(findings) == 1 and not findings[0].fix.is_editing
    assert fixed == text


def test_file_store_env_is_left_alone_when_value_is_a_variable() -> None:
    text = "export MLFLOW_TRACKING_URI=${TRACKING_URI}\nmlflow server --backend-store-uri $DB\n"
    findings, _ = _fix("run.sh", text, "MLF206")
    assert findings == []
