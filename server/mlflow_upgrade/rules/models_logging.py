"""MLF1xx: model logging (rules about how `log_model` and friends are called)."""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import CallChange, edit_call, keyword_for_positional
from mlflow_upgrade.rules._helpers import log_model_functions, positional_index

# `mlflow.spark.log_model` still requires `artifact_path` in MLflow 3 (no `name`).
_ARTIFACT_PATH_FUNCTIONS = (log_model_functions() - {"mlflow.spark.log_model"}) | {
    "mlflow.shap.log_explainer"
}


@register
class ArtifactPathToName(Rule):
    code = "MLF101"
    name = "artifact-path-to-name"
    tier = 1
    kind = Kind.DEPRECATED
    since = "3.0.0"
    catalogue = "ML-01"
    summary = "`artifact_path` passed to `mlflow.<flavor>.log_model` (use `name`)"
    fix = (Applicability.SAFE,)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 stores models as *logged models* outside runs, so `log_model` takes the "
            "model's `name` instead of a run `artifact_path`. `artifact_path` is still accepted "
            'but deprecated: each call logs "`artifact_path` is deprecated. Please use `name` '
            'instead.", and passing both raises an error.'
        ),
        why=(
            "The warning goes to the logger (not `warnings`), so `-W error` will not surface it; "
            "the parameter will be removed. Positional calls are fragile because `name` sits at a "
            "different position in every flavor and release."
        ),
        example=(
            "with mlflow.start_run():\n"
            '    mlflow.sklearn.log_model(model, artifact_path="model")\n'
            '    mlflow.pyfunc.log_model("agent", python_model=Agent())'
        ),
        use_instead=(
            "with mlflow.start_run():\n"
            '    mlflow.sklearn.log_model(model, name="model")\n'
            '    mlflow.pyfunc.log_model(name="agent", python_model=Agent())'
        ),
        fix_safety=(
            "Safe. The keyword is renamed; a positional `artifact_path` becomes `name=`, and every "
            "positional argument after it becomes a keyword named after MLflow 2.22's signature of "
            "that flavor, so nothing rebinds. `mlflow.spark.log_model` and `Model.log` are never "
            "touched: they still require `artifact_path`. `name` does not exist in MLflow 2.22, "
            "so the fixed code needs MLflow 3."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to(*_ARTIFACT_PATH_FUNCTIONS):
            keyword = call.keyword("artifact_path")
            if keyword is not None:
                if call.keyword("name") is None:
                    fix = Fix(
                        Applicability.SAFE,
                        "Rename `artifact_path=` to `name=`",
                        lambda c=call: [
                            edit_call(ctx, c.node, CallChange(rename={"artifact_path": "name"}))
                        ],
                    )
                else:
                    fix = Fix(
                        Applicability.DISPLAY_ONLY, "Remove `artifact_path=`; `name=` is given"
                    )
                yield ctx.report(
                    self,
                    keyword,
                    f"`artifact_path` is deprecated since MLflow 3.0 in `{call.callee}`; "
                    "pass the model's `name=` instead",
                    fix,
                )
                continue
            yield from self._positional(ctx, call)

    def _positional(self, ctx: PythonContext, call) -> Iterator[Finding]:
        index = positional_index(call.callee, "artifact_path")
        if index is None or len(call.positional) <= index or call.keyword("name") is not None:
            return
        params = api.positional_parameters(call.callee) or []
        mapping = keyword_for_positional(call.node, params, index)
        argument = call.positional[index]
        if mapping is None:
            fix = Fix(Applicability.DISPLAY_ONLY, "Pass the model name as `name=`")
        else:
            mapping[index] = "name"
            fix = Fix(
                Applicability.SAFE,
                "Pass the model name as `name=` (later arguments by keyword)",
                lambda c=call, m=mapping: [
                    edit_call(ctx, c.node, CallChange(positional_to_keyword=m))
                ],
            )
        yield ctx.report(
            self,
            argument,
            f"positional `artifact_path` of `{call.callee}` is deprecated since MLflow 3.0; "
            "pass the model's `name=` instead",
            fix,
        )
