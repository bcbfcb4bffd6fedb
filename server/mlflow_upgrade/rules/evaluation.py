"""MLF3xx: model evaluation (`mlflow.evaluate`, `mlflow.models.evaluate`, `MetricThreshold`)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from functools import partial

from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind, TextEdit
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import (
    CallChange,
    edit_call,
    extend_dict_source,
    minimal_edit,
    rename_attribute,
    rename_keyword,
    replace_node,
    rewrite_call_source,
    without_comments,
)
from mlflow_upgrade.python.semantic import CallSite
from mlflow_upgrade.rules._helpers import keyword_rename_fix
from mlflow_upgrade.rules._rewrites import (
    add_module_import,
    all_identifiers,
    import_sites,
    mlflow_reference,
    move_import,
    statement_lines,
    unique_name,
)

EVALUATE = ("mlflow.evaluate", "mlflow.models.evaluate")
_VALIDATION_KEYWORDS = ("baseline_model", "baseline_config", "validation_thresholds")


def _evaluate_calls(ctx: PythonContext) -> Iterator[CallSite]:
    return ctx.calls_to(*EVALUATE)


def _model_argument(call: CallSite) -> ast.expr | None:
    """The candidate model expression, or None when the call evaluates static predictions."""
    if call.positional and not isinstance(call.positional[0], ast.Starred):
        model = call.positional[0]
    else:
        keyword = call.keyword("model")
        model = keyword.value if keyword is not None else None
    if isinstance(model, ast.Constant) and model.value is None:
        return None
    return model


@register
class EvaluateBaselineRemoved(Rule):
    code = "MLF301"
    name = "evaluate-baseline-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "EV-03"
    summary = (
        "`baseline_model=`, `baseline_config=`, `validation_thresholds=` on `mlflow.evaluate` / "
        "`mlflow.models.evaluate` (use `mlflow.validate_evaluation_results`)"
    )
    fix = (Applicability.UNSAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0.0 removed model validation from `evaluate`: the parameters "
            "`baseline_model`, `baseline_config` and `validation_thresholds` are gone "
            "(`TypeError: evaluate() got an unexpected keyword argument ...`). Evaluate the "
            "candidate and the baseline separately and compare the two results with "
            "`mlflow.validate_evaluation_results(validation_thresholds, candidate_result, "
            "baseline_result)`, which raises `ModelValidationFailedException` as before. MLflow "
            '2.22 already warned: "Model validation functionality is moved from '
            '`mlflow.evaluate` to the `mlflow.validate_evaluation_results()` API."'
        ),
        why="The call fails on MLflow 3 before anything is evaluated.",
        example=(
            "result = mlflow.models.evaluate(\n"
            "    candidate_uri,\n"
            "    data,\n"
            '    targets="label",\n'
            '    model_type="classifier",\n'
            "    baseline_model=baseline_uri,\n"
            "    validation_thresholds=thresholds,\n"
            ")"
        ),
        use_instead=(
            "result = mlflow.models.evaluate(\n"
            "    candidate_uri,\n"
            "    data,\n"
            '    targets="label",\n'
            '    model_type="classifier",\n'
            ")\n"
            "baseline_result = mlflow.models.evaluate(\n"
            "    baseline_uri,\n"
            "    data,\n"
            '    targets="label",\n'
            '    model_type="classifier",\n'
            ")\n"
            "mlflow.validate_evaluation_results(\n"
            "    validation_thresholds=thresholds,\n"
            "    candidate_result=result,\n"
            "    baseline_result=baseline_result,\n"
            ")"
        ),
        fix_safety=(
            "Unsafe: review the rewrite. A statement `x = evaluate(...)` or a bare "
            "`evaluate(...)` call becomes three statements at the same indentation: the "
            "candidate evaluation, the baseline evaluation (the same arguments with the "
            "baseline model, and `model_config=baseline_config` when one was given) and the "
            "validation call; `import mlflow` is added when no name refers to `mlflow`. The "
            "argument expressions are written twice, so an expression with side effects (such "
            "as a call that loads data) runs twice. MLflow 2 returned the validation's result "
            "(`None`) on this path; the fixed code keeps the candidate's `EvaluationResult` "
            "instead. MLflow 2 logged both evaluations into one run: the two calls share a run "
            "only inside `with mlflow.start_run():`. `validation_thresholds` without a "
            "baseline is validated against absolute thresholds only (MLflow 2.22 ignored it). "
            "`baseline_model` without `validation_thresholds` was ignored by MLflow 2.22, so "
            "the fix deletes it. Other shapes (the call inside a larger expression, a "
            "`return`, `**kwargs`, no candidate model) are display-only. The fixed code also "
            "runs on MLflow 2.22, which has `validate_evaluation_results`."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in _evaluate_calls(ctx):
            keywords = [k for k in call.node.keywords if k.arg in _VALIDATION_KEYWORDS]
            if not keywords:
                continue
            fix = self._fix(ctx, call)
            for keyword in keywords:
                yield ctx.report(
                    self,
                    keyword,
                    f"`{keyword.arg}` of `{call.callee}` was removed in MLflow 3.0.0; evaluate "
                    "the baseline separately and call `mlflow.validate_evaluation_results`",
                    fix,
                )

    def _fix(self, ctx: PythonContext, call: CallSite) -> Fix:
        display = Fix(
            Applicability.DISPLAY_ONLY,
            "Evaluate the candidate and the baseline separately, then call "
            "`mlflow.validate_evaluation_results(validation_thresholds, candidate_result, "
            "baseline_result)`",
        )
        if call.has_star_args:
            return display
        if call.keyword("validation_thresholds") is None:
            return Fix(
                Applicability.UNSAFE,
                "Remove `baseline_model=`/`baseline_config=` (MLflow 2.22 ignored them without "
                "`validation_thresholds`)",
                lambda: [edit_call(ctx, call.node, CallChange(remove=set(_VALIDATION_KEYWORDS)))],
                works_on_2x=True,
            )
        plan = _ValidationRewrite.plan(ctx, call)
        if plan is None:
            return display
        return Fix(
            Applicability.UNSAFE,
            "Split into candidate and baseline evaluations and "
            "`mlflow.validate_evaluation_results(...)`",
            plan.edits,
            works_on_2x=True,
        )


class _ValidationRewrite:
    """`evaluate(..., baseline_model=b, validation_thresholds=t)` as three statements."""

    def __init__(self, ctx: PythonContext, call: CallSite, statement: ast.stmt) -> None:
        self.ctx = ctx
        self.call = call
        self.statement = statement

    @classmethod
    def plan(cls, ctx: PythonContext, call: CallSite) -> _ValidationRewrite | None:
        statement = ctx.model.parent_of(call.node)
        if isinstance(statement, ast.Expr):
            pass
        elif isinstance(statement, ast.Assign):
            if len(statement.targets) != 1 or not isinstance(
                statement.targets[0], ast.Name | ast.Attribute
            ):
                return None
        elif isinstance(statement, ast.AnnAssign):
            if statement.value is not call.node:
                return None
        else:
            return None
        if statement_lines(ctx, statement) is None:
            return None
        if call.keyword("baseline_model") is not None and _model_argument(call) is None:
            return None
        if (
            mlflow_reference(ctx, call.node, call.scope) is None
            and ctx.qualname(ast.Name(id="mlflow", ctx=ast.Load()), call.scope) is not None
        ):
            return None  # `mlflow` means something else here
        return cls(ctx, call, statement)

    def edits(self) -> list[TextEdit]:
        ctx, call, statement = self.ctx, self.call, self.statement
        newline = ctx.document.newline
        lines = statement_lines(ctx, statement)
        assert lines is not None
        indent = lines.indent
        taken = all_identifiers(ctx)
        call_source = ctx.source(call.node)
        candidate_call = rewrite_call_source(
            call_source, CallChange(remove=set(_VALIDATION_KEYWORDS))
        )
        before = ctx.text[ctx.start(statement) : ctx.start(call.node)]
        after = ctx.text[ctx.end(call.node) : ctx.end(statement)]
        if isinstance(statement, ast.Expr):
            candidate = unique_name("candidate_result", taken)
            before = f"{candidate} = "
        else:
            target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
            candidate = ctx.source(target)
        pieces = [f"{before}{candidate_call}{after}"]
        validation = {"validation_thresholds": self._value("validation_thresholds")}
        validation["candidate_result"] = candidate
        baseline_model = call.keyword("baseline_model")
        if baseline_model is not None:
            baseline = unique_name("baseline_result", taken)
            pieces.append(f"{baseline} = {self._baseline_call(call_source, baseline_model)}")
            validation["baseline_result"] = baseline
        mlflow = mlflow_reference(ctx, call.node, call.scope)
        edits = []
        if mlflow is None:
            mlflow = "mlflow"
            edits.append(add_module_import(ctx, "import mlflow"))
        pieces.append(
            _call_text(f"{mlflow}.validate_evaluation_results", validation, indent, newline)
        )
        # The candidate takes the statement's place (a trailing comment stays on its line);
        # the baseline evaluation and the validation follow on new lines.
        edits.append(minimal_edit(ctx.start(statement), ctx.source(statement), pieces[0]))
        following = "".join(newline + indent + piece for piece in pieces[1:])
        edits.append(TextEdit(lines.line_end, lines.line_end, following))
        return edits

    def _value(self, keyword: str) -> str:
        node = self.call.keyword(keyword)
        assert node is not None
        return self.ctx.source(node.value)

    def _baseline_call(self, call_source: str, baseline_model: ast.keyword) -> str:
        """The candidate call evaluating the baseline model (with its config) instead."""
        ctx, call = self.ctx, self.call
        model = _model_argument(call)
        assert model is not None
        offset = ctx.start(call.node)
        start, end = ctx.start(model) - offset, ctx.end(model) - offset
        source = call_source[:start] + ctx.source(baseline_model.value) + call_source[end:]
        change = CallChange(remove={*_VALIDATION_KEYWORDS, "model_config"})
        baseline_config = call.keyword("baseline_config")
        if baseline_config is not None:
            change.add = {"model_config": _parenthesised(ctx.source(baseline_config.value))}
        rewritten = rewrite_call_source(source, change)
        # Comments describe the candidate's arguments: the copy goes without them.
        return without_comments(rewritten)


def _parenthesised(source: str) -> str:
    return f"({source})" if "\n" in source else source


def _call_text(
    function: str, keywords: dict[str, str], indent: str, newline: str, width: int = 100
) -> str:
    """A call with keyword arguments: on one line when it fits, else one argument a line."""
    one_line = f"{function}({', '.join(f'{k}={v}' for k, v in keywords.items())})"
    if len(indent) + len(one_line) <= width and "\n" not in one_line:
        return one_line
    inner = indent + ("\t" if indent.startswith("\t") else "    ")
    body = "".join(f"{newline}{inner}{k}={v}," for k, v in keywords.items())
    return f"{function}({body}{newline}{indent})"


@register
class MetricThresholdHigherIsBetter(Rule):
    code = "MLF302"
    name = "metric-threshold-higher-is-better"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "EV-04"
    summary = (
        "`MetricThreshold(higher_is_better=...)` and `.higher_is_better` on a `MetricThreshold` "
        "(use `greater_is_better`)"
    )
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0.0 removed the `higher_is_better` parameter and property of "
            "`mlflow.models.MetricThreshold` (deprecated since 2.3.0): "
            "`TypeError: MetricThreshold.__init__() got an unexpected keyword argument "
            "'higher_is_better'`. It was the fifth positional parameter, so a fifth positional "
            "argument now raises too. `greater_is_better` means the same."
        ),
        why="Building validation thresholds fails on MLflow 3, before any evaluation runs.",
        example=(
            "threshold = MetricThreshold(threshold=0.8, higher_is_better=True)\n"
            "if threshold.higher_is_better:\n"
            "    ..."
        ),
        use_instead=(
            "threshold = MetricThreshold(threshold=0.8, greater_is_better=True)\n"
            "if threshold.greater_is_better:\n"
            "    ..."
        ),
        fix_safety=(
            "Safe, and the result runs on MLflow 2.22 too (which has `greater_is_better`). "
            "A fifth positional argument becomes `greater_is_better=`; when the fourth is also "
            "given (MLflow 2 rejected both) the finding is display-only unless the fourth is "
            "`None`, which is then dropped. The property is renamed only where the receiver is "
            "known to be a `MetricThreshold`."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        message = (
            "`higher_is_better` of `MetricThreshold` was removed in MLflow 3.0.0; "
            "use `greater_is_better`"
        )
        for call in ctx.calls_to(api.METRIC_THRESHOLD):
            keyword = call.keyword("higher_is_better")
            if keyword is not None:
                if call.keyword("greater_is_better") is not None or len(call.positional) > 3:
                    fix = Fix(
                        Applicability.DISPLAY_ONLY,
                        "Remove `higher_is_better=`; `greater_is_better` is given",
                    )
                else:
                    fix = Fix(
                        Applicability.SAFE,
                        "Rename `higher_is_better=` to `greater_is_better=`",
                        lambda k=keyword: [rename_keyword(ctx, k, "greater_is_better")],
                        works_on_2x=True,
                    )
                yield ctx.report(self, keyword, message, fix)
            if len(call.positional) == 5 and not call.has_star_args:
                yield ctx.report(self, call.positional[4], message, self._positional(ctx, call))
        for node, scope in ctx.model.attribute_accesses("higher_is_better"):
            if ctx.receiver_type(node, scope) != api.METRIC_THRESHOLD:
                continue
            end = ctx.end(node)
            yield ctx.report_span(
                self,
                end - len("higher_is_better"),
                end,
                "`MetricThreshold.higher_is_better` was removed in MLflow 3.0.0; "
                "use `greater_is_better`",
                Fix(
                    Applicability.SAFE,
                    "Replace with `greater_is_better`",
                    lambda n=node: [rename_attribute(ctx, n, "greater_is_better")],
                    works_on_2x=True,
                ),
            )

    def _positional(self, ctx: PythonContext, call: CallSite) -> Fix:
        fourth = call.positional[3]
        if call.keyword("greater_is_better") is not None or not (
            isinstance(fourth, ast.Constant) and fourth.value is None
        ):
            return Fix(Applicability.DISPLAY_ONLY, "Pass only one of the 4th and 5th arguments")
        change = CallChange(
            positional_to_keyword={3: "_unused", 4: "greater_is_better"}, remove={"_unused"}
        )
        return Fix(
            Applicability.SAFE,
            "Pass the 5th argument as `greater_is_better=`",
            lambda: [edit_call(ctx, call.node, change)],
            works_on_2x=True,
        )


@register
class EvaluateCustomMetrics(Rule):
    code = "MLF303"
    name = "evaluate-custom-metrics"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "EV-02"
    summary = (
        "`custom_metrics=` on `mlflow.evaluate` / `mlflow.models.evaluate` (use `extra_metrics`)"
    )
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0.0 removed the `custom_metrics` parameter of `evaluate` "
            "(`TypeError`). MLflow 2 had warned: \"The 'custom_metrics' parameter in "
            "mlflow.evaluate is deprecated. Please update your code to use the 'extra_metrics' "
            'parameter instead." `extra_metrics` takes the same `EvaluationMetric` objects '
            "(from `mlflow.models.make_metric`, whose signature did not change)."
        ),
        why="The evaluation fails on MLflow 3 before computing anything.",
        example=(
            'mlflow.models.evaluate(model_uri, data, targets="y", model_type="regressor",\n'
            "                       custom_metrics=[hit_rate])"
        ),
        use_instead=(
            'mlflow.models.evaluate(model_uri, data, targets="y", model_type="regressor",\n'
            "                       extra_metrics=[hit_rate])"
        ),
        fix_safety=(
            "Safe: MLflow 2 used `custom_metrics` as `extra_metrics`. When both are given "
            "(MLflow 2 rejected that) the two lists are merged into `extra_metrics`: literally "
            "when both are list literals, else as `[*extra, *custom]`. The result runs on "
            "MLflow 2.22 too."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in _evaluate_calls(ctx):
            keyword = call.keyword("custom_metrics")
            if keyword is None:
                continue
            extra = call.keyword("extra_metrics")
            if extra is None:
                fix = keyword_rename_fix(
                    ctx, call, "custom_metrics", "extra_metrics", works_on_2x=True
                )
            else:
                fix = Fix(
                    Applicability.SAFE,
                    "Merge `custom_metrics=` into `extra_metrics=`",
                    lambda c=call, e=extra, k=keyword: self._merge(ctx, c, e, k),
                    works_on_2x=True,
                )
            yield ctx.report(
                self,
                keyword,
                f"`custom_metrics` of `{call.callee}` was removed in MLflow 3.0.0; "
                "pass the metrics as `extra_metrics`",
                fix,
            )

    @staticmethod
    def _merge(
        ctx: PythonContext, call: CallSite, extra: ast.keyword, custom: ast.keyword
    ) -> list[TextEdit]:
        if isinstance(extra.value, ast.List) and isinstance(custom.value, ast.List):
            items = [ctx.source(e) for e in [*extra.value.elts, *custom.value.elts]]
            merged = "[" + ", ".join(items) + "]"
        else:
            merged = f"[*{_starrable(ctx, extra.value)}, *{_starrable(ctx, custom.value)}]"
        change = CallChange(remove={"custom_metrics", "extra_metrics"})
        change.add = {"extra_metrics": merged}
        return [edit_call(ctx, call.node, change)]


def _starrable(ctx: PythonContext, expr: ast.expr) -> str:
    source = ctx.source(expr)
    simple = isinstance(expr, ast.Name | ast.Attribute | ast.List | ast.Tuple | ast.Call)
    return source if simple and "\n" not in source else f"({source})"


_EXPLAINER_KEYS = {"log_model_explainability": "True", "log_explainer": "True"}


@register
class EvaluateExplainerNotLogged(Rule):
    code = "MLF304"
    name = "evaluate-explainer-not-logged"
    tier = 1
    kind = Kind.BEHAVIOUR
    since = "3.0.0"
    catalogue = "EV-05"
    summary = (
        "evaluation of a `classifier`/`regressor` model without `log_explainer` in "
        "`evaluator_config` (the SHAP explainer is no longer logged by default)"
    )
    fix = (Applicability.UNSAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "In MLflow 2, evaluating a classifier or regressor with SHAP installed logged the "
            "SHAP explainer as a model at the run artifact `explainer`. Since MLflow 3.0.0 the "
            "explainer is logged only when `evaluator_config` sets both "
            '`"log_model_explainability": True` and `"log_explainer": True` (then as a '
            "logged model named `explainer`). Explainability metrics and plots are still "
            "produced by default."
        ),
        why=(
            "Code or people that load the explainer after the evaluation "
            "(`mlflow.shap.load_explainer(...)`) find nothing. Calls without a model "
            '(static predictions), with `"log_model_explainability": False`, with '
            "`evaluators=` that leave out the default evaluator, or with an "
            "`evaluator_config` that is not a dictionary literal are not reported: either no "
            "explainer was logged in MLflow 2 either, or the configuration is unknown."
        ),
        example=('mlflow.models.evaluate(model_uri, data, targets="y", model_type="classifier")'),
        use_instead=(
            "mlflow.models.evaluate(\n"
            "    model_uri,\n"
            "    data,\n"
            '    targets="y",\n'
            '    model_type="classifier",\n'
            '    evaluator_config={"log_model_explainability": True, "log_explainer": True},\n'
            ")"
        ),
        fix_safety=(
            "Unsafe: logging the explainer costs time and storage, and is only worth it when "
            "something uses it; drop the finding with `# noqa: MLF304` otherwise. The fix adds "
            "the two keys to a dictionary literal `evaluator_config` (only `log_explainer` when "
            "`log_model_explainability` is already set) or adds the `evaluator_config=` "
            "argument. MLflow 2.22 ignores `log_explainer` and keeps logging the explainer, so "
            "the result runs there too. With an explicit `evaluators=` list MLflow expects "
            "`evaluator_config` keyed by evaluator name, so there the finding only says what "
            "to write."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in _evaluate_calls(ctx):
            model_type = call.keyword("model_type")
            if model_type is None or ctx.literal_string(model_type.value) not in (
                "classifier",
                "regressor",
            ):
                continue
            if _model_argument(call) is None or call.has_star_args:
                continue
            if not _runs_shap(ctx, call):
                continue
            config = call.keyword("evaluator_config")
            if config is None:
                value = "{" + ", ".join(f'"{k}": {v}' for k, v in _EXPLAINER_KEYS.items()) + "}"
                edits = partial(_add_keyword, ctx, call, "evaluator_config", value)
            else:
                if not isinstance(config.value, ast.Dict):
                    continue
                keys = _literal_keys(config.value)
                if keys is None or "log_explainer" in keys:
                    continue
                explainability = keys.get("log_model_explainability")
                if isinstance(explainability, ast.Constant) and not explainability.value:
                    continue
                missing = {k: v for k, v in _EXPLAINER_KEYS.items() if k not in keys}
                edits = partial(_extend_dict, ctx, config.value, missing)
            yield ctx.report(
                self,
                model_type,
                f"since MLflow 3.0.0 `{call.callee}` logs the SHAP explainer of a "
                f"{ctx.literal_string(model_type.value)} only with "
                '`evaluator_config={"log_model_explainability": True, "log_explainer": True}`',
                _explainer_fix(call, edits),
            )


def _explainer_fix(call: CallSite, edits: Callable[[], list[TextEdit]]) -> Fix:
    # With an explicit `evaluators=` list MLflow expects `evaluator_config` keyed by
    # evaluator name; a flat config would raise, so the fix only says what to write.
    if call.keyword("evaluators") is not None:
        return Fix(
            Applicability.DISPLAY_ONLY,
            'Add `"log_model_explainability": True, "log_explainer": True` to the `"default"` '
            "entry of `evaluator_config`",
        )
    return Fix(
        Applicability.UNSAFE,
        'Add `"log_explainer": True` to `evaluator_config`',
        edits,
        works_on_2x=True,
    )


def _add_keyword(ctx: PythonContext, call: CallSite, name: str, value: str) -> list[TextEdit]:
    return [edit_call(ctx, call.node, CallChange(add={name: value}))]


def _runs_shap(ctx: PythonContext, call: CallSite) -> bool:
    """The default evaluators (which include SHAP) run, as far as the call says."""
    evaluators = call.keyword("evaluators")
    if evaluators is None:
        return True
    value = evaluators.value
    names = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
    return any(ctx.literal_string(n) in ("default", "shap") for n in names)


def _literal_keys(mapping: ast.Dict) -> dict[str, ast.expr] | None:
    """The string keys of a dictionary literal, or None when some key is not a literal."""
    keys = {}
    for key, value in zip(mapping.keys, mapping.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        keys[key.value] = value
    return keys


def _extend_dict(ctx: PythonContext, mapping: ast.Dict, entries: dict[str, str]) -> list[TextEdit]:
    """Add entries at the end of a dictionary literal, keeping its layout."""
    extended = extend_dict_source(ctx.source(mapping), entries, _quote_of(ctx, mapping))
    return [replace_node(ctx, mapping, extended)]


def _quote_of(ctx: PythonContext, mapping: ast.Dict) -> str:
    for key in mapping.keys:
        if key is not None:
            source = ctx.source(key)
            if source[:1] in ("'", '"'):
                return source[0]
    return '"'


@register
class MlflowEvaluateMoved(Rule):
    code = "MLF305"
    name = "mlflow-evaluate-moved"
    tier = 1
    kind = Kind.DEPRECATED
    since = "3.0.0"
    catalogue = "EV-01"
    summary = (
        "`mlflow.evaluate(...)` and `from mlflow import evaluate` (use `mlflow.models.evaluate`)"
    )
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0.0 deprecated `mlflow.evaluate` in favour of `mlflow.models.evaluate` "
            "(classic ML, same function and signature) and `mlflow.genai.evaluate` (GenAI). "
            'From MLflow 3.6.0 every call warns: "FutureWarning: The `mlflow.evaluate` API has '
            'been deprecated as of MLflow 3.0.0. Please use these new alternatives: ...".'
        ),
        why=(
            "The wrapper will be removed; until then every evaluation prints a "
            "`FutureWarning`, and `-W error` turns it into a failure."
        ),
        example=(
            "from mlflow import evaluate\n\n"
            'result = mlflow.evaluate(model_uri, data, targets="y", model_type="classifier")'
        ),
        use_instead=(
            "from mlflow.models import evaluate\n\n"
            'result = mlflow.models.evaluate(model_uri, data, targets="y", '
            'model_type="classifier")'
        ),
        fix_safety=(
            "Safe: `mlflow.models.evaluate` is the function `mlflow.evaluate` forwards to, and "
            "it exists in MLflow 2.22 too. `mlflow.evaluate` becomes `mlflow.models.evaluate` "
            "(through whatever name refers to `mlflow`), and `from mlflow import evaluate` "
            "imports it from `mlflow.models` (on a line of its own when the import names other "
            "things). For GenAI model types (`question-answering`, `text-summarization`, "
            "`text`, `retriever`, `databricks-agent`) consider `mlflow.genai.evaluate`; that "
            "rewrite is not mechanical (other data schema, `scorers=`)."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        message = (
            "`mlflow.evaluate` is deprecated since MLflow 3.0.0 (it warns from 3.6.0); "
            "use `mlflow.models.evaluate`"
        )
        for node, scope in ctx.model.attribute_accesses("evaluate"):
            if ctx.qualname(node, scope) != "mlflow.evaluate":
                continue
            if ctx.qualname(node.value, scope) == "mlflow":
                at = ctx.end(node) - len("evaluate")
                fix = Fix(
                    Applicability.SAFE,
                    "Use `mlflow.models.evaluate`",
                    lambda at=at: [TextEdit(at, at, "models.")],
                    works_on_2x=True,
                )
            else:
                fix = Fix(Applicability.DISPLAY_ONLY, "Use `mlflow.models.evaluate`")
            yield ctx.report(self, node, message, fix)
        for site in import_sites(ctx, lambda name: name == "mlflow.evaluate", frozenset()):
            if not isinstance(site.node, ast.alias) or not isinstance(
                site.statement, ast.ImportFrom
            ):
                continue
            edits = move_import(ctx, site.statement, site.node, "mlflow.models")
            fix = (
                Fix(
                    Applicability.SAFE,
                    "Import `evaluate` from `mlflow.models`",
                    lambda e=edits: e,
                    works_on_2x=True,
                )
                if edits is not None
                else Fix(Applicability.DISPLAY_ONLY, "Import `evaluate` from `mlflow.models`")
            )
            yield ctx.report(self, site.node, message, fix)
