"""MLF404, MLF406-MLF408: removed gateway client, other removed names, MLServer, ChatModel."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlflow_upgrade.engine.context import Context
from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind, TextEdit
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.files.context import command_view_of
from mlflow_upgrade.files.mlflow_cli import mlflow_commands
from mlflow_upgrade.files.shell import COMMAND_KINDS
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import CallChange, edit_call, replace_node
from mlflow_upgrade.python.semantic import CallSite
from mlflow_upgrade.rules._tier2 import (
    Command,
    commands,
    module_root,
    removed_name_findings,
    removed_names_for,
)


# MLF404 -----------------------------------------------------------------------------------
@register
class GatewayClientRemoved(Rule):
    code = "MLF404"
    name = "gateway-client-removed"
    tier = 2
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "GW-05, GW-06"
    summary = "the MLflow AI Gateway client (`mlflow.gateway.query/get_route/…`, "
    "`MlflowGatewayClient`, `Route*` config classes)"
    fix = (Applicability.UNSAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 removed the gateway client (deprecated since 2.9): "
            "`mlflow.gateway.query`, `get_route`, `search_routes`, `create_route`, "
            "`delete_route`, `set_limits`, `get_limits`, `MlflowGatewayClient` and the modules "
            "`mlflow.gateway.client` / `mlflow.gateway.fluent`; "
            "`MLFLOW_GATEWAY_CLIENT_QUERY_TIMEOUT_SECONDS` went in 3.0. MLflow 3.6 removed the "
            "`Route`, `RouteConfig`, `RouteModelInfo`, `RouteType` config classes and "
            "`SearchRoutesResponse`; 3.14 removed `MLFLOW_GATEWAY_ROUTE_TIMEOUT_SECONDS`."
        ),
        why="Each raises `AttributeError` / `ImportError` on MLflow 3.",
        example=(
            "import mlflow.gateway\n\n"
            'mlflow.gateway.set_gateway_uri("http://localhost:5000")\n'
            'answer = mlflow.gateway.query("chat", {"messages": messages})'
        ),
        use_instead=(
            "import mlflow.deployments\nimport mlflow.gateway\n\n"
            'mlflow.gateway.set_gateway_uri("http://localhost:5000")\n'
            "answer = mlflow.deployments.get_deploy_client(mlflow.gateway.get_gateway_uri())"
            '.predict(endpoint="chat", inputs={"messages": messages})'
        ),
        fix_safety=(
            "Unsafe for `mlflow.gateway.query(route, data)` (the deployments client's "
            "`predict(endpoint=, inputs=)` answers in the endpoint's schema; `import "
            "mlflow.deployments` is added). Display-only for the rest: routes are managed in "
            "the gateway configuration (`endpoints:`, `limit:`) or with "
            "`get_deploy_client(...).get_endpoint/list_endpoints`. The rewrite also runs on "
            "MLflow 2.22."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        queries = {id(c.node.func): c for c in ctx.calls_to("mlflow.gateway.query")}
        for finding in removed_name_findings(self, ctx, removed_names_for(self.code)):
            call = queries.get(id(_node_at(ctx, finding)))
            if call is not None:
                fix = self._query_fix(ctx, call)
                if fix is not None:
                    finding.fix = fix
            yield finding

    def _query_fix(self, ctx: PythonContext, call: CallSite) -> Fix | None:
        root = module_root(ctx, call.node.func, call.scope)
        node = call.node
        if root is None or any(isinstance(a, ast.Starred) for a in node.args):
            return None
        values = dict(zip(("route", "data"), (ctx.source(a) for a in node.args), strict=False))
        for keyword in node.keywords:
            if keyword.arg in ("route", "data"):
                values[keyword.arg] = ctx.source(keyword.value)
            else:
                return None
        if set(values) != {"route", "data"}:
            return None
        text = (
            f"{root}.deployments.get_deploy_client({root}.gateway.get_gateway_uri())"
            f".predict(endpoint={values['route']}, inputs={values['data']})"
        )

        def edits() -> list[TextEdit]:
            result = [replace_node(ctx, node, text)]
            insertion = _import_insertion(ctx, root, "mlflow.deployments")
            if insertion is not None:
                result.append(insertion)
            return result

        return Fix(
            Applicability.UNSAFE,
            "Query the endpoint through the deployments client",
            edits,
            works_on_2x=True,
        )


def _node_at(ctx: PythonContext, finding: Finding) -> ast.AST | None:
    for node, _scope in ctx.model.attribute_accesses("query"):
        if ctx.start(node) == finding.start_offset and ctx.end(node) == finding.end_offset:
            return node
    return None


def _import_insertion(ctx: PythonContext, root: str, module: str) -> TextEdit | None:
    """`import <module>` after the module-level import that binds `root`, unless present."""
    anchor = None
    for statement, scope in ctx.model.imports:
        if scope is not ctx.model.module_scope or not isinstance(statement, ast.Import):
            continue
        for alias in statement.names:
            if alias.name == module:
                return None
            bound = alias.asname or alias.name.split(".")[0]
            if bound == root and (alias.asname is None or alias.name == "mlflow"):
                anchor = anchor or statement
    if anchor is None:
        return None
    start = ctx.start(anchor)
    line_start = ctx.text.rfind("\n", 0, start) + 1
    if ctx.text[line_start:start].strip():
        return None
    line_end = ctx.text.find("\n", ctx.end(anchor))
    line_end = len(ctx.text) if line_end < 0 else line_end
    return TextEdit(line_end, line_end, f"\nimport {module}")


# MLF406 -----------------------------------------------------------------------------------
@register
class TopLevelApiRemoved(Rule):
    code = "MLF406"
    name = "top-level-api-removed"
    tier = 2
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "§b, TC-10, TC-11, TR-07, RM-07"
    summary = "other public MLflow 2.22 names and modules that MLflow 3 removed (from the API diff)"
    fix = (Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "Besides the removals other rules describe, MLflow 3 dropped a set of public names "
            "and modules, for instance `mlflow.pyspark.optuna.storage` (→ "
            "`mlflow.optuna.storage`), `mlflow.tracing.set_span_chat_messages`, the "
            "`mlflow.types.responses` request/response classes (→ `ResponsesAgent*`, helpers "
            "in `mlflow.types.responses_helpers`), `NO_OP_SPAN_REQUEST_ID`, the AutoGen logger "
            "and the v2 trace exporters."
        ),
        why=(
            "Imports raise `ImportError`, attribute uses `AttributeError`. The list is "
            "generated by `scripts/gen_removed_names.py` from the MLflow 2.22.5 and MLflow 3 "
            "sources: public modules (no `_`-prefixed part; not `mlflow.protos`, "
            "`mlflow.server`, `mlflow.store`, `mlflow.utils` or `*utils` modules, nor the "
            "scoring-server/container internals) and their public functions, classes, "
            "UPPER_CASE constants, `__all__` names and package re-exports that MLflow 3 no "
            "longer binds. Names that a more specific rule reports (recipes, removed flavors, "
            "gateway, MLServer, tracing and prompt functions, flavor `__init__`s) are left to "
            "that rule. Each name is reported only when the target version includes its "
            "removal."
        ),
        example=(
            "from mlflow.pyspark.optuna.storage import MlflowStorage\n"
            "from mlflow.types.responses import ResponsesRequest"
        ),
        use_instead=(
            "from mlflow.optuna.storage import MlflowStorage\n"
            "from mlflow.types.responses import ResponsesAgentRequest"
        ),
        fix_safety=(
            "Per name: safe where the object only moved (same object under another module), "
            "unsafe where it was renamed with a changed shape (the `Responses*` classes), "
            "display-only where MLflow 3 has no replacement. The local name of an import is "
            "kept (`from n import new as old`)."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        yield from removed_name_findings(self, ctx, removed_names_for(self.code))


# MLF407 -----------------------------------------------------------------------------------
_MLSERVER_FLAG = "--enable-mlserver"
_MLSERVER_COMMANDS = [["models", c] for c in ("serve", "build-docker", "generate-dockerfile")]
_BUILD_DOCKER_2 = [
    "model_uri",
    "name",
    "env_manager",
    "mlflow_home",
    "install_java",
    "install_mlflow",
    "enable_mlserver",
    "base_image",
]


@register
class MlserverRemoved(Rule):
    code = "MLF407"
    name = "mlserver-removed"
    tier = 2
    kind = Kind.REMOVED
    since = "3.13.0"
    catalogue = "ML-14, CLI-03, RM-08"
    summary = (
        "`enable_mlserver=`, `mlflow.pyfunc.mlserver`, and `--enable-mlserver` in Python, "
        "scripts, Dockerfiles, CI/compose/k8s YAML and notebooks"
    )
    fix = (Applicability.UNSAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = True
    file_kinds = frozenset({FileKind.PYTHON}) | COMMAND_KINDS
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.12 deprecated the MLServer integration and MLflow 3.13 removed it: "
            "`enable_mlserver=` of `mlflow.models.build_docker`, the `mlflow.pyfunc.mlserver` "
            "module, the `--enable-mlserver` option of `mlflow models serve / build-docker / "
            "generate-dockerfile` and the `mlflow[mlserver]` extra."
        ),
        why=(
            "The keyword raises `TypeError`, the module `ImportError`, the CLI option a usage "
            "error; `build_docker`'s 7th positional parameter is now `base_image`. This rule "
            "covers Python code, including command lines run through `subprocess`/`os.system`, "
            "and `mlflow models serve / build-docker / generate-dockerfile --enable-mlserver` in "
            "shell scripts, Dockerfiles, Makefiles, Procfiles, CI / docker-compose / Kubernetes "
            "YAML (shell form, exec-form lists, `command:`/`args:` lists), MLproject entry points, "
            "notebook `!` lines and Databricks `%sh` cells. The `mlflow[mlserver]` extra in "
            "dependency pins is MLF506."
        ),
        example=(
            'mlflow.models.build_docker(model_uri, "my-image", enable_mlserver=True)\n'
            'subprocess.run(["mlflow", "models", "serve", "-m", uri, "--enable-mlserver"])'
        ),
        use_instead=(
            'mlflow.models.build_docker(model_uri, "my-image")\n'
            'subprocess.run(["mlflow", "models", "serve", "-m", uri])'
        ),
        fix_safety=(
            "Unsafe: the argument or option is dropped, so the default MLflow scoring server "
            "replaces MLServer (a different server with its own protocol). Positional "
            "`build_docker` arguments from the 7th on become keywords. Runs on MLflow 2.22 too."
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if isinstance(ctx, PythonContext):
            yield from self._check_python(ctx)
        view = command_view_of(ctx)
        if view is None or _MLSERVER_FLAG not in view:
            return
        for command in mlflow_commands(view, ctx.document.kind):
            if command.subcommands(2) not in _MLSERVER_COMMANDS:
                continue
            for word in command.words:
                if word.text != _MLSERVER_FLAG:
                    continue
                span = command.drop_edit(word, view)
                fix = (
                    Fix(
                        Applicability.UNSAFE,
                        f"Drop `{_MLSERVER_FLAG}`",
                        lambda s=span: [TextEdit(s[0], s[1], "")],
                        works_on_2x=True,
                    )
                    if span is not None
                    else Fix(Applicability.DISPLAY_ONLY, f"Drop `{_MLSERVER_FLAG}`")
                )
                yield ctx.finding(
                    self,
                    word.start,
                    word.end,
                    f"`{_MLSERVER_FLAG}` of `mlflow {' '.join(command.subcommands(2))}` was "
                    "removed in MLflow 3.13 with MLServer serving; drop it (the default scoring "
                    "server is used)",
                    fix,
                )

    def _check_python(self, ctx: PythonContext) -> Iterator[Finding]:
        yield from removed_name_findings(self, ctx, removed_names_for(self.code))
        for call in ctx.calls_to("mlflow.models.build_docker"):
            keyword = call.keyword("enable_mlserver")
            positional = len(call.node.args) > 6
            if keyword is None and not positional:
                continue
            node = keyword if keyword is not None else call.node.args[6]
            change = CallChange(
                positional_to_keyword={i: _BUILD_DOCKER_2[i] for i in range(6, len(call.node.args))}
                if len(call.node.args) <= len(_BUILD_DOCKER_2)
                else {},
                remove={"enable_mlserver"},
            )
            yield ctx.report(
                self,
                node,
                "MLServer support (`enable_mlserver`) was removed in MLflow 3.13; drop it "
                "(the default scoring server is used)",
                Fix(
                    Applicability.UNSAFE,
                    "Drop `enable_mlserver`",
                    lambda c=call, ch=change: [edit_call(ctx, c.node, ch)],
                    works_on_2x=True,
                ),
            )
        for command in commands(ctx):
            token = command.option(_MLSERVER_FLAG)
            if token is None or command.words()[:1] != ["models"]:
                continue
            edit = _drop_token(ctx, command, token.node)
            fix = (
                Fix(Applicability.UNSAFE, f"Drop `{_MLSERVER_FLAG}`", lambda e=edit: [e])
                if edit is not None
                else Fix(Applicability.DISPLAY_ONLY, f"Drop `{_MLSERVER_FLAG}`")
            )
            if edit is not None:
                fix.works_on_2x = True
            yield ctx.report(
                self,
                token.node,
                f"`{_MLSERVER_FLAG}` was removed in MLflow 3.13; drop it",
                fix,
            )


def _drop_token(ctx: PythonContext, command: Command, node: ast.expr) -> TextEdit | None:
    """Remove the option from the list or string literal that holds it."""
    if command.is_list and isinstance(command.container, ast.List | ast.Tuple):
        elements = command.container.elts
        index = next((i for i, e in enumerate(elements) if e is node), None)
        if index is None:
            return None
        if index > 0:
            return TextEdit(ctx.end(elements[index - 1]), ctx.end(node), "")
        if len(elements) > 1:
            return TextEdit(ctx.start(node), ctx.start(elements[1]), "")
        return None
    source = ctx.source(node)
    if source.count(_MLSERVER_FLAG) != 1:
        return None
    at = source.index(_MLSERVER_FLAG)
    start, end = at, at + len(_MLSERVER_FLAG)
    if start > 0 and source[start - 1] == " ":
        start -= 1
    elif end < len(source) and source[end] == " ":
        end += 1
    base = ctx.start(node)
    return TextEdit(base + start, base + end, "")


# MLF408 -----------------------------------------------------------------------------------
_CHAT_MODEL = "mlflow.pyfunc.ChatModel"


@register
class ChatModelDeprecated(Rule):
    code = "MLF408"
    name = "chat-model-deprecated"
    tier = 2
    kind = Kind.DEPRECATED
    since = "3.0.0"
    catalogue = "RM-12"
    summary = "subclasses of `mlflow.pyfunc.ChatModel` (use `ResponsesAgent`)"
    docs = RuleDocs(
        what_changed=(
            "`mlflow.pyfunc.ChatModel` is deprecated since MLflow 3.0 in favour of "
            "`mlflow.pyfunc.ResponsesAgent` (the OpenAI Responses schema); instantiating a "
            "subclass warns."
        ),
        why="ChatModel will be removed; new agent features (tool calls, streaming events) are "
        "built on ResponsesAgent.",
        example=(
            "class Bot(mlflow.pyfunc.ChatModel):\n"
            "    def predict(self, context, messages, params=None):\n"
            "        ..."
        ),
        use_instead=(
            "from mlflow.types.responses import ResponsesAgentRequest, ResponsesAgentResponse\n\n"
            "class Bot(mlflow.pyfunc.ResponsesAgent):\n"
            "    def predict(self, request: ResponsesAgentRequest) -> ResponsesAgentResponse:\n"
            "        ..."
        ),
        fix_safety="Display-only: `predict` takes and returns different types.",
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        if "ChatModel" not in ctx.text:
            return
        bases: dict[int, ast.ClassDef] = {}
        for node in ast.walk(ctx.tree):
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    bases[id(base)] = node
        uses = [*ctx.model.attribute_accesses("ChatModel"), *ctx.model.name_loads("ChatModel")]
        for alias in {
            a.asname
            for statement, _ in ctx.model.imports
            if isinstance(statement, ast.ImportFrom)
            for a in statement.names
            if a.name == "ChatModel" and a.asname
        }:
            uses.extend(ctx.model.name_loads(alias))
        for node, scope in uses:
            if id(node) not in bases or ctx.qualname(node, scope) != _CHAT_MODEL:
                continue
            yield ctx.report(
                self,
                node,
                f"`{bases[id(node)].name}` subclasses `mlflow.pyfunc.ChatModel`, deprecated since "
                "MLflow 3.0; implement `mlflow.pyfunc.ResponsesAgent` instead",
                Fix(Applicability.DISPLAY_ONLY, "Use `mlflow.pyfunc.ResponsesAgent`"),
            )
