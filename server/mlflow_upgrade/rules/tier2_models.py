"""MLF112-MLF117: model logging beyond the migration guide (tier 2)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind, TextEdit
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import CallChange, edit_call
from mlflow_upgrade.python.semantic import CallSite, Scope
from mlflow_upgrade.rules._helpers import log_model_functions
from mlflow_upgrade.rules._tier2 import (
    mlflow3_signatures,
    mlflow_module_name,
    reaches,
    references,
    removed_name_findings,
    removed_names_for,
    short_version,
    string_value,
)

_LOG_MODEL = log_model_functions() - {"mlflow.spark.log_model"}


# MLF112 -----------------------------------------------------------------------------------
_RUN_RELIANT = {
    "mlflow.active_run",
    "mlflow.last_active_run",
    "mlflow.end_run",
    "mlflow.get_artifact_uri",
    *(
        f"mlflow.{name}"
        for name in (
            "log_metric",
            "log_metrics",
            "log_param",
            "log_params",
            "set_tag",
            "set_tags",
            "log_artifact",
            "log_artifacts",
            "log_dict",
            "log_figure",
            "log_text",
            "log_image",
            "log_table",
            "log_input",
        )
    ),
}


@register
class LogModelOutsideRun(Rule):
    code = "MLF112"
    name = "log-model-outside-run"
    tier = 2
    kind = Kind.BEHAVIOUR
    since = "3.0.0"
    catalogue = "ML-07"
    summary = "`log_model` outside an active run, followed by code that uses the implicit run"
    fix = (Applicability.UNSAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "In MLflow 2, `log_model` with no active run started one implicitly and left it "
            "active. In MLflow 3.0 it logs a *logged model* with no run (`ModelInfo.run_id` is "
            "`None`) and starts nothing."
        ),
        why=(
            "Code after the call that relied on that run changes meaning: "
            "`mlflow.active_run()` is `None`, `mlflow.last_active_run()` is some earlier run, "
            "and `log_metric`/`log_param`/`set_tag` start a *new* run that the model is not "
            "linked to. Reported when such a use follows the `log_model` in the same code "
            "(module level, or a function this module calls outside a run), and no "
            "`start_run()` is active there."
        ),
        example=(
            'mlflow.sklearn.log_model(model, "model")\n'
            'mlflow.log_metric("accuracy", acc)\n'
            "run_id = mlflow.active_run().info.run_id"
        ),
        use_instead=(
            "with mlflow.start_run():\n"
            '    mlflow.sklearn.log_model(model, "model")\n'
            '    mlflow.log_metric("accuracy", acc)\n'
            "    run_id = mlflow.active_run().info.run_id"
        ),
        fix_safety=(
            "Unsafe: the statements from the `log_model` call to the last use of the run are "
            "wrapped in `with mlflow.start_run():`, which also ends the run at the end of the "
            "block (MLflow 2 left it open until exit). Not offered when the statements hold a "
            "multi-line string or `mlflow` is not imported as a module. Runs on MLflow 2.22 too."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        calls = list(ctx.calls_to(*_LOG_MODEL))
        reliant = list(ctx.calls_to(*_RUN_RELIANT)) if calls else []
        if not reliant:
            return
        parent_of = ctx.model.parent_of
        explicit_starts = list(ctx.calls_to("mlflow.start_run"))
        for call in calls:
            if _in_run(ctx, call.node, call.scope, parent_of):
                continue
            if any(
                s.scope is call.scope and s.node.lineno < call.node.lineno
                for s in explicit_starts
                if not _is_with_item(s.node, parent_of)
            ):
                continue
            if call.scope.kind == "function" and not self._called_outside_run(
                ctx, call.scope, parent_of
            ):
                continue
            later = [
                r
                for r in reliant
                if r.scope is call.scope
                and (r.node.lineno, r.node.col_offset) > (call.node.lineno, call.node.col_offset)
                and not _in_run(ctx, r.node, r.scope, parent_of)
            ]
            if not later:
                continue
            last = max(later, key=lambda r: r.node.lineno)
            yield ctx.report(
                self,
                call.node,
                f"`{call.callee}` outside a run no longer starts one in MLflow 3.0, but "
                f"`{later[0].callee}` below relies on it; wrap them in `with mlflow.start_run():`",
                self._fix(ctx, call, last, parent_of),
                related=[ctx.related(later[0].node, "uses the run MLflow 2 started implicitly")],
            )

    def _called_outside_run(self, ctx: PythonContext, scope: Scope, parent_of) -> bool:
        function = scope.node
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
        for node, use_scope in ctx.model.name_loads(function.name):
            call = parent_of(node)
            if (
                isinstance(call, ast.Call)
                and call.func is node
                and use_scope.kind == "module"
                and not _in_run(ctx, call, use_scope, parent_of)
            ):
                return True
        return False

    def _fix(self, ctx: PythonContext, call: CallSite, last: CallSite, parent_of) -> Fix:
        title = "Wrap the statements in `with mlflow.start_run():`"
        root = mlflow_module_name(ctx)
        first_statement, body = _statement_in_body(call.node, parent_of)
        last_statement = _ancestor_in(last.node, body, parent_of) if body is not None else None
        if root is None or first_statement is None or last_statement is None:
            return Fix(Applicability.DISPLAY_ONLY, title)
        start_line, end_line = first_statement.lineno, last_statement.end_lineno or 0
        if any(
            n.lineno != n.end_lineno and start_line <= n.lineno <= end_line
            for n, _scope in ctx.model.strings
        ) or any(
            isinstance(n, ast.JoinedStr) and n.lineno != n.end_lineno
            for statement in body[body.index(first_statement) : body.index(last_statement) + 1]
            for n in ast.walk(statement)
        ):
            return Fix(Applicability.DISPLAY_ONLY, title)
        index = ctx.document.index
        start = index.line_starts[start_line - 1]
        end = ctx.end(last_statement)
        indent = ctx.text[start : ctx.start(first_statement)]
        if indent.strip():
            return Fix(Applicability.DISPLAY_ONLY, title)

        def edits() -> list[TextEdit]:
            lines = ctx.text[start:end].splitlines(keepends=True)
            body_text = "".join(("    " + line) if line.strip() else line for line in lines)
            return [TextEdit(start, end, f"{indent}with {root}.start_run():\n{body_text}")]

        return Fix(Applicability.UNSAFE, title, edits, works_on_2x=True)


def _is_with_item(call: ast.Call, parent_of) -> bool:
    return isinstance(parent_of(call), ast.withitem)


def _in_run(ctx: PythonContext, node: ast.AST, scope: Scope, parent_of) -> bool:
    """Inside `with mlflow.start_run(...)` (or a `with` over an ActiveRun)."""
    current = parent_of(node)
    while current is not None:
        if isinstance(current, ast.With | ast.AsyncWith):
            for item in current.items:
                expr = item.context_expr
                callee = ctx.qualname(expr.func, scope) if isinstance(expr, ast.Call) else None
                if callee == "mlflow.start_run" or ctx.model.infer(expr, scope) == api.ACTIVE_RUN:
                    return True
        if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return False
        current = parent_of(current)
    return False


def _statement_in_body(node: ast.AST, parent_of) -> tuple[ast.stmt | None, list | None]:
    """The statement holding `node`, and the statement list it belongs to."""
    current = node
    while current is not None:
        parent = parent_of(current)
        if isinstance(current, ast.stmt) and parent is not None:
            for field in ("body", "orelse", "finalbody"):
                body = getattr(parent, field, None)
                if isinstance(body, list) and any(s is current for s in body):
                    return current, body
        current = parent
    return None, None


def _ancestor_in(node: ast.AST, body: list, parent_of) -> ast.stmt | None:
    current = node
    while current is not None:
        if any(s is current for s in body):
            return current  # type: ignore[return-value]
        current = parent_of(current)
    return None


# MLF113 -----------------------------------------------------------------------------------
_DEFAULT_FORMATS = {
    # callee: (parameter, MLflow 2 value, release that changed the default, why)
    **{
        f"mlflow.sklearn.{f}": (
            "serialization_format",
            '"cloudpickle"',
            "3.9.0",
            "serializes with skops by default (needs the `skops` package and refuses "
            "untrusted types)",
        )
        for f in ("log_model", "save_model")
    },
    **{
        f"mlflow.xgboost.{f}": (
            "model_format",
            '"xgb"',
            "3.6.0",
            'saves `model_format="ubj"` by default (`model.ubj` instead of `model.xgb`)',
        )
        for f in ("log_model", "save_model", "autolog")
    },
}


@register
class DefaultSerialization(Rule):
    code = "MLF113"
    name = "sklearn-default-serialization"
    tier = 2
    kind = Kind.BEHAVIOUR
    since = "3.6.0"
    catalogue = "ML-16, ML-17"
    summary = "sklearn `log_model/save_model` without `serialization_format` (skops default "
    "since 3.9); xgboost without `model_format` (ubj default since 3.6)"
    fix = (Applicability.UNSAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.9 changed the default `serialization_format` of "
            "`mlflow.sklearn.log_model/save_model` from cloudpickle to skops (outside "
            "Databricks). MLflow 3.6 changed the default `model_format` of "
            '`mlflow.xgboost.log_model/save_model/autolog` from `"xgb"` to `"ubj"`.'
        ),
        why=(
            "skops needs the `skops` package where the model is logged and loaded, and refuses "
            "custom estimators and other untrusted types unless `skops_trusted_types=` lists "
            "them; code that reads `model.pkl` or `model.xgb` from the artifacts breaks. Each "
            "finding appears only when the target version includes its change (sklearn from "
            "3.9, xgboost from 3.6)."
        ),
        example=(
            'mlflow.sklearn.log_model(pipeline, name="model")\n'
            'mlflow.xgboost.log_model(booster, name="booster")'
        ),
        use_instead=(
            'mlflow.sklearn.log_model(pipeline, name="model", serialization_format="cloudpickle")\n'
            'mlflow.xgboost.log_model(booster, name="booster", model_format="xgb")'
        ),
        fix_safety=(
            "Unsafe: pinning the MLflow 2 format keeps artifacts and loaders as they were, but "
            "gives up the safer skops format; choose deliberately. The argument is accepted by "
            "MLflow 2.22 too."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to(*_DEFAULT_FORMATS):
            parameter, value, version, what = _DEFAULT_FORMATS[call.callee]
            if not reaches(ctx, version) or call.has_star_args:
                continue
            if call.keyword(parameter) is not None:
                continue
            params = api.positional_parameters(call.callee) or []
            if parameter in params and len(call.node.args) > params.index(parameter):
                continue
            yield ctx.report(
                self,
                call.node.func,
                f"since MLflow {short_version(version)} `{call.callee}` {what}; pass "
                f"`{parameter}={value}` to keep the MLflow 2 format",
                Fix(
                    Applicability.UNSAFE,
                    f"Pin `{parameter}={value}`",
                    lambda c=call, p=parameter, v=value: [
                        edit_call(ctx, c.node, CallChange(add={p: v}))
                    ],
                    works_on_2x=True,
                ),
            )


# MLF114 -----------------------------------------------------------------------------------
_HISTORY_TAG = "mlflow.log-model.history"


@register
class ModelHistoryTag(Rule):
    code = "MLF114"
    name = "model-history-tag"
    tier = 2
    kind = Kind.BEHAVIOUR
    since = "3.0.0"
    catalogue = "ML-06"
    summary = "reads of the `mlflow.log-model.history` run tag / `MLFLOW_LOGGED_MODELS`"
    docs = RuleDocs(
        what_changed=(
            "MLflow 2's `log_model` recorded every model in the run tag "
            "`mlflow.log-model.history` (`mlflow.utils.mlflow_tags.MLFLOW_LOGGED_MODELS`). "
            "MLflow 3.0 links models to runs as logged models instead and writes the tag only "
            "for `mlflow.spark` / `mlflow.johnsnowlabs` run-artifact models."
        ),
        why="Code that parses the tag finds nothing (`KeyError`, empty searches).",
        example=(
            "run = mlflow.get_run(run_id)\n"
            'history = json.loads(run.data.tags["mlflow.log-model.history"])'
        ),
        use_instead=(
            "run = mlflow.get_run(run_id)\n"
            "model_ids = [o.model_id for o in run.outputs.model_outputs]\n"
            "# or: mlflow.search_logged_models(filter_string=f\"source_run_id='{run_id}'\")"
        ),
        fix_safety="Display-only: the replacement returns different objects.",
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        message = (
            "MLflow 3.0 no longer writes the `mlflow.log-model.history` run tag; use "
            "`run.outputs.model_outputs` or `mlflow.search_logged_models(...)`"
        )
        fix = Fix(Applicability.DISPLAY_ONLY, "Use `mlflow.search_logged_models`")
        for node, _scope in ctx.model.strings:
            if _HISTORY_TAG in node.value:
                yield ctx.report(self, node, message, fix)
        for ref in references(ctx, {"mlflow.utils.mlflow_tags.MLFLOW_LOGGED_MODELS"}):
            yield ctx.report(self, ref.node, message, fix)


# MLF115 -----------------------------------------------------------------------------------
# MLflow 2.22's prompt registration (a private module the signature table skips) [PR-02].
_REGISTER_PROMPT_2 = ["name", "template", "commit_message", "version_metadata", "tags"]
# (MLflow 2 parameter, MLflow 3 parameter) at one position that mean the same thing.
_SAME_MEANING = {("code_path", "code_paths")}


def _shift_functions() -> dict[str, tuple[list[str], int]]:
    """Callee -> (MLflow 2.22 positional parameters, first position whose meaning moved)."""
    new = mlflow3_signatures()
    found = {}
    candidates = log_model_functions(functions=("log_model", "save_model")) | {
        "mlflow.shap.log_explainer",
        "mlflow.shap.save_explainer",
        "mlflow.register_prompt",
        f"{api.CLIENT}.register_prompt",
    }
    for callee in candidates:
        old = api.positional_parameters(callee)
        if old is None and callee.endswith("register_prompt"):
            old = _REGISTER_PROMPT_2
        current = new.get(callee)
        if old is None or current is None:
            continue
        moved = next((i for i, p in enumerate(old) if i >= len(current) or current[i] != p), None)
        if moved is not None:
            found[callee] = (old, moved)
    return found


@register
class PositionalShift(Rule):
    code = "MLF115"
    name = "positional-shift"
    tier = 2
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-18"
    summary = "positional arguments of `log_model/save_model/log_explainer/register_prompt` "
    "whose parameter moved in MLflow 3"
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3 inserted or removed parameters in several signatures: "
            "`mlflow.pyfunc` (`code_path` gone at 3), `mlflow.transformers` (`inference_config` "
            "gone at 6), `mlflow.pytorch` (`requirements_file` gone at 9/8), "
            "`mlflow.langchain`/`openai`/`sentence_transformers` (`example_no_conversion` gone), "
            "`mlflow.spark`/`johnsnowlabs` (`sample_input` gone), `mlflow.shap.log_explainer` "
            "(`name` inserted at 11), `register_prompt` (`version_metadata` gone at 3). Every "
            "later positional argument now binds to a different parameter."
        ),
        why=(
            "Nothing fails: values silently land in the wrong parameter (for instance "
            "`register_prompt`'s 4th argument becomes `tags`). The table of positions is "
            "generated from MLflow 2.22.5 and the newest MLflow 3 signatures."
        ),
        example=(
            'mlflow.transformers.log_model(pipe, "model", None, None, None, None, {"max_length": 32})\n'
            'mlflow.register_prompt("qa", template, "first", {"author": "kim"})'
        ),
        use_instead=(
            'mlflow.transformers.log_model(pipe, "model", None, None, None, None, '
            'inference_config={"max_length": 32})\n'
            'mlflow.register_prompt("qa", template, "first", version_metadata={"author": "kim"})'
        ),
        fix_safety=(
            "Safe: the arguments from the first moved position on become keywords named after "
            "MLflow 2.22's signature, which is what they meant; the call then reads the same on "
            "both versions, and rules for removed parameters (MLF107-MLF111, MLF608) can rewrite "
            "the keywords."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        table = _shift_functions()
        for call in ctx.calls_to(*table):
            old, moved = table[call.callee]
            count = len(call.node.args)
            if count <= max(moved, 2):
                continue
            new = mlflow3_signatures().get(call.callee, [])
            if (
                count == moved + 1
                and moved < len(new)
                and (old[moved], new[moved]) in _SAME_MEANING
            ):
                continue
            start = max(moved, 2)
            if any(isinstance(a, ast.Starred) for a in call.node.args) or count > len(old):
                fix = Fix(Applicability.DISPLAY_ONLY, "Pass these arguments by keyword")
            else:
                mapping = {i: old[i] for i in range(start, count)}
                fix = Fix(
                    Applicability.SAFE,
                    "Pass the arguments by keyword (MLflow 2.22 names)",
                    lambda c=call, m=mapping: [
                        edit_call(ctx, c.node, CallChange(positional_to_keyword=m))
                    ],
                    works_on_2x=True,
                )
            yield ctx.report(
                self,
                call.node.args[start],
                f"positional argument {start + 1} of `{call.callee}` meant `{old[start]}` in "
                "MLflow 2 but binds to another parameter in MLflow 3; pass it by keyword",
                fix,
            )


# MLF116 -----------------------------------------------------------------------------------
@register
class FlavorNamespaceMoved(Rule):
    code = "MLF116"
    name = "flavor-namespace-moved"
    tier = 2
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-15"
    summary = "names gone from flavor packages (`mlflow.langchain.get_default_pip_requirements`, "
    "re-exports such as `mlflow.openai.Model`)"
    fix = (Applicability.SAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 slimmed the `__init__` of the langchain, openai, llama_index and dspy "
            "flavors: `get_default_pip_requirements` / `get_default_conda_env` moved to "
            "`mlflow.<flavor>.model` (`mlflow.dspy.save`), and names the packages only "
            "imported (`Model`, `ModelSignature`, `MlflowException`, …) are no longer "
            "reachable through them. The list comes from comparing MLflow 2.22.5 with MLflow 3 "
            "(`scripts/gen_removed_names.py`)."
        ),
        why="Importing or using them raises `ImportError` / `AttributeError` on MLflow 3.",
        example=(
            "from mlflow.langchain import get_default_pip_requirements, ModelSignature\n"
            "reqs = mlflow.openai.get_default_pip_requirements()"
        ),
        use_instead=(
            "from mlflow.langchain.model import get_default_pip_requirements\n"
            "from mlflow.models import ModelSignature\n"
            "reqs = mlflow.openai.model.get_default_pip_requirements()"
        ),
        fix_safety=(
            "Safe: imports move to the module that defines the object (the local name stays); "
            "attribute chains are rewritten when the new module is an attribute of its package "
            "after `import mlflow`. The moved functions also live in the new modules in MLflow "
            "2.22 for the re-exports (not for `mlflow.langchain.model` etc.), so compatibility "
            "with 2.22 depends on the name."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        yield from removed_name_findings(self, ctx, removed_names_for(self.code))


# MLF117 -----------------------------------------------------------------------------------
_FLUENT_ARTIFACTS = {"mlflow.log_artifact": 1, "mlflow.log_artifacts": 1}
_CLIENT_ARTIFACTS = {f"{api.CLIENT}.log_artifact": 2, f"{api.CLIENT}.log_artifacts": 2}


@register
class ModelPatchedThroughRun(Rule):
    code = "MLF117"
    name = "model-patched-through-run"
    tier = 2
    kind = Kind.BEHAVIOUR
    since = "3.0.0"
    catalogue = "ML-19"
    summary = "`log_artifact(s)` into the folder of a model logged in the same file"
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 stores a logged model under `models/<model_id>/artifacts`, not in the "
            "run's artifacts. Writing run artifacts to `<model name>/...` no longer changes the "
            "model."
        ),
        why=(
            "The extra file (often a fixed `requirements.txt`) ends up beside the model instead "
            "of inside it, and loading `models:/…` or `runs:/<run>/<name>` ignores it. Reported "
            "when the artifact path is a literal equal to (or inside) the literal name of a "
            "model this file logs."
        ),
        example=(
            'mlflow.sklearn.log_model(model, artifact_path="model")\n'
            'mlflow.log_artifact("requirements.txt", artifact_path="model")'
        ),
        use_instead=(
            'info = mlflow.sklearn.log_model(model, name="model")\n'
            "mlflow.models.update_model_requirements(\n"
            '    model_uri=info.model_uri, operation="add", requirement_list=["scikit-learn==1.5.2"]\n'
            ")"
        ),
        fix_safety=(
            "Display-only: use `mlflow.models.update_model_requirements` for requirements, or "
            "log a new model version with the changed files."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        models = _logged_model_names(ctx)
        if not models:
            return
        for call in ctx.calls_to(*_FLUENT_ARTIFACTS, *_CLIENT_ARTIFACTS):
            index = {**_FLUENT_ARTIFACTS, **_CLIENT_ARTIFACTS}[call.callee]
            keyword = call.keyword("artifact_path")
            node = (
                keyword.value
                if keyword is not None
                else (call.node.args[index] if len(call.node.args) > index else None)
            )
            path = string_value(node)
            if path is None:
                continue
            head = path.strip("/").split("/")[0]
            if head not in models:
                continue
            yield ctx.report(
                self,
                node,
                f"the model `{head}` is not stored in the run's artifacts in MLflow 3.0; this "
                "file does not change it. Use `mlflow.models.update_model_requirements` or log "
                "a new model",
                Fix(Applicability.DISPLAY_ONLY, "Use `mlflow.models.update_model_requirements`"),
                related=[ctx.related(models[head], "the model is logged here")],
            )


def _logged_model_names(ctx: PythonContext) -> dict[str, ast.AST]:
    names: dict[str, ast.AST] = {}
    for call in ctx.calls_to(*_LOG_MODEL):
        for parameter in ("name", "artifact_path"):
            keyword = call.keyword(parameter)
            if keyword is not None and string_value(keyword.value):
                names.setdefault(string_value(keyword.value).strip("/"), call.node)
        params = api.positional_parameters(call.callee) or []
        if "artifact_path" in params:
            index = params.index("artifact_path")
            if len(call.node.args) > index and string_value(call.node.args[index]):
                names.setdefault(string_value(call.node.args[index]).strip("/"), call.node)
    return names
