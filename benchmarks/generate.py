"""Generated trees and files for the benchmarks (written by us, deterministic)."""

from __future__ import annotations

import random
from pathlib import Path

_PLAIN_BLOCK = '''
def transform_{i}(rows, scale={s}):
    """Scale and filter rows for report {i}."""
    result = []
    for row in rows:
        value = row.get("value", 0) * scale
        if value > {t}:
            result.append({{"id": row["id"], "value": value, "tag": "r{i}"}})
    return sorted(result, key=lambda r: r["value"])


class Report{i}:
    def __init__(self, rows):
        self.rows = transform_{i}(rows)

    def total(self):
        return sum(r["value"] for r in self.rows)
'''

_MLFLOW_HEADER = """import os

import mlflow
import mlflow.sklearn as msk
from mlflow.models import MetricThreshold
"""

_MLFLOW_BLOCK = """
def train_{i}(model, X, y):
    with mlflow.start_run() as run:
        model.fit(X, y)
        mlflow.log_param("alpha_{i}", {s})
        info = msk.log_model(model, artifact_path="model_{i}")
        print(run.info.run_uuid, info.signature_dict)
        threshold = MetricThreshold(threshold=0.{t}, higher_is_better=True)
        rows = [{{"id": k, "value": k * {s}}} for k in range(10)]
        return os.path.join("out", str(len(rows))), threshold
"""


_TYPICAL_HEADER = """import json
import math

import mlflow
import mlflow.sklearn
from mlflow.tracking import MlflowClient
"""

_TYPICAL_TRAINING = """

def train_{i}(model, X, y, params):
    \"\"\"Fit model {i} and log it with its parameters and metrics.\"\"\"
    with mlflow.start_run(run_name="train-{i}") as run:
        mlflow.log_params(params)
        model.fit(X, y)
        score = model.score(X, y)
        mlflow.log_metric("score_{i}", score)
        mlflow.sklearn.log_model(model, artifact_path="model_{i}")
        return run.info.run_id, score
"""


def typical_module(lines: int, seed: int = 0) -> str:
    """A module as teams write them: mostly their own code, with MLflow in a few places
    (about one finding every 50 lines)."""
    rng = random.Random(seed)
    parts = [_TYPICAL_HEADER]
    i = 0
    while sum(p.count("\n") for p in parts) < lines:
        block = _TYPICAL_TRAINING if i % 3 == 0 else _PLAIN_BLOCK
        parts.append(block.format(i=i, s=rng.randint(1, 9), t=rng.randint(1, 99)))
        i += 1
    return "".join(parts)


def plain_module(lines: int, seed: int) -> str:
    rng = random.Random(seed)
    parts = ["import json\nimport math\n"]
    i = 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append(_PLAIN_BLOCK.format(i=i, s=rng.randint(1, 9), t=rng.randint(1, 99)))
        i += 1
    return "".join(parts)


def mlflow_module(lines: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    parts = [_MLFLOW_HEADER]
    i = 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append(_MLFLOW_BLOCK.format(i=i, s=rng.randint(1, 9), t=rng.randint(1, 9)))
        i += 1
    return "".join(parts)


def tree(
    root: Path, files: int = 2000, lines_per_file: int = 150, mlflow_share: float = 0.1
) -> int:
    """Write a project tree; returns the total number of lines."""
    total = 0
    every = round(1 / mlflow_share)
    for index in range(files):
        folder = root / f"pkg{index // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        text = (
            mlflow_module(lines_per_file, index)
            if index % every == 0
            else plain_module(lines_per_file, index)
        )
        (folder / f"module_{index:04d}.py").write_text(text)
        total += text.count("\n")
    return total
