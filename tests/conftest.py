"""Shared test fixtures: paths to the real MLflow environments and the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENVS = ROOT / ".envs"
MLFLOW2_PYTHON = ENVS / "mlflow2" / "bin" / "python"
MLFLOW3_PYTHON = ENVS / "mlflow3" / "bin" / "python"
IN_CI = bool(os.environ.get("CI"))


def _require(python: Path) -> Path:
    if not python.exists():
        # In CI `make test` builds the environments first, so a missing one is a failure.
        if IN_CI:
            pytest.fail(f"missing test environment {python}; run `make envs`")
        pytest.skip(f"{python} not built; run `make envs`")
    return python


@pytest.fixture(scope="session")
def mlflow2_python() -> Path:
    return _require(MLFLOW2_PYTHON)


@pytest.fixture(scope="session")
def mlflow3_python() -> Path:
    return _require(MLFLOW3_PYTHON)
