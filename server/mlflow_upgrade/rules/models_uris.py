"""MLF1xx: how code finds a logged model again (URIs, run artifacts, `ModelInfo` fields).

MLflow 3 stores a model as a *logged model* (`models:/<model_id>`) instead of a
folder of run artifacts, so URIs and artifact paths that point into the run stop
finding it. The rules here follow a URI from where it is built to where it is used
(directly, or through one local variable) and, when the `ModelInfo` that
`log_model` returned is in reach, rewrite the URI to `<info>.model_uri`.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind, Related, TextEdit
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import replace_node
from mlflow_upgrade.python.semantic import Binding, CallSite, Scope
from mlflow_upgrade.rules.models_arguments import LoggedModel, logged_models

# Where model APIs take the model URI: canonical callee -> (position, keyword).
MODEL_URI_PARAMETERS: dict[str, tuple[int, str]] = {
    "mlflow.register_model": (0, "model_uri"),
    "mlflow.models.evaluate": (0, "model"),
    "mlflow.evaluate": (0, "model"),
    "mlflow.pyfunc.load_pyfunc": (0, "model_uri"),
    "mlflow.pyfunc.spark_udf": (1, "model_uri"),
    "mlflow.pyfunc.get_model_dependencies": (0, "model_uri"),
    "mlflow.models.predict": (0, "model_uri"),
    "mlflow.models.build_docker": (0, "model_uri"),
    "mlflow.models.get_model_info": (0, "model_uri"),
    "mlflow.models.update_model_requirements": (0, "model_uri"),
    "mlflow.models.Model.load": (0, "path"),
}
_LOAD_MODEL = re.compile(r"mlflow\.\w+\.load_model")
_DOWNLOAD_ARTIFACTS = "mlflow.artifacts.download_artifacts"
_LIST_ARTIFACTS = "mlflow.artifacts.list_artifacts"
_GET_ARTIFACT_URI = "mlflow.get_artifact_uri"
_START_RUN = "mlflow.start_run"
_SPARK_LOG = "mlflow.spark.log_model"
_SPARK_LOAD = "mlflow.spark.load_model"
_PATH_JOINS = {"os.path.join", "posixpath.join"}
_HARMLESS_CALLS = {"print"}


# --- where URIs go ---------------------------------------------------------------------------


@dataclass(eq=False)
class UriUse:
    """An expression that computes a URI, and the API calls it is passed to."""

    source: ast.expr
    scope: Scope
    binding: Binding | None  # the local variable it travels through, if any
    variable: str | None
    consumers: list[CallSite] = field(default_factory=list)


def call_argument(call: CallSite, position: int, keyword: str) -> ast.expr | None:
    found = call.keyword(keyword)
    if found is not None:
        return found.value
    args = call.positional
    if position < len(args) and not any(isinstance(a, ast.Starred) for a in args[: position + 1]):
        return args[position]
    return None


def _model_uri_calls(ctx: PythonContext) -> Iterator[tuple[CallSite, ast.expr]]:
    for call in ctx.calls_to(*MODEL_URI_PARAMETERS):
        argument = call_argument(call, *MODEL_URI_PARAMETERS[call.callee])
        if argument is not None:
            yield call, argument
    for call in ctx.model.calls_matching("load_model", lambda c: bool(_LOAD_MODEL.fullmatch(c))):
        argument = call_argument(call, 0, "model_uri")
        if argument is not None:
            yield call, argument


def single_binding(ctx: PythonContext, name: str, scope: Scope) -> Binding | None:
    bindings = ctx.model.lookup(name, scope) or []
    return bindings[0] if len(bindings) == 1 else None


def uri_uses(ctx: PythonContext, pairs: Iterator[tuple[CallSite, ast.expr]]) -> list[UriUse]:
    """Group the URI arguments by the expression that computes them."""
    uses: dict[int, UriUse] = {}
    for call, argument in pairs:
        source, scope, binding, variable = argument, call.scope, None, None
        if isinstance(argument, ast.Name):
            found = single_binding(ctx, argument.id, call.scope)
            if found is not None and found.kind == "assign" and found.value is not None:
                source, scope, binding, variable = found.value, found.scope, found, argument.id
        use = uses.setdefault(id(source), UriUse(source, scope, binding, variable))
        use.consumers.append(call)
    return sorted(uses.values(), key=lambda u: (u.source.lineno, u.source.col_offset))


def other_uses(ctx: PythonContext, use: UriUse) -> bool:
    """Whether the URI's variable is read anywhere but by the consuming calls (or a print)."""
    if use.variable is None or use.binding is None:
        return False
    consumed = {
        id(a) for c in use.consumers for a in [*c.node.args, *(k.value for k in c.node.keywords)]
    }
    parent_of = ctx.model.parent_of
    for name, scope in ctx.model.name_loads(use.variable):
        if id(name) in consumed or single_binding(ctx, name.id, scope) is not use.binding:
            continue
        parent = parent_of(name)
        if isinstance(parent, ast.FormattedValue):
            continue
        if isinstance(parent, ast.Call) and getattr(parent.func, "id", None) in _HARMLESS_CALLS:
            continue
        return True
    return False


