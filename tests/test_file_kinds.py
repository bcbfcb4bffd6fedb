"""`detect_kind`: which files mlflow-upgrade reads, and as what."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlflow_upgrade.cli.walk import discover
from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.engine.settings import Settings
from mlflow_upgrade.files.detect import detect_kind

GATEWAY = """\
# MLflow AI Gateway
routes:
  - name: chat
    route_type: llm/v1/chat
    model:
      provider: openai
      name: gpt-4o-mini
      config:
        openai_api_key: $OPENAI_API_KEY
"""
GATEWAY_3X = """\
endpoints:
  - {name: a, endpoint_type: llm/v1/chat, model: {provider: openai, name: m, config: {}}}
routes:
  - name: split
    task_type: llm/v1/chat
    destinations: [{name: a, traffic_percentage: 100}]
"""
KONG = """\
_format_version: "3.0"
routes:
  - name: openai-chat
    paths: ["/openai"]
    plugins:
      - name: ai-proxy
        config:
          route_type: llm/v1/chat
          model: {provider: openai, name: gpt-4o}
"""

BY_NAME = [
    ("train.py", FileKind.PYTHON),
    ("stubs.pyi", FileKind.PYTHON),
    ("analysis.ipynb", FileKind.NOTEBOOK),
    ("start.sh", FileKind.SHELL),
    ("deploy.bash", FileKind.SHELL),
    (".envrc", FileKind.SHELL),
    ("Dockerfile", FileKind.DOCKERFILE),
    ("Dockerfile.gpu", FileKind.DOCKERFILE),
    ("gateway.dockerfile", FileKind.DOCKERFILE),
    ("Containerfile", FileKind.DOCKERFILE),
    ("Makefile", FileKind.MAKEFILE),
    ("GNUmakefile", FileKind.MAKEFILE),
    ("rules.mk", FileKind.MAKEFILE),
    ("Procfile", FileKind.PROCFILE),
    ("Procfile.dev", FileKind.PROCFILE),
    (".env", FileKind.DOTENV),
    (".env.production", FileKind.DOTENV),
    ("local.env", FileKind.DOTENV),
    ("requirements.txt", FileKind.REQUIREMENTS),
    ("requirements-dev.txt", FileKind.REQUIREMENTS),
    ("dev-requirements.txt", FileKind.REQUIREMENTS),
    ("requirements.in", FileKind.REQUIREMENTS),
    ("constraints.txt", FileKind.REQUIREMENTS),
    ("requirements/base.txt", FileKind.REQUIREMENTS),
    ("pyproject.toml", FileKind.PYPROJECT),
    ("setup.cfg", FileKind.SETUP_CFG),
    ("environment.yml", FileKind.CONDA),
    ("environment-gpu.yaml", FileKind.CONDA),
    ("conda.yaml", FileKind.CONDA),
    ("python_env.yaml", FileKind.CONDA),
    ("MLproject", FileKind.MLPROJECT),
    ("README.md", None),
    ("notes.txt", None),
    ("config.toml", None),
    ("tox.ini", None),
    ("model.pkl", None),
]


@pytest.mark.parametrize(("name", "kind"), BY_NAME, ids=[n for n, _ in BY_NAME])
def test_kind_by_name_without_reading(name: str, kind: FileKind | None) -> None:
    # The path does not exist: deciding by name must not need the file.
    assert detect_kind(Path("/nonexistent/project") / name) is kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (GATEWAY, FileKind.GATEWAY_YAML),
        (GATEWAY.replace("routes:", "endpoints:"), FileKind.GATEWAY_YAML),
        (GATEWAY_3X, FileKind.GATEWAY_YAML),
        (KONG, FileKind.YAML),
        ("routes:\n  - name: x\n    route_type: http\n    model: churn\n", FileKind.YAML),
        ("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n", FileKind.YAML),
        ("routes: [\n  broken", FileKind.YAML),
        ("", FileKind.YAML),
    ],
    ids=[
        "legacy",
        "endpoints",
        "traffic-split",
        "kong",
        "model-not-a-mapping",
        "ci",
        "bad",
        "empty",
    ],
)
def test_yaml_kind_by_content(tmp_path: Path, text: str, kind: FileKind) -> None:
    assert detect_kind(Path("config.yaml"), text) is kind
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    assert detect_kind(path) is kind


def test_large_yaml_read_only_at_its_head(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("items:\n" + "  - name: x\n" * 200_000 + "routes:\n  - route_type: x\n")
    assert detect_kind(path) is FileKind.YAML


def test_yaml_conda_and_mlproject_names_win_over_content(tmp_path: Path) -> None:
    assert detect_kind(tmp_path / "environment.yml", GATEWAY) is FileKind.CONDA
    assert detect_kind(tmp_path / "MLproject", "name: x\n") is FileKind.MLPROJECT


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        ("#!/bin/bash\necho hi\n", FileKind.SHELL),
        ("#!/usr/bin/env bash\n", FileKind.SHELL),
        ("#!/bin/sh -e\n", FileKind.SHELL),
        ("#! /usr/bin/env -S zsh\n", FileKind.SHELL),
        ("#!/usr/bin/env python3\nimport mlflow\n", FileKind.PYTHON),
        ("#!/usr/bin/perl\n", None),
        ("plain text\n", None),
    ],
)
def test_extensionless_by_shebang(tmp_path: Path, head: str, kind: FileKind | None) -> None:
    path = tmp_path / "serve"
    path.write_text(head, encoding="utf-8")
    assert detect_kind(path) is kind
    assert detect_kind(Path("serve"), head) is kind


def test_binary_extensionless_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_bytes(b"\x00\x01\x02" * 100)
    assert detect_kind(path) is None


def test_walk_picks_every_kind(tmp_path: Path) -> None:
    files = {
        "train.py": "import mlflow\n",
        "nb.ipynb": "{}",
        "gateway/config.yaml": GATEWAY,
        "kong/kong.yaml": KONG,
        ".github/workflows/ci.yml": "on: push\n",
        "scripts/serve.sh": "mlflow deployments start-server\n",
        "bin/serve": "#!/bin/sh\nmlflow deployments start-server\n",
        "Dockerfile": "FROM python\n",
        "Makefile": "all:\n",
        "Procfile": "web: x\n",
        ".env": "A=1\n",
        "requirements.txt": "mlflow<3\n",
        "pyproject.toml": "[project]\nname='x'\n",
        "setup.cfg": "[metadata]\n",
        "environment.yml": "dependencies: []\n",
        "MLproject": "name: x\n",
        "README.md": "# x\n",
        "LICENSE": "Apache\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    found = {p.relative_to(tmp_path).as_posix(): k for p, k in discover([tmp_path], Settings())}
    assert found == {
        "train.py": FileKind.PYTHON,
        "nb.ipynb": FileKind.NOTEBOOK,
        "gateway/config.yaml": FileKind.GATEWAY_YAML,
        "kong/kong.yaml": FileKind.YAML,
        ".github/workflows/ci.yml": FileKind.YAML,
        "scripts/serve.sh": FileKind.SHELL,
        "bin/serve": FileKind.SHELL,
        "Dockerfile": FileKind.DOCKERFILE,
        "Makefile": FileKind.MAKEFILE,
        "Procfile": FileKind.PROCFILE,
        ".env": FileKind.DOTENV,
        "requirements.txt": FileKind.REQUIREMENTS,
        "pyproject.toml": FileKind.PYPROJECT,
        "setup.cfg": FileKind.SETUP_CFG,
        "environment.yml": FileKind.CONDA,
        "MLproject": FileKind.MLPROJECT,
    }
