"""MLF7xx: the tracking server and its basic-auth client (MLF702 also reads scripts and CI files)."""

from __future__ import annotations

import ast
import ipaddress
from collections.abc import Iterator

from mlflow_upgrade.engine.context import Context
from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.files.context import command_view_of
from mlflow_upgrade.files.mlflow_cli import mlflow_commands
from mlflow_upgrade.files.shell import COMMAND_KINDS
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import replace_node
from mlflow_upgrade.python.semantic import CallSite
from mlflow_upgrade.rules._tier2 import commands, reaches, short_version

# MLF701 -----------------------------------------------------------------------------------
_RESOURCES = {"experiment": "experiment_id", "registered_model": "name"}
_ACTIONS = {
    "create": "grant_user_permission",
    "update": "grant_user_permission",
    "get": "get_user_permission",
    "delete": "revoke_user_permission",
}


@register
class AuthPermissionClient(Rule):
    code = "MLF701"
    name = "auth-permission-client"
    tier = 2
    kind = Kind.REMOVED
    since = "3.13.0"
    catalogue = "AU-01"
    summary = "per-resource permission methods of the basic-auth client"
    fix = (Applicability.UNSAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.13 replaced the basic-auth client's per-resource permission methods "
            "(`create_/get_/update_/delete_experiment_permission`, the same four for "
            "`registered_model`) and their REST routes by per-user methods "
            "(`grant_user_permission(username, resource_type, resource_id, permission)`, "
            "`get_user_permission(username, resource_type, resource_id)`, "
            "`revoke_user_permission(username, resource_type, resource_id)`) and roles."
        ),
        why=(
            "The old methods raise `AttributeError`. Only calls on a receiver known to be the "
            'client (`mlflow.server.get_app_client("basic-auth", ...)`, `AuthServiceClient`) '
            "are reported."
        ),
        example=(
            'client = get_app_client("basic-auth", tracking_uri=uri)\n'
            'client.create_experiment_permission(exp_id, "kim", "EDIT")'
        ),
        use_instead=(
            'client = get_app_client("basic-auth", tracking_uri=uri)\n'
            'client.grant_user_permission("kim", "experiment", exp_id, "EDIT")'
        ),
        fix_safety=(
            "Unsafe: the arguments are reordered (username first, then the resource type and "
            "id); `get_user_permission` returns a different result object, and `update_` "
            "becomes `grant_` (an upsert). Needs MLflow 3.13."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        methods = {
            f"{api.AUTH_CLIENT}.{action}_{resource}_permission": (action, resource)
            for action in _ACTIONS
            for resource in _RESOURCES
        }
        for call in ctx.calls_to(*methods):
            action, resource = methods[call.callee]
            new = _ACTIONS[action]
            yield ctx.report(
                self,
                call.node,
                f"`{action}_{resource}_permission` was removed from the basic-auth client in "
                f'MLflow 3.13; use `{new}(username, "{resource}", …)`',
                self._fix(ctx, call, action, resource),
            )

    def _fix(self, ctx: PythonContext, call: CallSite, action: str, resource: str) -> Fix:
        new = _ACTIONS[action]
        title = f"Use `{new}`"
        func = call.node.func
        if call.has_star_args or not isinstance(func, ast.Attribute):
            return Fix(Applicability.DISPLAY_ONLY, title)
        names = [_RESOURCES[resource], "username"] + (
            ["permission"] if action in ("create", "update") else []
        )
        values = dict(zip(names, (ctx.source(a) for a in call.node.args), strict=False))
        for keyword in call.node.keywords:
            if keyword.arg not in names or keyword.arg in values:
                return Fix(Applicability.DISPLAY_ONLY, title)
            values[keyword.arg] = ctx.source(keyword.value)
        if set(values) != set(names) or len(call.node.args) > len(names):
            return Fix(Applicability.DISPLAY_ONLY, title)
        arguments = [values["username"], f'"{resource}"', values[_RESOURCES[resource]]]
        if "permission" in names:
            arguments.append(values["permission"])
        text = f"{ctx.source(func.value)}.{new}({', '.join(arguments)})"
        return Fix(Applicability.UNSAFE, title, lambda: [replace_node(ctx, call.node, text)])


# MLF702 -----------------------------------------------------------------------------------
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _is_public_host(host: str) -> bool:
    if host in _LOCAL_HOSTS:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a DNS name
    return address.is_unspecified or not (address.is_private or address.is_loopback)


def _gunicorn_message(option: str) -> str:
    return (
        f"`mlflow server` runs on uvicorn since MLflow {short_version('3.3.0')}; `{option}` "
        "only warns: use `--uvicorn-opts`"
    )


def _host_message(host: str) -> str:
    return (
        f"since MLflow 3.5 a server on `{host}` answers only Host headers in `--allowed-hosts` "
        "(default: localhost and private addresses); add `--allowed-hosts <the names clients use>`"
    )


_PREFIX_MESSAGE = (
    "since MLflow 3.12 `--static-prefix` also prefixes the REST API (`/api/...`); clients must "
    "include the prefix in their tracking URI"
)
_SERVER_OPTIONS = ("--gunicorn-opts", "--waitress-opts")
_HOST_OPTIONS = ("--allowed-hosts", "--disable-security-middleware")


@register
class ServerCliOptions(Rule):
    code = "MLF702"
    name = "server-cli-options"
    tier = 2
    kind = Kind.BEHAVIOUR
    since = "3.3.0"
    catalogue = "CLI-06, CLI-07, CLI-08"
    summary = (
        "`mlflow server` command lines with `--gunicorn-opts`/`--waitress-opts`, a public "
        "`--host` without `--allowed-hosts`, or `--static-prefix` (Python, scripts, Dockerfiles, "
        "Procfiles, CI/compose/k8s YAML)"
    )
    file_kinds = frozenset({FileKind.PYTHON}) | COMMAND_KINDS
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.3 serves the tracking server with uvicorn (FastAPI) by default; "
            "`--gunicorn-opts` / `--waitress-opts` warn. MLflow 3.5 added a security "
            "middleware that only answers Host headers in `--allowed-hosts` (default: "
            "localhost and private addresses) and CORS origins in `--cors-allowed-origins`. "
            "MLflow 3.12 applies `--static-prefix` to the REST API (`/api/...`) too, not only "
            "to the UI."
        ),
        why=(
            "A server started with `--host 0.0.0.0` behind a public DNS name rejects its "
            "clients; gunicorn options no longer configure the server that runs; REST clients "
            "of a prefixed server must add the prefix. This rule reads `mlflow server` / "
            "`mlflow ui` command lines that Python code runs through `subprocess` or "
            "`os.system`, and the same commands in shell scripts, Dockerfiles (shell and exec "
            'form, `ENTRYPOINT ["mlflow"]` + `CMD [...]`), Makefiles, Procfiles, CI / '
            "docker-compose / Kubernetes YAML (`command:`/`args:` lists, folded `>` strings), "
            "MLproject entry points, notebook `!` lines and Databricks `%sh` cells; comments that "
            "mention the options are never reported. A file that sets "
            "`MLFLOW_SERVER_ALLOWED_HOSTS` counts as configuring the allowed hosts. Each part is "
            "reported only when the target version includes its change."
        ),
        example=(
            'subprocess.Popen(["mlflow", "server", "--host", "0.0.0.0", '
            '"--gunicorn-opts", "--timeout 120"])'
        ),
        use_instead=(
            'subprocess.Popen(["mlflow", "server", "--host", "0.0.0.0", '
            '"--allowed-hosts", "mlflow.example.com", "--uvicorn-opts", "--timeout-keep-alive 120"])'
        ),
        fix_safety="Display-only: the right host names and server options depend on the deployment.",
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if isinstance(ctx, PythonContext):
            yield from self._check_python(ctx)
        view = command_view_of(ctx)
        if view is not None and ("server" in view or "ui" in view):
            yield from self._check_commands(ctx, view)

    def _check_commands(self, ctx: Context, view: str) -> Iterator[Finding]:
        configured = "MLFLOW_SERVER_ALLOWED_HOSTS" in view
        fix = Fix(Applicability.DISPLAY_ONLY, "Adjust the server options")
        for command in mlflow_commands(view, ctx.document.kind):
            if command.subcommands(1) not in (["server"], ["ui"]):
                continue
            if reaches(ctx, "3.3.0"):
                for option in _SERVER_OPTIONS:
                    word = command.option(option)
                    if word is not None:
                        message = _gunicorn_message(option)
                        yield ctx.finding(self, word.start, word.end, message, fix)
            host = command.option_value("--host", "-h")
            if (
                reaches(ctx, "3.5.0")
                and host is not None
                and "$" not in host.text
                and _is_public_host(host.text)
                and not configured
                and not command.has_option(*_HOST_OPTIONS)
            ):
                yield ctx.finding(self, host.start, host.end, _host_message(host.text), fix)
            prefix = command.option("--static-prefix")
            if prefix is not None and reaches(ctx, "3.12.0"):
                yield ctx.finding(self, prefix.start, prefix.end, _PREFIX_MESSAGE, fix)

    def _check_python(self, ctx: PythonContext) -> Iterator[Finding]:
        configured = any(
            "MLFLOW_SERVER_ALLOWED_HOSTS" in node.value for node, _ in ctx.model.strings
        )
        for command in commands(ctx):
            if command.words()[:1] not in (["server"], ["ui"]):
                continue
            if reaches(ctx, "3.3.0"):
                for option in _SERVER_OPTIONS:
                    token = command.option(option)
                    if token is not None:
                        yield self._report(ctx, token.node, _gunicorn_message(option))
            host = command.option_value("--host", "-h")
            if (
                reaches(ctx, "3.5.0")
                and host is not None
                and _is_public_host(host.text)
                and not configured
                and not command.has_option(*_HOST_OPTIONS)
            ):
                yield self._report(ctx, host.node, _host_message(host.text))
            prefix = command.option("--static-prefix")
            if prefix is not None and reaches(ctx, "3.12.0"):
                yield self._report(ctx, prefix.node, _PREFIX_MESSAGE)

    def _report(self, ctx: PythonContext, node: ast.AST, message: str) -> Finding:
        return ctx.report(
            self, node, message, Fix(Applicability.DISPLAY_ONLY, "Adjust the server options")
        )
