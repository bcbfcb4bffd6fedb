"""MLF6xx: tracing and the prompt registry (MLflow 2.14-2.22 APIs reshaped by MLflow 3)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import (
    CallChange,
    edit_call,
    rename_attribute,
    rename_keyword,
    replace_node,
)
from mlflow_upgrade.python.semantic import CallSite
from mlflow_upgrade.rules._helpers import keyword_rename_fix
from mlflow_upgrade.rules._tier2 import (
    mlflow_module_name,
    module_root,
    move_edits,
    reaches,
    references,
    string_value,
)

CLIENT = api.CLIENT


# MLF601 -----------------------------------------------------------------------------------
@register
class TraceRequestId(Rule):
    code = "MLF601"
    name = "trace-request-id"
    tier = 2
    kind = Kind.DEPRECATED
    since = "3.0.0"
    catalogue = "TC-02"
    summary = "`request_id=` passed to trace APIs (use `trace_id=`)"
    fix = (Applicability.SAFE,)
    works_on_2x = False
    callees = (
        "mlflow.get_trace",
        "mlflow.set_trace_tag",
        "mlflow.delete_trace_tag",
        *(
            f"{CLIENT}.{method}"
            for method in (
                "get_trace",
                "end_trace",
                "start_span",
                "end_span",
                "set_trace_tag",
                "delete_trace_tag",
            )
        ),
    )
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 calls a trace's identifier `trace_id`. The trace APIs renamed their "
            "`request_id` parameter; the old keyword still works but emits a `FutureWarning` "
            "(\"Parameter 'request_id' is deprecated ... Please use 'trace_id' instead.\")."
        ),
        why="The keyword is kept only for compatibility and will be removed.",
        example=(
            "trace = mlflow.get_trace(request_id=rid)\n"
            'client.set_trace_tag(request_id=rid, key="team", value="search")'
        ),
        use_instead=(
            "trace = mlflow.get_trace(trace_id=rid)\n"
            'client.set_trace_tag(trace_id=rid, key="team", value="search")'
        ),
        fix_safety=(
            "Safe: the keyword is renamed; positional calls are not reported (the position did "
            "not change). MLflow 2.22 has no `trace_id` parameter, so the result needs MLflow 3."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to(*self.callees):
            keyword = call.keyword("request_id")
            if keyword is None:
                continue
            yield ctx.report(
                self,
                keyword,
                f"`request_id` of `{call.callee}` is deprecated since MLflow 3.0; "
                "pass `trace_id=` instead",
                keyword_rename_fix(ctx, call, "request_id", "trace_id"),
            )


# MLF602 -----------------------------------------------------------------------------------
@register
class DeleteTracesRequestIds(Rule):
    code = "MLF602"
    name = "delete-traces-request-ids"
    tier = 2
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "TC-03"
    summary = "`MlflowClient.delete_traces(request_ids=…)` (use `trace_ids=`)"
    fix = (Applicability.SAFE,)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "`MlflowClient.delete_traces` renamed its `request_ids` parameter to `trace_ids` in "
            "MLflow 3.0, without a compatibility shim."
        ),
        why="On MLflow 3 the old keyword raises `TypeError: ... unexpected keyword argument "
        "'request_ids'`.",
        example='client.delete_traces("0", request_ids=["tr-1", "tr-2"])',
        use_instead='client.delete_traces("0", trace_ids=["tr-1", "tr-2"])',
        fix_safety="Safe: same parameter, same position, new name. Needs MLflow 3.",
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to(f"{CLIENT}.delete_traces"):
            keyword = call.keyword("request_ids")
            if keyword is None:
                continue
            yield ctx.report(
                self,
                keyword,
                "`delete_traces(request_ids=…)` was removed in MLflow 3.0; pass `trace_ids=`",
                Fix(
                    Applicability.SAFE,
                    "Rename `request_ids=` to `trace_ids=`",
                    lambda k=keyword: [rename_keyword(ctx, k, "trace_ids")],
                ),
            )


# MLF603 -----------------------------------------------------------------------------------
_LAST_ACTIVE_TRACE = "mlflow.get_last_active_trace"


@register
class LastActiveTraceRemoved(Rule):
    code = "MLF603"
    name = "last-active-trace-removed"
    tier = 2
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "TC-01"
    summary = "`mlflow.get_last_active_trace()` (removed; use the trace id)"
    fix = (Applicability.UNSAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "`mlflow.get_last_active_trace()` was removed in MLflow 3.0 (deprecated in 2.x). "
            "`mlflow.get_last_active_trace_id()` (also in MLflow 2.22) returns the id, and "
            "`mlflow.get_trace(id)` the trace."
        ),
        why="On MLflow 3 the call raises `AttributeError`, and importing it `ImportError`.",
        example="trace = mlflow.get_last_active_trace()",
        use_instead=(
            "trace = (_last_trace_id := mlflow.get_last_active_trace_id()) and "
            "mlflow.get_trace(_last_trace_id)"
        ),
        fix_safety=(
            "Unsafe: the rewrite keeps MLflow 2's `None` when no trace was recorded by guarding "
            "on the id, and binds the helper name `_last_trace_id`; review it. Imports of the "
            "name are reported without an edit. The result also runs on MLflow 2.22."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        called = {id(c.node.func) for c in ctx.calls_to(_LAST_ACTIVE_TRACE)}
        for ref in references(ctx, {_LAST_ACTIVE_TRACE}):
            if ref.statement is not None or id(ref.node) not in called:
                yield ctx.report(
                    self,
                    ref.node,
                    "`get_last_active_trace` was removed in MLflow 3.0; use "
                    "`get_last_active_trace_id` and `get_trace` instead",
                    Fix(Applicability.DISPLAY_ONLY, "Use `get_last_active_trace_id()`"),
                )
        for call in ctx.calls_to(_LAST_ACTIVE_TRACE):
            root = module_root(ctx, call.node.func, call.scope) or mlflow_module_name(ctx)
            if root is None or call.node.args or call.node.keywords:
                fix = Fix(
                    Applicability.DISPLAY_ONLY,
                    "Use `mlflow.get_trace(mlflow.get_last_active_trace_id())`",
                )
            else:
                text = (
                    f"((_last_trace_id := {root}.get_last_active_trace_id()) and "
                    f"{root}.get_trace(_last_trace_id))"
                )
                fix = Fix(
                    Applicability.UNSAFE,
                    "Get the trace by the last active trace id",
                    lambda c=call, t=text: [replace_node(ctx, c.node, t)],
                    works_on_2x=True,
                )
            yield ctx.report(
                self,
                call.node,
                "`mlflow.get_last_active_trace()` was removed in MLflow 3.0; use "
                "`mlflow.get_trace(mlflow.get_last_active_trace_id())` (guard for None)",
                fix,
            )


# MLF604 -----------------------------------------------------------------------------------
_TRACE_INFO_FIELDS = {
    "request_id": "trace_id",
    "request_metadata": "trace_metadata",
    "timestamp_ms": "request_time",
    "execution_time_ms": "execution_duration",
    "status": "state",
}
_TRACE_STATUS = "mlflow.entities.TraceStatus"


@register
class TraceInfoV2Fields(Rule):
    code = "MLF604"
    name = "trace-info-v2-fields"
    tier = 2
    kind = Kind.DEPRECATED
    since = "3.0.0"
    catalogue = "TC-04"
    summary = "MLflow 2 `TraceInfo` fields (`request_id`, `status`, …) and `TraceStatus`"
    fix = (Applicability.UNSAFE,)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0's `TraceInfo` (v3) renamed its fields: `request_id` → `trace_id`, "
            "`request_metadata` → `trace_metadata`, `timestamp_ms` → `request_time`, "
            "`execution_time_ms` → `execution_duration`, `status` (`TraceStatus`) → `state` "
            "(`TraceState`). The old names are kept as deprecated aliases, without a warning."
        ),
        why=(
            "The aliases are documented as deprecated and will go; `status` converts the new "
            "`state` on every access. Only attributes whose receiver is known to be a "
            "`TraceInfo` (`trace.info` of a trace from `get_trace`, `search_traces(..., "
            'return_type="list")`, annotations) are reported.'
        ),
        example=(
            "trace = mlflow.get_trace(trace_id)\n"
            "print(trace.info.request_id, trace.info.execution_time_ms)\n"
            "ok = trace.info.status == TraceStatus.OK"
        ),
        use_instead=(
            "trace = mlflow.get_trace(trace_id)\n"
            "print(trace.info.trace_id, trace.info.execution_duration)\n"
            "ok = trace.info.state == TraceState.OK"
        ),
        fix_safety=(
            "Unsafe: `status` becomes `state`, whose values are `TraceState` members (`OK`, "
            "`ERROR`, `IN_PROGRESS` keep their names), so comparisons with `TraceStatus` must "
            "change together; `TraceStatus` imports move to `mlflow.entities.TraceState`. "
            "The new names do not exist in MLflow 2.22."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for old, new in _TRACE_INFO_FIELDS.items():
            for node, scope in ctx.model.attribute_accesses(old):
                if ctx.receiver_type(node, scope) != api.TRACE_INFO:
                    continue
                yield ctx.report(
                    self,
                    node,
                    f"`TraceInfo.{old}` is deprecated since MLflow 3.0; use `.{new}`",
                    Fix(
                        Applicability.UNSAFE,
                        f"Use `.{new}`",
                        lambda n=node, new=new: [rename_attribute(ctx, n, new)],
                    ),
                )
        for ref in references(ctx, {_TRACE_STATUS}):
            edits = move_edits(ctx, ref, "mlflow.entities.TraceState", False)
            fix = (
                Fix(Applicability.UNSAFE, "Use `TraceState`", lambda e=edits: e)
                if edits
                else Fix(Applicability.DISPLAY_ONLY, "Use `mlflow.entities.TraceState`")
            )
            yield ctx.report(
                self,
                ref.node,
                "`TraceStatus` is deprecated since MLflow 3.0; use "
                "`mlflow.entities.TraceState` (the value of `TraceInfo.state`)",
                fix,
            )


# MLF605 -----------------------------------------------------------------------------------
_TRACE_COLUMNS = _TRACE_INFO_FIELDS
_FRAME_METHODS = {"sort_values", "groupby", "set_index", "drop", "filter", "get", "pivot_table"}


def _is_trace_frame_call(ctx: PythonContext, call: CallSite) -> bool:
    keyword = call.keyword("return_type")
    if keyword is None:
        return len(call.node.args) < 7  # the 7th positional parameter is return_type
    return string_value(keyword.value) == "pandas"


@register
class SearchTracesColumns(Rule):
    code = "MLF605"
    name = "search-traces-columns"
    tier = 2
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "TC-05"
    summary = "MLflow 2 column names read from `mlflow.search_traces()` DataFrames"
    fix = (Applicability.UNSAFE,)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "The DataFrame `mlflow.search_traces()` returns has MLflow 3 column names since "
            "3.0: `request_id` → `trace_id`, `timestamp_ms` → `request_time`, `status` → "
            "`state`, `execution_time_ms` → `execution_duration`, `request_metadata` → "
            "`trace_metadata` (`request`, `response`, `tags`, `spans`, `assessments` stay)."
        ),
        why="Reading an old column raises `KeyError` (or `AttributeError` for `df.status`).",
        example=(
            "traces = mlflow.search_traces(experiment_ids=[exp_id])\n"
            'slow = traces[traces["execution_time_ms"] > 1000]["request_id"]'
        ),
        use_instead=(
            "traces = mlflow.search_traces(experiment_ids=[exp_id])\n"
            'slow = traces[traces["execution_duration"] > 1000]["trace_id"]'
        ),
        fix_safety=(
            "Unsafe: the column names are rewritten where the DataFrame is used directly or "
            "through a variable assigned once from `search_traces` (subscripts, attribute "
            "access, `sort_values`/`groupby`/`set_index`/`drop`/`filter` arguments); the `state` "
            "column holds `TraceState` names. The new names do not exist in MLflow 2.22."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        calls = [c for c in ctx.calls_to("mlflow.search_traces") if _is_trace_frame_call(ctx, c)]
        parent_of = ctx.model.parent_of
        for call in calls:
            for use in _frame_uses(ctx, call, parent_of):
                yield from self._column_uses(ctx, use, parent_of)

    def _column_uses(self, ctx: PythonContext, frame: ast.expr, parent_of) -> Iterator[Finding]:
        parent = parent_of(frame)
        candidates: list[ast.expr] = []
        if isinstance(parent, ast.Subscript) and parent.value is frame:
            candidates.append(parent.slice)
        elif isinstance(parent, ast.Attribute) and parent.value is frame:
            if parent.attr in _TRACE_COLUMNS:
                new = _TRACE_COLUMNS[parent.attr]
                yield self._report(ctx, parent, parent.attr, [rename_attribute(ctx, parent, new)])
                return
            call = parent_of(parent)
            if parent.attr in _FRAME_METHODS and isinstance(call, ast.Call) and call.func is parent:
                candidates.extend(call.args[:1])
                candidates.extend(k.value for k in call.keywords if k.arg in ("by", "columns"))
        for candidate in candidates:
            elements = (
                candidate.elts if isinstance(candidate, ast.List | ast.Tuple) else [candidate]
            )
            for element in elements:
                column = string_value(element)
                if column in _TRACE_COLUMNS:
                    new = _TRACE_COLUMNS[column]
                    edit = replace_node(ctx, element, ctx.source(element).replace(column, new))
                    yield self._report(ctx, element, column, [edit])

    def _report(self, ctx: PythonContext, node: ast.AST, column: str, edits) -> Finding:
        new = _TRACE_COLUMNS[column]
        return ctx.report(
            self,
            node,
            f"`search_traces()` DataFrames have no `{column}` column since MLflow 3.0; use `{new}`",
            Fix(Applicability.UNSAFE, f"Use the `{new}` column", lambda: edits),
        )


def _frame_uses(ctx: PythonContext, call: CallSite, parent_of) -> Iterator[ast.expr]:
    """The call itself and loads of a variable every binding of which is such a call."""
    yield call.node
    assignment = parent_of(call.node)
    if not (
        isinstance(assignment, ast.Assign)
        and len(assignment.targets) == 1
        and isinstance(assignment.targets[0], ast.Name)
    ):
        return
    name = assignment.targets[0].id
    for load, scope in ctx.model.name_loads(name):
        bindings = ctx.model.lookup(name, scope) or []
        if bindings and all(b.value is call.node for b in bindings):
            yield load


# MLF606 -----------------------------------------------------------------------------------
_LOG_ASSESSMENT = ("mlflow.log_expectation", "mlflow.log_feedback")
_UPDATE_ASSESSMENT = {"mlflow.update_expectation", "mlflow.update_feedback"}
_DELETE_ASSESSMENT = {"mlflow.delete_expectation", "mlflow.delete_feedback"}
_CLIENT_ASSESSMENT = ("log_assessment", "update_assessment", "delete_assessment")


@register
class AssessmentApiChanged(Rule):
    code = "MLF606"
    name = "assessment-api-changed"
    tier = 2
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "TC-07, TC-08, TC-09"
    summary = "MLflow 2.22 assessment APIs: positional `log_expectation/log_feedback`, "
    "`update_/delete_expectation/feedback`, client assessment methods"
    fix = (Applicability.SAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 made every parameter of `mlflow.log_expectation` / `log_feedback` "
            "keyword-only (the 2.22 order was `trace_id, name, source, value, ...`), replaced "
            "`update_expectation/update_feedback` by `mlflow.update_assessment(trace_id, "
            "assessment_id, assessment)` and `delete_expectation/delete_feedback` by "
            "`mlflow.delete_assessment(trace_id, assessment_id)`. MLflow 3.2 removed "
            "`MlflowClient.log_assessment/update_assessment/delete_assessment` in favour of the "
            "fluent functions."
        ),
        why="Positional calls raise `TypeError`; the removed names raise `AttributeError` / "
        "`ImportError`.",
        example=(
            'mlflow.log_feedback(trace_id, "relevance", source, 0.9)\n'
            "mlflow.delete_feedback(trace_id, assessment_id)\n"
            "MlflowClient().delete_assessment(trace_id, assessment_id)"
        ),
        use_instead=(
            'mlflow.log_feedback(trace_id=trace_id, name="relevance", source=source, value=0.9)\n'
            "mlflow.delete_assessment(trace_id, assessment_id)\n"
            "mlflow.delete_assessment(trace_id, assessment_id)"
        ),
        fix_safety=(
            "Safe: positional arguments become keywords named by MLflow 2.22's signature (this "
            "also runs on 2.22); `delete_expectation/delete_feedback` and "
            "`MlflowClient().delete_assessment` (a client made without arguments) become "
            "`mlflow.delete_assessment` (MLflow 3 only). `update_*` needs an `Assessment` "
            "object and the other client methods need the fluent API: display-only."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        yield from self._positional(ctx)
        for ref in references(ctx, _UPDATE_ASSESSMENT | _DELETE_ASSESSMENT):
            short = ref.name.rsplit(".", 1)[1]
            if ref.name in _DELETE_ASSESSMENT:
                edits = move_edits(ctx, ref, "mlflow.delete_assessment", False)
                fix = (
                    Fix(Applicability.SAFE, "Use `mlflow.delete_assessment`", lambda e=edits: e)
                    if edits
                    else Fix(Applicability.DISPLAY_ONLY, "Use `mlflow.delete_assessment`")
                )
                instead = "`mlflow.delete_assessment(trace_id, assessment_id)`"
            else:
                fix = Fix(Applicability.DISPLAY_ONLY, "Use `mlflow.update_assessment`")
                instead = "`mlflow.update_assessment(trace_id, assessment_id, <Assessment>)`"
            yield ctx.report(
                self, ref.node, f"`mlflow.{short}` was removed in MLflow 3.0; use {instead}", fix
            )
        if reaches(ctx, "3.2.0"):
            yield from self._client_methods(ctx)

    def _positional(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to(*_LOG_ASSESSMENT):
            if not call.node.args:
                continue
            params = api.positional_parameters(call.callee) or []
            if call.has_star_args or len(call.node.args) > len(params):
                fix = Fix(Applicability.DISPLAY_ONLY, "Pass every argument by keyword")
            else:
                mapping = {i: params[i] for i in range(len(call.node.args))}
                fix = Fix(
                    Applicability.SAFE,
                    "Pass the arguments by keyword (MLflow 2.22 order)",
                    lambda c=call, m=mapping: [
                        edit_call(ctx, c.node, CallChange(positional_to_keyword=m))
                    ],
                    works_on_2x=True,
                )
            yield ctx.report(
                self,
                call.node.args[0],
                f"`{call.callee}` takes keyword arguments only since MLflow 3.0 "
                "(positional calls raise TypeError); pass them by name",
                fix,
            )

    def _client_methods(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to(*(f"{CLIENT}.{m}" for m in _CLIENT_ASSESSMENT)):
            method = call.callee.rsplit(".", 1)[1]
            root = mlflow_module_name(ctx)
            fix = Fix(Applicability.DISPLAY_ONLY, f"Use `mlflow.{method}`")
            if method == "delete_assessment" and root is not None and _plain_client(ctx, call):
                func = call.node.func
                fix = Fix(
                    Applicability.SAFE,
                    "Use `mlflow.delete_assessment`",
                    lambda f=func, r=root: [replace_node(ctx, f, f"{r}.delete_assessment")],
                )
            yield ctx.report(
                self,
                call.node.func,
                f"`MlflowClient.{method}` was removed in MLflow 3.2; use `mlflow.{method}` "
                + (
                    "with an `Assessment` object"
                    if method != "delete_assessment"
                    else "(same arguments)"
                ),
                fix,
            )


def _plain_client(ctx: PythonContext, call: CallSite) -> bool:
    """The receiver is `MlflowClient()` made without arguments (so it uses the global URIs)."""
    receiver = call.node.func.value if isinstance(call.node.func, ast.Attribute) else None
    if isinstance(receiver, ast.Name):
        bindings = ctx.model.lookup(receiver.id, call.scope) or []
        if len(bindings) != 1 or bindings[0].kind != "assign":
            return False
        receiver = bindings[0].value
    return (
        isinstance(receiver, ast.Call)
        and not receiver.args
        and not receiver.keywords
        and ctx.qualname(receiver.func, call.scope) == CLIENT
    )


# MLF607 -----------------------------------------------------------------------------------
_PROMPT_FUNCTIONS = (
    "register_prompt",
    "load_prompt",
    "set_prompt_alias",
    "delete_prompt_alias",
    "search_prompts",
)


@register
class PromptApiMoved(Rule):
    code = "MLF607"
    name = "prompt-api-moved"
    tier = 2
    kind = Kind.DEPRECATED
    since = "3.1.0"
    catalogue = "PR-01"
    summary = "`mlflow.register_prompt/load_prompt/…` (moved to `mlflow.genai`)"
    fix = (Applicability.SAFE,)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.1 moved the prompt registry functions to the `mlflow.genai` namespace: "
            "`register_prompt`, `load_prompt`, `set_prompt_alias`, `delete_prompt_alias`, "
            '`search_prompts`. The `mlflow.*` names still work but warn: "The `mlflow.<func>` '
            "API is moved to the `mlflow.genai` namespace. ... The original API will be removed "
            'in the future release."'
        ),
        why="The top-level names are scheduled for removal.",
        example=(
            "from mlflow import load_prompt\n\n"
            'mlflow.register_prompt(name="qa", template="Answer {{question}}")\n'
            'prompt = load_prompt("prompts:/qa/1")'
        ),
        use_instead=(
            "from mlflow.genai import load_prompt\n\n"
            'mlflow.genai.register_prompt(name="qa", template="Answer {{question}}")\n'
            'prompt = load_prompt("prompts:/qa/1")'
        ),
        fix_safety=(
            "Safe: the functions are the same with the same signatures. `mlflow.genai` does not "
            "exist in MLflow 2.22, so the result needs MLflow 3.1 or later."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        names = {f"mlflow.{name}" for name in _PROMPT_FUNCTIONS}
        for ref in references(ctx, names):
            short = ref.name.rsplit(".", 1)[1]
            new = f"mlflow.genai.{short}"
            edits = move_edits(ctx, ref, new, False)
            fix = (
                Fix(Applicability.SAFE, f"Use `{new}`", lambda e=edits: e)
                if edits
                else Fix(Applicability.DISPLAY_ONLY, f"Use `{new}`")
            )
            yield ctx.report(
                self, ref.node, f"`mlflow.{short}` moved to `{new}` in MLflow 3.1", fix
            )


# MLF608 -----------------------------------------------------------------------------------
_REGISTER_PROMPT = ("mlflow.register_prompt", "mlflow.genai.register_prompt")


@register
class PromptRegistryChanged(Rule):
    code = "MLF608"
    name = "prompt-registry-changed"
    tier = 2
    kind = Kind.REMOVED
    since = "3.1.0"
    catalogue = "PR-02, PR-03, PR-04, PR-05"
    summary = "`register_prompt(version_metadata=)`, `mlflow.delete_prompt`, "
    "`MlflowClient.log_prompt`, old `Prompt` attributes"
    fix = (Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.1 reshaped the prompt registry: `register_prompt` lost `version_metadata` "
            "(use `tags`, the version's tags); `mlflow.delete_prompt(name, version)` was "
            "removed and `MlflowClient.delete_prompt(name)` now deletes the whole prompt "
            "(`delete_prompt_version(name, version)` deletes one version); "
            "`MlflowClient.log_prompt` became `link_prompt_version_to_run`; prompts are "
            "returned as `PromptVersion` objects without `version_metadata` or `run_ids`."
        ),
        why=(
            "`version_metadata=` raises `TypeError`; `mlflow.delete_prompt` raises "
            "`AttributeError`; a two-argument `client.delete_prompt` raises `TypeError`."
        ),
        example=(
            'mlflow.register_prompt("qa", template, version_metadata={"author": "kim"})\n'
            'mlflow.delete_prompt("qa", 1)\n'
            "client.log_prompt(run_id, prompt)\n"
            "print(prompt.version_metadata)"
        ),
        use_instead=(
            'mlflow.register_prompt("qa", template, tags={"author": "kim"})\n'
            'mlflow.MlflowClient().delete_prompt_version("qa", 1)\n'
            "client.link_prompt_version_to_run(run_id, prompt)\n"
            "print(prompt.tags)"
        ),
        fix_safety=(
            "Safe: `log_prompt` → `link_prompt_version_to_run` and two-argument `delete_prompt` "
            "calls → `delete_prompt_version` (same arguments). Unsafe: `version_metadata=` "
            "becomes `tags=` (merged with `tags=` when both are given; MLflow 2's `tags` were "
            "prompt-level tags). Display-only: `Prompt(...)` construction and the "
            "`version_metadata` / `run_ids` attributes. The results need MLflow 3.1."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        yield from self._version_metadata(ctx)
        yield from self._delete_prompt(ctx)
        for call in ctx.calls_to(f"{CLIENT}.delete_prompt"):
            if len(call.node.args) + len(call.node.keywords) != 2:
                continue
            func = call.node.func
            yield ctx.report(
                self,
                func,
                "`MlflowClient.delete_prompt(name, version)` deletes the whole prompt since "
                "MLflow 3.1; use `delete_prompt_version(name, version)`",
                Fix(
                    Applicability.SAFE,
                    "Use `delete_prompt_version`",
                    lambda f=func: [rename_attribute(ctx, f, "delete_prompt_version")],
                ),
            )
        for call in ctx.calls_to(f"{CLIENT}.log_prompt"):
            func = call.node.func
            yield ctx.report(
                self,
                func,
                "`MlflowClient.log_prompt` was removed in MLflow 3.1; use "
                "`link_prompt_version_to_run` (same arguments)",
                Fix(
                    Applicability.SAFE,
                    "Use `link_prompt_version_to_run`",
                    lambda f=func: [rename_attribute(ctx, f, "link_prompt_version_to_run")],
                ),
            )
        yield from self._prompt_entity(ctx)

    def _version_metadata(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to(*_REGISTER_PROMPT, f"{CLIENT}.register_prompt"):
            keyword = call.keyword("version_metadata")
            if keyword is None:
                continue
            tags = call.keyword("tags")
            if tags is None:
                change = CallChange(rename={"version_metadata": "tags"})
            else:
                merged = f"{{**{ctx.source(tags.value)}, **{ctx.source(keyword.value)}}}"
                change = CallChange(remove={"version_metadata", "tags"}, add={"tags": merged})
            yield ctx.report(
                self,
                keyword,
                "`register_prompt(version_metadata=…)` was removed in MLflow 3.1; pass the "
                "version's metadata as `tags=`",
                Fix(
                    Applicability.UNSAFE,
                    "Pass the metadata as `tags=`",
                    lambda c=call, ch=change: [edit_call(ctx, c.node, ch)],
                ),
            )

    def _delete_prompt(self, ctx: PythonContext) -> Iterator[Finding]:
        calls = {id(c.node.func): c for c in ctx.calls_to("mlflow.delete_prompt")}
        for ref in references(ctx, {"mlflow.delete_prompt"}):
            fix = Fix(Applicability.DISPLAY_ONLY, "Use `MlflowClient().delete_prompt_version`")
            call = calls.get(id(ref.node))
            root = module_root(ctx, ref.node, ref.scope) if call is not None else None
            if call is not None and root is not None and len(call.node.args) == 2:
                fix = Fix(
                    Applicability.SAFE,
                    "Use `MlflowClient().delete_prompt_version`",
                    lambda n=ref.node, r=root: [
                        replace_node(ctx, n, f"{r}.MlflowClient().delete_prompt_version")
                    ],
                )
            yield ctx.report(
                self,
                ref.node,
                "`mlflow.delete_prompt` was removed in MLflow 3.1; use "
                "`MlflowClient().delete_prompt_version(name, version)`",
                fix,
            )

    def _prompt_entity(self, ctx: PythonContext) -> Iterator[Finding]:
        for attribute, hint in (("version_metadata", "use `.tags`"), ("run_ids", "no replacement")):
            for node, scope in ctx.model.attribute_accesses(attribute):
                if ctx.receiver_type(node, scope) != api.PROMPT:
                    continue
                yield ctx.report(
                    self,
                    node,
                    f"prompts have no `{attribute}` since MLflow 3.1 (they are `PromptVersion` "
                    f"objects); {hint}",
                    Fix(Applicability.DISPLAY_ONLY, hint),
                )
        for call in ctx.calls_to(api.PROMPT):
            yield ctx.report(
                self,
                call.node,
                "`mlflow.entities.Prompt` holds only prompt-level fields since MLflow 3.1; "
                "register versions with `mlflow.genai.register_prompt`",
                Fix(Applicability.DISPLAY_ONLY, "Use `mlflow.genai.register_prompt`"),
            )


# MLF609 -----------------------------------------------------------------------------------
@register
class SearchTracesLocations(Rule):
    code = "MLF609"
    name = "search-traces-locations"
    tier = 2
    kind = Kind.DEPRECATED
    since = "3.5.0"
    catalogue = "TC-06"
    summary = "`search_traces(experiment_ids=…)` (use `locations=`) and `extract_fields=`"
    fix = (Applicability.SAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.5 renamed `experiment_ids` of `mlflow.search_traces` and "
            "`MlflowClient.search_traces` to `locations` (a list of experiment ids or other "
            "trace locations); the old keyword warns \"Parameter 'experiment_ids' is deprecated. "
            "Please use 'locations' instead.\". MLflow 3.6 deprecated `extract_fields` "
            '("The `extract_fields` parameter is deprecated and will be removed in a future '
            'version.").'
        ),
        why="Both keywords are on their way out.",
        example='df = mlflow.search_traces(experiment_ids=["1"], extract_fields=["llm.inputs"])',
        use_instead=(
            'traces = mlflow.search_traces(locations=["1"], return_type="list")\n'
            "# read the values from trace.data.spans"
        ),
        fix_safety=(
            "Safe for `experiment_ids=` → `locations=` (same values; needs MLflow 3.5). "
            "`extract_fields` has no replacement parameter: display-only."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to("mlflow.search_traces", f"{CLIENT}.search_traces"):
            keyword = call.keyword("experiment_ids")
            if keyword is not None:
                yield ctx.report(
                    self,
                    keyword,
                    "`search_traces(experiment_ids=…)` is deprecated since MLflow 3.5; "
                    "pass `locations=`",
                    keyword_rename_fix(ctx, call, "experiment_ids", "locations"),
                )
            extract = call.keyword("extract_fields")
            if extract is not None and reaches(ctx, "3.6.0"):
                yield ctx.report(
                    self,
                    extract,
                    "`extract_fields` of `search_traces` is deprecated since MLflow 3.6; read "
                    'the fields from `trace.data.spans` (`return_type="list"`)',
                    Fix(Applicability.DISPLAY_ONLY, "Read the values from the spans"),
                )