# --- tree navigation -------------------------------------------------------------------------


def _statement(ctx: PythonContext, node: ast.AST) -> ast.stmt | None:
    parent_of = ctx.model.parent_of
    current: ast.AST | None = node
    while current is not None and not isinstance(current, ast.stmt):
        current = parent_of(current)
    return current


def _slots(ctx: PythonContext, node: ast.AST, through_all: bool) -> list[tuple[int, int]]:
    """(statement list, index) pairs from `node`'s statement outwards.

    With `through_all` false the walk only leaves `with` bodies: a statement
    there runs whenever the `with` statement does.
    """
    parent_of = ctx.model.parent_of
    result = []
    statement = _statement(ctx, node)
    while statement is not None:
        parent = parent_of(statement)
        if parent is None:
            break
        for _, value in ast.iter_fields(parent):
            if isinstance(value, list) and any(s is statement for s in value):
                index = next(i for i, s in enumerate(value) if s is statement)
                result.append((id(value), index))
                break
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            break
        if not through_all and not isinstance(parent, ast.With | ast.AsyncWith):
            break
        statement = parent if isinstance(parent, ast.stmt) else None
    return result


def runs_before(ctx: PythonContext, statement: ast.stmt, node: ast.AST) -> bool:
    """Whether `statement` has always run (in the same function) when `node` is evaluated."""
    before = dict(_slots(ctx, statement, through_all=False))
    for block, index in _slots(ctx, node, through_all=True):
        if block in before:
            return before[block] < index
    return False


