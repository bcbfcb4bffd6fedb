"""MLF1xx: arguments of `log_model` / `save_model` that MLflow 3 removed or restricts.

Each rule here looks at one keyword (or the model name) of flavor functions and
either renames or deletes it. Positional uses of the removed parameters are left
to the positional-shift rule: they are rare, and converting them needs every later
argument converted too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import CallChange, edit_call
from mlflow_upgrade.python.semantic import CallSite
from mlflow_upgrade.rules._helpers import keyword_rename_fix, log_model_functions, positional_index

# Functions that create a LoggedModel in MLflow 3, so their model name is validated.
# `mlflow.spark.log_model` still logs run artifacts under `artifact_path` (no name).
LOGGED_MODEL_FUNCTIONS = frozenset(
    (log_model_functions() - {"mlflow.spark.log_model"})
    | {"mlflow.shap.log_explainer", "mlflow.models.Model.log"}
)

# Characters `_validate_logged_model_name` refuses (MLflow 3.0).
INVALID_NAME_CHARACTERS = ("/", ":", ".", "%", '"', "'")


@dataclass(frozen=True)
class LoggedModel:
    """A call that logs a model, and the model name it passes (None when not a literal)."""

    call: CallSite
    argument: ast.expr | None
    name: str | None


def model_name_argument(call: CallSite) -> ast.expr | None:
    """The expression a `log_model`-like call passes as the model's name or artifact path."""
    for keyword in ("name", "artifact_path"):
        found = call.keyword(keyword)
        if found is not None:
            return found.value
    if call.callee == "mlflow.models.Model.log":
        index: int | None = 0
    else:
        index = positional_index(call.callee, "artifact_path")
    if index is None or index >= len(call.positional):
        return None
    if any(isinstance(a, ast.Starred) for a in call.positional[: index + 1]):
        return None
    return call.positional[index]


def logged_models(ctx: PythonContext) -> list[LoggedModel]:
    """Every model-logging call of the file, with its literal model name when it has one."""
    models = []
    for call in ctx.calls_to(*LOGGED_MODEL_FUNCTIONS):
        argument = model_name_argument(call)
        models.append(LoggedModel(call, argument, ctx.literal_string(argument)))
    return sorted(models, key=lambda m: (m.call.node.lineno, m.call.node.col_offset))


def _valid_name(name: str) -> str:
    for character in INVALID_NAME_CHARACTERS:
        name = name.replace(character, "_")
    return name


def _suggested_name(argument: ast.expr) -> str | None:
    """The argument's source with every invalid character of its literal text replaced."""
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return repr(_valid_name(argument.value)).replace("'", '"')
    if isinstance(argument, ast.JoinedStr):
        parts: list[ast.expr] = []
        for value in argument.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                value = ast.Constant(_valid_name(value.value))
            parts.append(value)
        source = ast.unparse(ast.JoinedStr(parts))
        if source.startswith("f'") and '"' not in source:
            source = 'f"' + source[2:-1] + '"'
        return source
    return None


