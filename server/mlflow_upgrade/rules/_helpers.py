"""Small pieces several Python rules share."""

from __future__ import annotations

import ast

from mlflow_upgrade.engine.findings import Applicability, Fix
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import rename_keyword
from mlflow_upgrade.python.semantic import CallSite


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


def keyword_rename_fix(
    ctx: PythonContext, call: CallSite, old: str, new: str, works_on_2x: bool = False
) -> Fix:
    """Rename keyword `old=` to `new=`; only say so when the call already passes `new=`."""
    keyword = call.keyword(old)
    if keyword is None or call.keyword(new) is not None:
        return Fix(Applicability.DISPLAY_ONLY, f"Remove `{old}=`; `{new}=` is given")
    return Fix(
        Applicability.SAFE,
        f"Rename `{old}=` to `{new}=`",
        lambda: [rename_keyword(ctx, keyword, new)],
        works_on_2x=works_on_2x,
    )