def _inside(node: ast.AST, outer: ast.AST) -> bool:
    start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    end = (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    outer_start = (outer.lineno, outer.col_offset)  # type: ignore[attr-defined]
    outer_end = (outer.end_lineno, outer.end_col_offset)  # type: ignore[attr-defined]
    return outer_start <= start and end <= outer_end


# --- the ModelInfo of a logged model ------------------------------------------------------------


@dataclass(frozen=True)
class InfoVariable:
    """A variable holding the `ModelInfo` of a `log_model` call, readable at some point."""

    name: str
    model: LoggedModel


def _assigned_name(ctx: PythonContext, call: ast.Call) -> tuple[str, ast.stmt] | None:
    statement = _statement(ctx, call)
    if isinstance(statement, ast.Assign) and statement.value is call:
        targets = statement.targets
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return targets[0].id, statement
    elif isinstance(statement, ast.AnnAssign) and statement.value is call:
        target = statement.target
        return (target.id, statement) if isinstance(target, ast.Name) else None
    return None


def info_variable(
    ctx: PythonContext, model: LoggedModel, at: ast.AST, scope: Scope
) -> InfoVariable | None:
    """The variable the model's `ModelInfo` was assigned to, if it surely holds it at `at`."""
    assigned = _assigned_name(ctx, model.call.node)
    if assigned is None:
        return None
    name, statement = assigned
    binding = single_binding(ctx, name, scope)
    if binding is None or binding.value is not model.call.node:
        return None
    if not runs_before(ctx, statement, at):
        return None
    return InfoVariable(name, model)


def info_for_name(
    ctx: PythonContext, models: list[LoggedModel], name: str, at: ast.AST, scope: Scope
) -> InfoVariable | None:
    """The closest `ModelInfo` variable of a model logged under `name` that reaches `at`."""
    found = None
    for model in models:
        if model.name is not None and model.name.strip("/") == name:
            found = info_variable(ctx, model, at, scope) or found
    return found


def info_of_expression(
    ctx: PythonContext, models: list[LoggedModel], expr: ast.expr, scope: Scope
) -> InfoVariable | None:
    """The `ModelInfo` variable an expression (a Name) refers to, when it comes from a call here."""
    if not isinstance(expr, ast.Name):
        return None
    binding = single_binding(ctx, expr.id, scope)
    if binding is None:
        return None
    for model in models:
        if binding.value is model.call.node:
            return info_variable(ctx, model, expr, scope)
    return None


def _identifiers(ctx: PythonContext) -> set[str]:
    """Every name the module binds or reads (computed once per analysis)."""
    cached = getattr(ctx, "_mlf1xx_identifiers", None)
    if cached is not None:
        return cached
    names: set[str] = set()
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    ctx._mlf1xx_identifiers = names  # type: ignore[attr-defined]
    return names


def capture_name(ctx: PythonContext, model_name: str) -> str:
    """A fresh variable name for the `ModelInfo` of the model called `model_name`."""
    stem = re.sub(r"\W+", "_", model_name).strip("_").lower()
    base = f"{stem}_info" if stem and not stem[0].isdigit() else "model_info"
    if base == "model_info_info":
        base = "model_info"
    taken = _identifiers(ctx)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def capturable(
    ctx: PythonContext, models: list[LoggedModel], name: str, at: ast.AST
) -> LoggedModel | None:
    """The closest model logged as `name` by a bare `log_model(...)` statement reaching `at`."""
    found = None
    for model in models:
        if model.name is None or model.name.strip("/") != name:
            continue
        statement = _statement(ctx, model.call.node)
        bare = isinstance(statement, ast.Expr) and statement.value is model.call.node
        if bare and runs_before(ctx, statement, at):  # type: ignore[arg-type]
            found = model
    return found


def model_uri_fix(ctx: PythonContext, source: ast.expr, info: InfoVariable, works: bool) -> Fix:
    return Fix(
        Applicability.SAFE,
        f"Use `{info.name}.model_uri`",
        lambda: [replace_node(ctx, source, f"{info.name}.model_uri")],
        works_on_2x=works,
    )


def capture_fix(ctx: PythonContext, source: ast.expr, model: LoggedModel, works: bool) -> Fix:
    variable = capture_name(ctx, model.name or "model")

    def edits() -> list[TextEdit]:
        statement = _statement(ctx, model.call.node)
        start = ctx.start(statement)  # type: ignore[arg-type]
        return [
            TextEdit(start, start, f"{variable} = "),
            replace_node(ctx, source, f"{variable}.model_uri"),
        ]

    return Fix(
        Applicability.UNSAFE,
        f"Keep the `ModelInfo` of `log_model` as `{variable}` and use `{variable}.model_uri`",
        edits,
        works_on_2x=works,
    )


# --- reading URI expressions --------------------------------------------------------------------

Part = str | ast.expr


def _merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif not (isinstance(part, str) and not part):
            merged.append(part)
    return merged


def string_parts(ctx: PythonContext, expr: ast.expr, scope: Scope) -> list[Part]:
    """A string expression as literal text and the expressions spliced into it."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.JoinedStr):
        parts: list[Part] = []
        for value in expr.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            elif isinstance(value, ast.FormattedValue) and value.format_spec is None:
                parts.append(value.value if value.conversion in (-1, 115) else value)
            else:
                parts.append(value)
        return _merge(parts)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _merge([*string_parts(ctx, expr.left, scope), *string_parts(ctx, expr.right, scope)])
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
        return _percent_parts(expr) or [expr]
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr == "format":
            return _format_parts(expr) or [expr]
        if not expr.keywords and ctx.qualname(func, scope) in _PATH_JOINS and expr.args:
            parts = []
            for index, arg in enumerate(expr.args):
                if index:
                    parts.append("/")
                parts.extend(string_parts(ctx, arg, scope))
            return _merge(parts)
    return [expr]


def _text_or_expr(expr: ast.expr) -> Part:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return expr


def _format_parts(call: ast.Call) -> list[Part] | None:
    template = call.func.value  # type: ignore[attr-defined]
    if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
        return None
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return None
    keywords = {k.arg: k.value for k in call.keywords}
    parts: list[Part] = []
    automatic = 0
    try:
        parsed = list(string.Formatter().parse(template.value))
    except ValueError:
        return None
    for literal, field_name, spec, conversion in parsed:
        parts.append(literal)
        if field_name is None:
            continue
        if spec or conversion not in (None, "s"):
            return None
        if field_name == "":
            field_name, automatic = str(automatic), automatic + 1
        if field_name.isdigit() and int(field_name) < len(call.args):
            parts.append(_text_or_expr(call.args[int(field_name)]))
        elif field_name in keywords:
            parts.append(_text_or_expr(keywords[field_name]))
        else:
            return None
    return _merge(parts)


def _percent_parts(expr: ast.BinOp) -> list[Part] | None:
    template = expr.left
    if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
        return None
    pieces = template.value.split("%s")
    if "%" in "".join(pieces).replace("%%", ""):
        return None
    values = expr.right.elts if isinstance(expr.right, ast.Tuple) else [expr.right]
    if len(values) != len(pieces) - 1:
        return None
    parts: list[Part] = []
    for index, piece in enumerate(pieces):
        parts.append(piece.replace("%%", "%"))
        if index < len(values):
            parts.append(_text_or_expr(values[index]))
    return _merge(parts)


@dataclass(frozen=True)
class RunsUri:
    """A `runs:/<run>/<path>` URI: each side is literal text or one expression."""

    run: Part | None
    path: Part | None  # None when the URI has no path


def runs_uri(ctx: PythonContext, expr: ast.expr, scope: Scope) -> RunsUri | None:
    parts = string_parts(ctx, expr, scope)
    if not parts or not isinstance(parts[0], str) or not parts[0].startswith("runs:/"):
        return None
    rest = _merge([parts[0][len("runs:/") :], *parts[1:]])
    run: list[Part] = []
    for index, part in enumerate(rest):
        if isinstance(part, str) and "/" in part:
            head, _, tail = part.partition("/")
            run.append(head)
            path = _merge([tail, *rest[index + 1 :]])
            return RunsUri(_single(run), _single(path) if path else None)
        run.append(part)
    return RunsUri(_single(_merge(run)), None)


def _single(parts: list[Part]) -> Part | None:
    parts = _merge(parts)
    if len(parts) == 1:
        part = parts[0]
        return part.strip("/") if isinstance(part, str) else part
    return None


# --- MLF103 ----------------------------------------------------------------------------------


def _literal_argument(ctx: PythonContext, call: ast.Call, keyword: str) -> str | None:
    if call.args and not call.keywords and len(call.args) == 1:
        return ctx.literal_string(call.args[0])
    if not call.args and len(call.keywords) == 1 and call.keywords[0].arg == keyword:
        return ctx.literal_string(call.keywords[0].value)
    return None


def _is_run_artifact_root(ctx: PythonContext, expr: ast.expr, scope: Scope, depth: int = 0) -> bool:
    if isinstance(expr, ast.Call) and not expr.args and not expr.keywords:
        return ctx.qualname(expr.func, scope) == _GET_ARTIFACT_URI
    if isinstance(expr, ast.Attribute) and expr.attr == "artifact_uri":
        return ctx.receiver_type(expr, scope) == api.RUN_INFO
    if isinstance(expr, ast.Name) and depth == 0:
        binding = single_binding(ctx, expr.id, scope)
        if binding is not None and binding.kind == "assign" and binding.value is not None:
            return _is_run_artifact_root(ctx, binding.value, binding.scope, depth + 1)
    return False


def run_artifact_model_name(
    ctx: PythonContext, expr: ast.expr, scope: Scope, names: set[str]
) -> str | None:
    """The model name when `expr` is the run-artifact location of a model logged here."""
    if isinstance(expr, ast.Call) and ctx.qualname(expr.func, scope) == _GET_ARTIFACT_URI:
        literal = _literal_argument(ctx, expr, "artifact_path")
        if literal is not None and literal.strip("/") in names:
            return literal.strip("/")
        return None
    parts = string_parts(ctx, expr, scope)
    if len(parts) == 2 and isinstance(parts[1], str) and isinstance(parts[0], ast.expr):
        name = parts[1].strip("/")
        under_root = parts[1].startswith("/") and name in names
        if under_root and _is_run_artifact_root(ctx, parts[0], scope):
            return name
    return None


def _consumer_related(ctx: PythonContext, use: UriUse) -> list[Related]:
    return [ctx.related(c.node, f"used as a model URI by `{c.callee}` here") for c in use.consumers]


def _names(models: list[LoggedModel]) -> set[str]:
    return {m.name.strip("/") for m in models if m.name and m.name.strip("/")}


@register
class ArtifactUriAsModelUri(Rule):
    code = "MLF103"
    name = "artifact-uri-as-model-uri"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-04"
    summary = (
        "the run-artifact location of a logged model (`mlflow.get_artifact_uri(<model name>)`) "
        "used as a model URI"
    )
    fix = (Applicability.SAFE, Applicability.UNSAFE)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 no longer stores a model logged in a run under the run's artifacts: "
            "it becomes a *logged model* with its own location (`models:/<model_id>`). "
            '`mlflow.get_artifact_uri("model")` still returns the run-artifact location '
            "`<artifact root>/<run_id>/artifacts/model`, where nothing is stored any more, so "
            "loading, registering, evaluating or downloading the model from it fails with "
            "`MlflowException: No such artifact: 'model'`. The same holds for paths built by "
            'hand, such as `f"{run.info.artifact_uri}/model"`.'
        ),
        why=(
            "Code that worked on every MLflow 2 release breaks on the first line that reads "
            "the model back. The URI is reported where it is computed, and only when it is "
            "the name of a model logged in the same file and reaches `load_model`, "
            "`register_model`, `evaluate`, `download_artifacts` or another model API, "
            "directly or through a local variable."
        ),
        example=(
            "with mlflow.start_run():\n"
            '    info = mlflow.sklearn.log_model(model, artifact_path="model")\n'
            '    model_uri = mlflow.get_artifact_uri("model")\n'
            "loaded = mlflow.pyfunc.load_model(model_uri)"
        ),
        use_instead=(
            "with mlflow.start_run():\n"
            '    info = mlflow.sklearn.log_model(model, name="model")\n'
            "    model_uri = info.model_uri\n"
            "loaded = mlflow.pyfunc.load_model(model_uri)"
        ),
        fix_safety=(
            "Safe when the `ModelInfo` returned by that `log_model` is assigned to a variable "
            "that surely holds it where the URI is computed: the URI becomes `<info>.model_uri`. "
            "Unsafe when `log_model` is a bare statement: the fix also assigns its result "
            "(`model_info = mlflow.sklearn.log_model(...)`) and uses `model_info.model_uri`; "
            "review that the new variable is the model you mean. Otherwise the message says "
            "what to write. `ModelInfo.model_uri` exists in MLflow 2.22 too (`runs:/<run_id>/"
            "model` there), so the fixed code runs on both versions, unless the variable is "
            "also read as a local path."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        models = logged_models(ctx)
        names = _names(models)
        if not names:
            return
        pairs = list(_model_uri_calls(ctx))
        for call in ctx.calls_to(_DOWNLOAD_ARTIFACTS):
            argument = call_argument(call, 0, "artifact_uri")
            if argument is not None:
                pairs.append((call, argument))
        for use in uri_uses(ctx, iter(pairs)):
            name = run_artifact_model_name(ctx, use.source, use.scope, names)
            if name is None:
                continue
            works = not other_uses(ctx, use)
            related = _consumer_related(ctx, use)
            info = info_for_name(ctx, models, name, use.source, use.scope)
            if info is not None:
                fix = model_uri_fix(ctx, use.source, info, works)
                related.append(ctx.related(info.model.call.node, f"`{info.name}` is logged here"))
                instead = f"`{info.name}.model_uri`"
            else:
                model = capturable(ctx, models, name, use.source)
                if model is not None:
                    fix = capture_fix(ctx, use.source, model, works)
                    related.append(ctx.related(model.call.node, f"model `{name}` is logged here"))
                else:
                    fix = Fix(
                        Applicability.DISPLAY_ONLY,
                        "Use the `model_uri` of the `ModelInfo` that `log_model` returns",
                    )
                instead = "the `model_uri` of the `ModelInfo` returned by `log_model`"
            yield ctx.report(
                self,
                use.source,
                f"since MLflow 3.0 model `{name}` is not stored under the run's artifacts, so "
                f"this location holds no model; use {instead}",
                fix,
                related=related,
            )


# --- MLF104 ----------------------------------------------------------------------------------


def _start_runs(ctx: PythonContext) -> set[int]:
    """The `mlflow.start_run(...)` calls of the file (by node id)."""
    cached = getattr(ctx, "_mlf1xx_start_runs", None)
    if cached is None:
        cached = {id(c.node) for c in ctx.calls_to(_START_RUN)}
        ctx._mlf1xx_start_runs = cached  # type: ignore[attr-defined]
    return cached


def _enclosing_run(ctx: PythonContext, node: ast.AST) -> ast.With | None:
    """The innermost `with mlflow.start_run(...)` around a node, in its function."""
    parent_of = ctx.model.parent_of
    current = parent_of(node)
    while current is not None:
        if isinstance(current, ast.With) and any(
            id(item.context_expr) in _start_runs(ctx) for item in current.items
        ):
            return current
        if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return None
        current = parent_of(current)
    return None


@dataclass(frozen=True)
class _Run:
    """Which run a run-id expression names: a `ModelInfo`'s, or that of a `with` block."""

    info: Binding | None = None
    block: ast.With | None = None


def run_of(ctx: PythonContext, expr: Part | None, scope: Scope, depth: int = 0) -> _Run | None:
    if not isinstance(expr, ast.expr) or depth > 2:
        return None
    if isinstance(expr, ast.Name):
        binding = single_binding(ctx, expr.id, scope)
        if binding is not None and binding.kind == "assign" and binding.value is not None:
            return run_of(ctx, binding.value, binding.scope, depth + 1)
        return None
    if not (isinstance(expr, ast.Attribute) and expr.attr == "run_id"):
        return None
    owner = expr.value
    if isinstance(owner, ast.Name) and ctx.model.infer(owner, scope) == api.MODEL_INFO:
        return _Run(info=single_binding(ctx, owner.id, scope))
    if not (isinstance(owner, ast.Attribute) and owner.attr == "info"):
        return None
    run = owner.value
    if isinstance(run, ast.Name):
        binding = single_binding(ctx, run.id, scope)
        if binding is not None and binding.kind == "with" and id(binding.value) in _start_runs(ctx):
            block = ctx.model.parent_of(ctx.model.parent_of(binding.value))
            return _Run(block=block) if isinstance(block, ast.With) else None
    if isinstance(run, ast.Call) and ctx.qualname(run.func, scope) == "mlflow.active_run":
        block = _enclosing_run(ctx, expr)
        return _Run(block=block) if block is not None else None
    return None


def _same_run(ctx: PythonContext, run: _Run | None, info: InfoVariable) -> bool:
    if run is None:
        return False
    if run.info is not None:
        return run.info.value is info.model.call.node
    return run.block is not None and _inside(info.model.call.node, run.block)


def _spark_model_paths(ctx: PythonContext) -> set[str]:
    """Artifact paths of models logged with `mlflow.spark.log_model` (still run artifacts)."""
    paths = set()
    for call in ctx.calls_to(_SPARK_LOG):
        literal = ctx.literal_string(call_argument(call, 1, "artifact_path") or ast.Constant(0))
        if literal is not None:
            paths.add(literal.strip("/"))
    return paths


@register
class RunsUriForModel(Rule):
    code = "MLF104"
    name = "runs-uri-for-model"
    tier = 1
    kind = Kind.DEPRECATED
    since = "3.0.0"
    catalogue = "ML-04"
    summary = "a `runs:/<run_id>/<model name>` URI passed to a model loading / registering API"
    fix = (Applicability.SAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "In MLflow 3.0 a logged model has its own URI, `models:/<model_id>` "
            "(`ModelInfo.model_uri`). A `runs:/<run_id>/<name>` URI is still understood: MLflow "
            "looks for the logged model called `<name>` whose source run is `<run_id>`. The "
            "MLflow 3 documentation calls this form deprecated, to be removed in a future "
            "version (no warning is emitted yet). Also, `ModelInfo.artifact_path` is now the "
            'full location of the model\'s files, so `f"runs:/{run_id}/{info.artifact_path}"` '
            "builds a URI that points nowhere."
        ),
        why=(
            "The `runs:/` lookup is ambiguous when a run logs several models with one name (it "
            "raises), and it will go away. URIs are recognised as literals, f-strings, `+` "
            "concatenations, `.format()` and `%` formatting, passed to `load_model`, "
            "`register_model`, `evaluate`, `spark_udf`, `predict`, `get_model_info` and "
            "similar APIs directly or through a local variable. Models logged with "
            "`mlflow.spark.log_model` are still run artifacts, so their `runs:/` URIs are left "
            "alone."
        ),
        example=(
            "with mlflow.start_run() as run:\n"
            '    info = mlflow.sklearn.log_model(model, artifact_path="model")\n'
            'mlflow.register_model(f"runs:/{run.info.run_id}/model", "churn")'
        ),
        use_instead=(
            "with mlflow.start_run() as run:\n"
            '    info = mlflow.sklearn.log_model(model, name="model")\n'
            'mlflow.register_model(info.model_uri, "churn")'
        ),
        fix_safety=(
            "Safe when the `ModelInfo` of that model is in reach: assigned to a variable that "
            "surely holds it, logged under the same name in the same run (the run id is that "
            "`ModelInfo`'s `run_id`, or the run of the enclosing `with mlflow.start_run() as "
            "run` block). The URI becomes `<info>.model_uri`, which names the same model in "
            "MLflow 3 and is exactly the same `runs:/` string in MLflow 2.22. Otherwise, or "
            "when the URI's variable is also read for something else than a `print`, the "
            "message says what to write (`<info>.model_uri`, or `models:/<model_id>`)."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        models = logged_models(ctx)
        spark_models = _spark_model_paths(ctx)
        for use in uri_uses(ctx, _model_uri_calls(ctx)):
            uri = runs_uri(ctx, use.source, use.scope)
            if uri is None or uri.path is None:
                continue
            # Spark models are still run artifacts, for which `runs:/` is the right URI.
            if isinstance(uri.path, str) and uri.path in spark_models:
                continue
            if all(c.callee == _SPARK_LOAD for c in use.consumers):
                continue
            info = self._info(ctx, models, use, uri)
            related = _consumer_related(ctx, use)
            if info is not None and not other_uses(ctx, use):
                fix = model_uri_fix(ctx, use.source, info, works=True)
                related.append(ctx.related(info.model.call.node, f"`{info.name}` is logged here"))
                instead = f"`{info.name}.model_uri`"
            else:
                instead = (
                    "the `model_uri` of the `ModelInfo` that `log_model` returns "
                    "(`models:/<model_id>`)"
                )
                fix = Fix(Applicability.DISPLAY_ONLY, f"Use {instead}")
            prefix = "`runs:/` model URIs are deprecated since MLflow 3.0"
            if isinstance(uri.path, ast.Attribute) and uri.path.attr == "artifact_path":
                prefix = (
                    "since MLflow 3.0 `ModelInfo.artifact_path` is the full location of the "
                    "model's files, so this `runs:/` URI points nowhere"
                )
            yield ctx.report(self, use.source, f"{prefix}; use {instead}", fix, related=related)

    def _info(
        self, ctx: PythonContext, models: list[LoggedModel], use: UriUse, uri: RunsUri
    ) -> InfoVariable | None:
        run = run_of(ctx, uri.run, use.scope)
        if isinstance(uri.path, str):
            info = info_for_name(ctx, models, uri.path, use.source, use.scope)
        elif isinstance(uri.path, ast.Attribute) and uri.path.attr == "artifact_path":
            info = info_of_expression(ctx, models, uri.path.value, use.scope)
        else:
            return None
        return info if info is not None and _same_run(ctx, run, info) else None


# --- MLF105 ----------------------------------------------------------------------------------


@register
class ModelArtifactsNotInRun(Rule):
    code = "MLF105"
    name = "model-artifacts-not-in-run"
    tier = 1
    kind = Kind.BEHAVIOUR
    since = "3.0.0"
    catalogue = "ML-05"
    summary = "run-artifact listing or download aimed at the files of a model logged in the run"
    fix = (Applicability.DISPLAY_ONLY,)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 stores a model logged in a run as a *logged model*, outside the run's "
            "artifacts. Listing a run's artifacts (`MlflowClient().list_artifacts(run_id)`, "
            "`mlflow.artifacts.list_artifacts(run_id=...)`) no longer shows the model's folder, "
            'and the run page\'s "Artifacts" tab no longer shows the model. Asking for the '
            'model\'s folder by path (`list_artifacts(run_id, "model")`, '
            '`download_artifacts(run_id=..., artifact_path="model")`) still works through a '
            "compatibility lookup of the logged model by name. `ModelInfo.artifact_path` is "
            "now the full URI of the model's files, so passing it as a run path finds nothing."
        ),
        why=(
            "Nothing fails: a listing just comes back without the model (or empty), and code "
            "that checks for the model's files or copies them skips them silently."
        ),
        example=(
            "client = MlflowClient()\n"
            "with mlflow.start_run() as run:\n"
            '    info = mlflow.sklearn.log_model(model, artifact_path="model")\n'
            'files = client.list_artifacts(run.info.run_id, "model")\n'
            "local = mlflow.artifacts.download_artifacts(\n"
            '    run_id=run.info.run_id, artifact_path="model"\n'
            ")"
        ),
        use_instead=(
            "client = MlflowClient()\n"
            "with mlflow.start_run() as run:\n"
            '    info = mlflow.sklearn.log_model(model, name="model")\n'
            "files = client.list_logged_model_artifacts(info.model_id)\n"
            "local = mlflow.artifacts.download_artifacts(artifact_uri=info.model_uri)"
        ),
        fix_safety=(
            "Display-only: listings of a logged model return paths relative to the model (no "
            "`model/` prefix), so the code that reads them needs a look. "
            "`list_logged_model_artifacts` and `ModelInfo.model_id` need MLflow 3."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        models = logged_models(ctx)
        names = _names(models)
        if not names:
            return
        for target in self._targets(ctx, names):
            call, model, why, downloads = target
            info = None
            if model is not None:
                info = info_for_name(ctx, models, model, call.node, call.scope)
            subject = info.name if info is not None else "<info>"
            instead = (
                f"`mlflow.artifacts.download_artifacts(artifact_uri={subject}.model_uri)`"
                if downloads
                else f"`MlflowClient().list_logged_model_artifacts({subject}.model_id)`"
            )
            yield ctx.report(
                self,
                call.node,
                f"since MLflow 3.0 {why}; use {instead}",
                Fix(Applicability.DISPLAY_ONLY, f"Use {instead}"),
            )

    def _targets(
        self, ctx: PythonContext, names: set[str]
    ) -> Iterator[tuple[CallSite, str | None, str, bool]]:
        """(call, model name, what goes wrong, downloads?) for calls aimed at model files."""
        client = (f"{api.CLIENT}.list_artifacts", f"{api.CLIENT}.download_artifacts")
        for call in ctx.calls_to(*client):
            downloads = call.callee.endswith("download_artifacts")
            if call_argument(call, 0, "run_id") is None:
                continue
            found = self._run_path(ctx, names, call_argument(call, 1, "path"), call.scope)
            if found is not None:
                yield call, *found, downloads
        for call in ctx.calls_to(_LIST_ARTIFACTS, _DOWNLOAD_ARTIFACTS):
            downloads = call.callee == _DOWNLOAD_ARTIFACTS
            uri = call_argument(call, 0, "artifact_uri")
            if uri is not None:
                found = self._uri(ctx, names, uri, call.scope, downloads)
            elif call_argument(call, 1, "run_id") is not None:
                path = call_argument(call, 2, "artifact_path")
                found = self._run_path(ctx, names, path, call.scope)
            else:
                found = None
            if found is not None:
                yield call, *found, downloads

    def _run_path(
        self, ctx: PythonContext, names: set[str], path: ast.expr | None, scope: Scope
    ) -> tuple[str | None, str] | None:
        """(model name, what goes wrong) when a run-relative path aims at a model's files."""
        if path is None or (isinstance(path, ast.Constant) and path.value in (None, "", "/")):
            return None, "a run's artifact listing no longer includes the models logged in it"
        info_path = isinstance(path, ast.Attribute) and path.attr == "artifact_path"
        if info_path and ctx.receiver_type(path, scope) == api.MODEL_INFO:  # type: ignore[arg-type]
            return None, (
                "`ModelInfo.artifact_path` is the full URI of the model's files, not a path "
                "inside the run, so this finds nothing"
            )
        return _model_path(ctx.literal_string(path), names)

    def _uri(
        self, ctx: PythonContext, names: set[str], uri: ast.expr, scope: Scope, downloads: bool
    ) -> tuple[str | None, str] | None:
        """(model name, what goes wrong) when an artifact URI aims at a model in a run."""
        parsed = runs_uri(ctx, uri, scope)
        if parsed is not None and isinstance(parsed.path, str):
            return _model_path(parsed.path, names)
        # `download_artifacts(get_artifact_uri(<model>))` is MLF103's: it fails outright.
        if downloads or not isinstance(uri, ast.Call):
            return None
        if ctx.qualname(uri.func, scope) != _GET_ARTIFACT_URI:
            return None
        found = _model_path(_literal_argument(ctx, uri, "artifact_path"), names)
        if found is None:
            return None
        return found[0], "a model's files are not stored under the run's artifacts"


def _model_path(path: str | None, names: set[str]) -> tuple[str, str] | None:
    if path is None:
        return None
    top = path.strip("/").split("/")[0]
    if top not in names:
        return None
    return top, (
        f"model `{top}` is stored as a logged model, not under the run's artifacts (its run "
        "path resolves only through a compatibility lookup)"
    )


# --- MLF110 ----------------------------------------------------------------------------------

# Where `a if b else c` can stand without parentheses (the node being the given field).
_BARE_CONDITIONAL = {
    ast.Assign: "value",
    ast.AnnAssign: "value",
    ast.AugAssign: "value",
    ast.Return: "value",
    ast.Expr: "value",
    ast.keyword: "value",
    ast.NamedExpr: "value",
    ast.FormattedValue: "value",
    ast.Call: "args",
    ast.List: "elts",
    ast.Set: "elts",
    ast.Dict: "values",
}


def _needs_parentheses(ctx: PythonContext, node: ast.AST) -> bool:
    parent = ctx.model.parent_of(node)
    field_name = _BARE_CONDITIONAL.get(type(parent))  # type: ignore[arg-type]
    if field_name is None:
        return True
    value = getattr(parent, field_name)
    return not (value is node or (isinstance(value, list) and any(v is node for v in value)))


def _plain(expr: ast.expr) -> bool:
    """A receiver that can be evaluated twice: names, attributes, constant subscripts."""
    if isinstance(expr, ast.Name):
        return True
    if isinstance(expr, ast.Attribute):
        return _plain(expr.value)
    if isinstance(expr, ast.Subscript):
        return isinstance(expr.slice, ast.Constant) and _plain(expr.value)
    return False


@register
class SignatureDictRemoved(Rule):
    code = "MLF110"
    name = "signature-dict-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ML-13"
    summary = "`.signature_dict` read from a `ModelInfo`"
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 removed `ModelInfo.signature_dict`, deprecated since MLflow 1.28.1 "
            '("Field signature_dict is deprecated since v1.28.1. Use signature instead."). '
            "`ModelInfo.signature` holds the `ModelSignature` (or `None` when the model was "
            "logged without one), and `ModelSignature.to_dict()` gives the old dictionary."
        ),
        why=(
            "Reading the attribute raises `AttributeError: 'ModelInfo' object has no "
            "attribute 'signature_dict'`. Only receivers known to be a `ModelInfo` are reported "
            "(the result of `log_model`, `mlflow.models.get_model_info`, an annotated "
            "parameter, …), never other objects with an attribute of that name."
        ),
        example=(
            'info = mlflow.sklearn.log_model(model, artifact_path="model", signature=sig)\n'
            'print(info.signature_dict["inputs"])'
        ),
        use_instead=(
            'info = mlflow.sklearn.log_model(model, name="model", signature=sig)\n'
            'print((info.signature.to_dict() if info.signature else None)["inputs"])'
        ),
        fix_safety=(
            "Safe: `<info>.signature.to_dict() if <info>.signature else None` is exactly what "
            "`signature_dict` returned, on MLflow 2.22 as on MLflow 3, and is wrapped in "
            "parentheses where the surrounding expression needs them. When the receiver is an "
            "expression with a call (evaluating it twice could repeat its work or side "
            "effects), or the attribute is assigned to, the message says what to write instead."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for node, scope in ctx.model.attribute_accesses("signature_dict"):
            if ctx.receiver_type(node, scope) != api.MODEL_INFO:
                continue
            receiver = ctx.source(node.value)
            replacement = f"{receiver}.signature.to_dict() if {receiver}.signature else None"
            if _needs_parentheses(ctx, node):
                replacement = f"({replacement})"
            if isinstance(node.ctx, ast.Load) and _plain(node.value):
                fix = Fix(
                    Applicability.SAFE,
                    "Use `.signature.to_dict()`, guarded for a missing signature",
                    lambda n=node, r=replacement: [replace_node(ctx, n, r)],
                    works_on_2x=True,
                )
            else:
                fix = Fix(Applicability.DISPLAY_ONLY, f"Use `{replacement}`")
            yield ctx.report(
                self,
                node,
                "`ModelInfo.signature_dict` was removed in MLflow 3.0; use "
                f"`{receiver}.signature.to_dict()` (the signature may be `None`)",
                fix,
            )