def _literal_text(argument: ast.expr | None) -> str | None:
    """The literal characters of a string or f-string (placeholders dropped)."""
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return argument.value
    if isinstance(argument, ast.JoinedStr):
        return "".join(
            v.value
            for v in argument.values
            if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return None


@register
class InvalidModelName(Rule):
    code = "MLF102"
    name = "invalid-model-name"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-02"
    summary = (
        "a literal model name passed to `log_model` contains a character MLflow 3 refuses "
        "(`/ : . % \" '`)"
    )
    fix = (Applicability.DISPLAY_ONLY,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "In MLflow 3.0 every `log_model` creates a *logged model* whose name is validated by "
            "the tracking store. A name must be non-empty and must not contain any of "
            "`/ : . % \" '`. Because MLflow 3 uses `name = name or artifact_path`, the rule "
            "applies to `artifact_path` too. MLflow 2 accepted any run artifact path, such as "
            '`"models/rf"` or `"model.pkl"`. The call now raises `MlflowException: Invalid '
            "model name ('models/rf') provided. Model name must be a non-empty string and "
            "cannot contain the following characters: ('/', ':', '.', '%', '\"', \"'\")`."
        ),
        why=(
            "The call fails at run time, after the model has been trained, so a long training "
            "job is lost at its last step. `mlflow.spark.log_model` still logs a run artifact "
            "under `artifact_path` and is not affected."
        ),
        example=(
            "with mlflow.start_run():\n"
            '    mlflow.sklearn.log_model(model, artifact_path="models/rf")\n'
            '    mlflow.pyfunc.log_model("agent.v1", python_model=Agent())'
        ),
        use_instead=(
            "with mlflow.start_run():\n"
            '    mlflow.sklearn.log_model(model, name="models_rf")\n'
            '    mlflow.pyfunc.log_model(name="agent_v1", python_model=Agent())'
        ),
        fix_safety=(
            "Display-only. The message suggests the name with each refused character replaced "
            "by `_`, but the name is also how other code finds the model (`runs:/<run_id>/"
            "models/rf` URIs, registered-model sources, dashboards), so renaming it is a "
            "decision to make with those references in view. The suggested name also works on "
            "MLflow 2.22."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for model in logged_models(ctx):
            text = _literal_text(model.argument)
            if model.argument is None or text is None:
                continue
            refused = sorted({c for c in text if c in INVALID_NAME_CHARACTERS}, key=text.index)
            if not refused:
                continue
            suggestion = _suggested_name(model.argument)
            characters = " ".join(f"`{c}`" for c in refused)
            yield ctx.report(
                self,
                model.argument,
                f"model name {ctx.source(model.argument)} contains {characters}, which MLflow "
                f"3.0 refuses in logged-model names; use {suggestion} "
                "(and update references to the old path)",
                Fix(Applicability.DISPLAY_ONLY, f"Use the model name {suggestion}"),
            )


# --- keyword renames and deletions ---------------------------------------------------------


def _calls_with(ctx: PythonContext, functions: set[str], keyword: str) -> Iterator[CallSite]:
    for call in ctx.calls_to(*functions):
        if call.keyword(keyword) is not None:
            yield call


def _keyword_node(call: CallSite, keyword: str) -> ast.keyword:
    found = call.keyword(keyword)
    assert found is not None
    return found


def _short(callee: str) -> str:
    return callee.removeprefix("mlflow.")


_LOG_OR_SAVE = ("log_model", "save_model")


@register
class ExampleNoConversionRemoved(Rule):
    code = "MLF106"
    name = "example-no-conversion-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-08"
    summary = "`example_no_conversion=` passed to a `log_model` / `save_model`"
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 removed the `example_no_conversion` parameter of `log_model` and "
            "`save_model` (pyfunc, langchain, openai, sentence_transformers, transformers). It "
            'had done nothing since MLflow 2.16, which warned: "The `example_no_conversion` '
            "parameter is deprecated since mlflow 2.16.0 and will be removed in a future "
            'release."'
        ),
        why=(
            "What happens now depends on the flavor: pyfunc and langchain raise `TypeError: "
            "log_model() got an unexpected keyword argument 'example_no_conversion'`; "
            "transformers ignores it; openai stores it as a task parameter of the model; "
            "`sentence_transformers.save_model` forwards it to the model's `save()`."
        ),
        example=(
            "mlflow.pyfunc.log_model(\n"
            '    artifact_path="agent",\n'
            "    python_model=Agent(),\n"
            "    input_example=example,\n"
            "    example_no_conversion=True,\n"
            ")"
        ),
        use_instead=(
            "mlflow.pyfunc.log_model(\n"
            '    name="agent",\n'
            "    python_model=Agent(),\n"
            "    input_example=example,\n"
            ")"
        ),
        fix_safety=(
            "Safe: the argument is deleted. It has been a no-op since MLflow 2.16 (input "
            "examples are no longer converted), so the fixed code behaves the same on MLflow "
            "2.22 and MLflow 3."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        functions = log_model_functions(functions=_LOG_OR_SAVE)
        for call in _calls_with(ctx, functions, "example_no_conversion"):
            yield ctx.report(
                self,
                _keyword_node(call, "example_no_conversion"),
                f"`example_no_conversion` of `{_short(call.callee)}` was removed in MLflow 3.0 "
                "(a no-op since 2.16); delete it",
                Fix(
                    Applicability.SAFE,
                    "Remove `example_no_conversion=`",
                    lambda c=call: [
                        edit_call(ctx, c.node, CallChange(remove={"example_no_conversion"}))
                    ],
                    works_on_2x=True,
                ),
            )


@register
class CodePathRenamed(Rule):
    code = "MLF107"
    name = "code-path-renamed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-09"
    summary = "`code_path=` passed to `mlflow.pyfunc.log_model` / `save_model` (use `code_paths`)"
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 removed the `code_path` parameter of `mlflow.pyfunc.log_model` and "
            "`mlflow.pyfunc.save_model`. It was replaced by `code_paths` in MLflow 2.12, which "
            'warned: "The `code_path` argument is replaced by `code_paths` and is deprecated as '
            'of MLflow version 2.12.0."'
        ),
        why=(
            "The call now fails with `TypeError: log_model() got an unexpected keyword argument "
            "'code_path'`."
        ),
        example=(
            "mlflow.pyfunc.log_model(\n"
            '    artifact_path="model",\n'
            "    python_model=Wrapper(),\n"
            '    code_path=["src/features.py"],\n'
            ")"
        ),
        use_instead=(
            "mlflow.pyfunc.log_model(\n"
            '    name="model",\n'
            "    python_model=Wrapper(),\n"
            '    code_paths=["src/features.py"],\n'
            ")"
        ),
        fix_safety=(
            "Safe: the keyword is renamed. MLflow 2.22 treated `code_path` as an alias of "
            "`code_paths`, so the fixed code behaves the same on MLflow 2.22 and MLflow 3. When "
            "both are given (which MLflow 2 refused) the message asks to delete `code_path`."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        functions = log_model_functions("pyfunc", functions=_LOG_OR_SAVE)
        for call in _calls_with(ctx, functions, "code_path"):
            fix = keyword_rename_fix(ctx, call, "code_path", "code_paths", works_on_2x=True)
            yield ctx.report(
                self,
                _keyword_node(call, "code_path"),
                f"`code_path` of `{_short(call.callee)}` was removed in MLflow 3.0; "
                "use `code_paths=`",
                fix,
            )


@register
class PytorchRequirementsFileRemoved(Rule):
    code = "MLF108"
    name = "pytorch-requirements-file-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-10"
    summary = (
        "`requirements_file=` passed to `mlflow.pytorch.log_model` / `save_model` "
        "(use `pip_requirements`)"
    )
    fix = (Applicability.UNSAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 removed the `requirements_file` parameter of `mlflow.pytorch.log_model` "
            'and `mlflow.pytorch.save_model`. MLflow 2 had warned: "`requirements_file` has '
            'been deprecated. Please use `pip_requirements` instead."'
        ),
        why=(
            "The argument now falls into `**kwargs`, which are passed on to `torch.save()`, so "
            "the call fails with a `TypeError` from PyTorch, after training."
        ),
        example=(
            "mlflow.pytorch.log_model(\n"
            '    model, artifact_path="model", requirements_file="requirements.txt"\n'
            ")"
        ),
        use_instead=(
            "mlflow.pytorch.log_model(\n"
            '    model, name="model", pip_requirements="requirements.txt"\n'
            ")"
        ),
        fix_safety=(
            "Unsafe: the keyword is renamed to `pip_requirements`, which MLflow 2.22 also "
            "accepts. The result differs: `requirements_file` accepted any artifact URI (such "
            "as `s3://…`) and also copied the file into the TorchServe extra files, while "
            "`pip_requirements` takes a local file path or a list of requirement strings and "
            "replaces the inferred requirements. When `pip_requirements`, "
            "`extra_pip_requirements` or `conda_env` is given too, only a message is shown: "
            "MLflow accepts just one of them."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        functions = log_model_functions("pytorch", functions=_LOG_OR_SAVE)
        for call in _calls_with(ctx, functions, "requirements_file"):
            clashing = [
                k
                for k in ("pip_requirements", "extra_pip_requirements", "conda_env")
                if call.keyword(k) is not None
            ]
            if clashing:
                fix = Fix(
                    Applicability.DISPLAY_ONLY,
                    f"Remove `requirements_file=` or merge it into `{clashing[0]}=`",
                )
            else:
                fix = Fix(
                    Applicability.UNSAFE,
                    "Rename `requirements_file=` to `pip_requirements=`",
                    lambda c=call: [
                        edit_call(
                            ctx,
                            c.node,
                            CallChange(rename={"requirements_file": "pip_requirements"}),
                        )
                    ],
                    works_on_2x=True,
                )
            yield ctx.report(
                self,
                _keyword_node(call, "requirements_file"),
                f"`requirements_file` of `{_short(call.callee)}` was removed in MLflow 3.0 (it "
                "now reaches `torch.save()` and fails); use `pip_requirements=`",
                fix,
            )


def _dict_entries(ctx: PythonContext, expr: ast.expr) -> list[tuple[object, str]]:
    """The entries of a dict expression as (constant key or None, source) pairs."""
    if not isinstance(expr, ast.Dict):
        return [(None, f"**{ctx.source(expr)}")]
    entries: list[tuple[object, str]] = []
    for key, value in zip(expr.keys, expr.values, strict=True):
        if key is None:
            entries.append((None, f"**{ctx.source(value)}"))
        else:
            constant = key.value if isinstance(key, ast.Constant) else None
            entries.append((constant, f"{ctx.source(key)}: {ctx.source(value)}"))
    return entries


def merged_config(ctx: PythonContext, old: ast.expr, new: ast.expr) -> str:
    """Source of one dict holding `old`'s entries, overridden by `new`'s."""
    newer = _dict_entries(ctx, new)
    overridden = {key for key, _ in newer if key is not None}
    kept = [(key, text) for key, text in _dict_entries(ctx, old) if key not in overridden]
    return "{" + ", ".join(text for _, text in kept + newer) + "}"


@register
class TransformersInferenceConfigRemoved(Rule):
    code = "MLF109"
    name = "transformers-inference-config-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-11"
    summary = (
        "`inference_config=` passed to `mlflow.transformers.log_model` / `save_model` "
        "(use `model_config`)"
    )
    fix = (Applicability.UNSAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 removed the `inference_config` parameter of "
            "`mlflow.transformers.log_model` and `mlflow.transformers.save_model`; "
            '`model_config` replaces it. MLflow 2 logged: "Indicating `inference_config` is '
            "deprecated and will be removed in a future version of MLflow. Use `model_config` "
            'instead."'
        ),
        why=(
            "No error tells you: the argument is swallowed by the function's unused "
            "`**kwargs`, so the configuration is silently dropped from the logged model. "
            "`mlflow.sentence_transformers` keeps its own `inference_config` parameter and is "
            "not reported."
        ),
        example=(
            "mlflow.transformers.log_model(\n"
            "    pipeline,\n"
            '    artifact_path="generator",\n'
            '    inference_config={"max_new_tokens": 64},\n'
            ")"
        ),
        use_instead=(
            "mlflow.transformers.log_model(\n"
            "    pipeline,\n"
            '    name="generator",\n'
            '    model_config={"max_new_tokens": 64},\n'
            ")"
        ),
        fix_safety=(
            "Unsafe: the keyword is renamed to `model_config` (also accepted by MLflow 2.22). "
            "MLflow 2 used `inference_config` mostly to infer the signature, while "
            "`model_config` is applied to every prediction of the loaded pyfunc model, so "
            "outputs can change. When both are given the two dicts are merged, with "
            "`model_config` winning on shared keys as `model_config or inference_config` did "
            "in MLflow 2."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        functions = log_model_functions("transformers", functions=_LOG_OR_SAVE)
        for call in _calls_with(ctx, functions, "inference_config"):
            old = _keyword_node(call, "inference_config")
            new = call.keyword("model_config")
            if new is None or (isinstance(new.value, ast.Constant) and new.value.value is None):
                change = CallChange(
                    rename={"inference_config": "model_config"},
                    remove={"model_config"} if new is not None else set(),
                )
                title = "Rename `inference_config=` to `model_config=`"
            else:
                change = CallChange(
                    remove={"inference_config"},
                    values={"model_config": merged_config(ctx, old.value, new.value)},
                )
                title = "Merge `inference_config=` into `model_config=`"
            yield ctx.report(
                self,
                old,
                f"`inference_config` of `{_short(call.callee)}` was removed in MLflow 3.0 and "
                "is silently ignored; pass it as `model_config=`",
                Fix(
                    Applicability.UNSAFE,
                    title,
                    lambda c=call, ch=change: [edit_call(ctx, c.node, ch)],
                    works_on_2x=True,
                ),
            )


@register
class SampleInputRemoved(Rule):
    code = "MLF111"
    name = "sample-input-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-12"
    summary = (
        "`sample_input=` passed to `mlflow.spark` / `mlflow.johnsnowlabs` `log_model` / "
        "`save_model`"
    )
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 removed the MLeap flavor, and with it the `sample_input` parameter of "
            "`mlflow.spark.log_model` / `save_model` and `mlflow.johnsnowlabs.log_model` / "
            "`save_model`, whose only use was to add an MLeap flavor to the model."
        ),
        why=(
            "`mlflow.johnsnowlabs` raises `TypeError` for the unknown keyword; "
            "`mlflow.spark.log_model` silently ignores it through `**kwargs`. Either way no "
            "MLeap flavor can be produced any more."
        ),
        example=(
            "mlflow.spark.log_model(\n"
            '    pipeline_model, artifact_path="model", sample_input=training_df\n'
            ")"
        ),
        use_instead='mlflow.spark.log_model(pipeline_model, artifact_path="model")',
        fix_safety=(
            "Safe: the argument is deleted; MLflow 3 cannot produce the MLeap flavor it asked "
            "for. On MLflow 2.22 the fixed code still runs, but the logged model no longer "
            "carries an MLeap flavor."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        functions = log_model_functions("spark", "johnsnowlabs", functions=_LOG_OR_SAVE)
        for call in _calls_with(ctx, functions, "sample_input"):
            yield ctx.report(
                self,
                _keyword_node(call, "sample_input"),
                f"`sample_input` of `{_short(call.callee)}` was removed in MLflow 3.0 with the "
                "MLeap flavor; delete it",
                Fix(
                    Applicability.SAFE,
                    "Remove `sample_input=`",
                    lambda c=call: [edit_call(ctx, c.node, CallChange(remove={"sample_input"}))],
                    works_on_2x=True,
                ),
            )
