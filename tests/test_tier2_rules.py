"""Tier-2 rules: findings that depend on the target MLflow version, and small helpers."""

from __future__ import annotations

import pytest

from mlflow_upgrade.engine.analyze import Engine
from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.engine.settings import Settings
from mlflow_upgrade.rules._tier2 import removed_names_for, removed_table
from mlflow_upgrade.rules.tier2_tracking import is_file_store, sqlite_uri_for


def _lines(code: str, text: str, target: str) -> list[int]:
    engine = Engine(Settings(select=(code,), target_version=target))
    analysis = engine.analyze(Document(text))
    assert not analysis.internal_errors
    return sorted(f.span.start.line + 1 for f in analysis.findings if f.code == code)


DEFAULT_FORMATS = """\
import mlflow
mlflow.sklearn.log_model(pipeline, name="model")
mlflow.xgboost.log_model(booster, name="booster")
"""


@pytest.mark.parametrize(
    ("target", "lines"), [("3.5", []), ("3.6", [3]), ("3.8", [3]), ("3.9", [2, 3])]
)
def test_default_formats_follow_the_release_that_changed_them(target, lines) -> None:
    assert _lines("MLF113", DEFAULT_FORMATS, target) == lines


GATEWAY = """\
import mlflow
from mlflow.gateway import query
from mlflow.gateway.config import RouteConfig
from mlflow.gateway.constants import MLFLOW_GATEWAY_ROUTE_TIMEOUT_SECONDS
"""


@pytest.mark.parametrize(
    ("target", "lines"), [("3.0", [2]), ("3.6", [2, 3]), ("3.13", [2, 3]), ("3.14", [2, 3, 4])]
)
def test_removed_names_are_reported_from_their_release_on(target, lines) -> None:
    assert _lines("MLF404", GATEWAY, target) == lines


TRACES = """\
import mlflow
mlflow.search_traces(experiment_ids=["1"], extract_fields=["a.inputs"])
"""


def test_search_traces_keywords_follow_their_releases() -> None:
    assert _lines("MLF609", TRACES, "3.4") == []
    engine = Engine(Settings(select=("MLF609",), target_version="3.5"))
    findings = engine.analyze(Document(TRACES)).findings
    assert [f.message.split(" ")[0] for f in findings] == ["`search_traces(experiment_ids=…)`"]
    assert len(_lines("MLF609", TRACES, "3.6")) == 2


CLIENT_ASSESSMENT = """\
from mlflow import MlflowClient
MlflowClient().delete_assessment("tr-1", "a-1")
"""


def test_client_assessment_methods_are_removed_in_3_2() -> None:
    assert _lines("MLF606", CLIENT_ASSESSMENT, "3.1") == []
    assert _lines("MLF606", CLIENT_ASSESSMENT, "3.2") == [2]


def test_file_store_rule_starts_with_3_13() -> None:
    text = 'import mlflow\nmlflow.set_tracking_uri("./mlruns")\n'
    assert _lines("MLF206", text, "3.12") == []
    assert _lines("MLF206", text, "3.13") == [2]


@pytest.mark.parametrize(
    ("uri", "file_store"),
    [
        ("./mlruns", True),
        ("mlruns", True),
        ("/data/mlruns", True),
        ("C:\\mlruns", True),
        ("file:///tmp/mlruns", True),
        ("sqlite:///mlflow.db", False),
        ("postgresql://u@h/db", False),
        ("http://localhost:5000", False),
        ("databricks", False),
        ("databricks://profile", False),
        ("databricks-uc", False),
        ("", False),
    ],
)
def test_file_store_uris(uri: str, file_store: bool) -> None:
    assert is_file_store(uri) is file_store


@pytest.mark.parametrize(
    ("uri", "database"),
    [
        ("./mlruns", "sqlite:///mlflow.db"),
        ("mlruns", "sqlite:///mlflow.db"),
        ("/srv/mlflow/mlruns", "sqlite:////srv/mlflow/mlflow.db"),
        ("file:///srv/mlflow/mlruns/", "sqlite:////srv/mlflow/mlflow.db"),
    ],
)
def test_sqlite_uri_beside_the_store(uri: str, database: str) -> None:
    assert sqlite_uri_for(uri) == database


def test_each_removed_name_belongs_to_one_rule() -> None:
    table = removed_table()
    mine = {code: removed_names_for(code) for code in ("MLF116", "MLF404", "MLF406", "MLF407")}
    seen: set[str] = set()
    for names in mine.values():
        assert not seen & set(names)
        seen |= set(names)
    assert "mlflow.get_last_active_trace" not in mine["MLF406"]
    assert table["mlflow.pyspark.optuna.storage"]["replacement"] == "mlflow.optuna.storage"
