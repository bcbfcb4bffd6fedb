"""Small pieces several Python rules share."""

from __future__ import annotations

import ast

from mlflow_upgrade.python import mlflow_api as api


def log_model_functions(*flavors: str, functions: tuple[str, ...] = ("log_model",)) -> set[str]:
    """Canonical names of `mlflow.<flavor>.<function>` for the given (default: all) flavors."""
    chosen = flavors or tuple(api.LOG_MODEL_FLAVORS)
    return {f"mlflow.{flavor}.{function}" for flavor in chosen for function in functions}


def keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def positional_index(function: str, parameter: str) -> int | None:
    params = api.positional_parameters(function)
    if params is None or parameter not in params:
        return None
    return params.index(parameter)
