"""MLF204-MLF206 and MLF306: autologging, tracking/registry URIs and legacy LLM metrics."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from mlflow_upgrade.engine.context import Context
from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind, TextEdit
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.files.context import command_view_of
from mlflow_upgrade.files.mlflow_cli import (
    Insertion,
    command_line_start,
    env_settings,
    insertion_beside_setting,
    insertion_for_command,
    mlflow_commands,
)
from mlflow_upgrade.files.shell import COMMAND_KINDS
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import CallChange, edit_call, replace_in_string, replace_node
from mlflow_upgrade.python.semantic import CallSite
from mlflow_upgrade.rules._tier2 import (
    commands,
    mlflow3_signatures,
    module_root,
    reaches,
    references,
    string_value,
)

# MLF204 -----------------------------------------------------------------------------------
_GENAI_AUTOLOG = ("mlflow.langchain.autolog", "mlflow.openai.autolog")


@register
class GenaiAutologParamsRemoved(Rule):
    code = "MLF204"
    name = "genai-autolog-params-removed"
    tier = 2
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "TR-05, TR-06"
    summary = "removed parameters and positional calls of `mlflow.langchain/openai.autolog`"
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 reduced `mlflow.langchain.autolog` and `mlflow.openai.autolog` to "
            "tracing: `log_input_examples`, `log_model_signatures`, `log_models`, "
            "`log_datasets`, `registered_model_name`, `extra_tags` (and langchain's "
            "`extra_model_classes`) are gone (deprecated with a warning in 2.21/2.22). The "
            "first parameter is now `disable`."
        ),
        why=(
            "The removed keywords raise `TypeError`. Positional calls are worse: "
            "`mlflow.langchain.autolog(True)` meant `log_input_examples=True` and now means "
            "`disable=True`."
        ),
        example="mlflow.langchain.autolog(log_models=True, log_input_examples=True, silent=True)",
        use_instead="mlflow.langchain.autolog(silent=True)",
        fix_safety=(
            "Safe: positional arguments become keywords by MLflow 2.22's signature and the "
            "removed keywords are deleted (MLflow 3 no longer logs models from these "
            "autologgers; log them with `log_model`). The result also runs on MLflow 2.22."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to(*_GENAI_AUTOLOG):
            old = api.positional_parameters(call.callee) or []
            new = mlflow3_signatures().get(call.callee, [])
            removed = set(old) - set(new)
            if not old or not new:
                continue
            fix = self._fix(ctx, call, old, removed)
            if call.node.args:
                yield ctx.report(
                    self,
                    call.node.args[0],
                    f"positional arguments of `{call.callee}` changed meaning in MLflow 3.0 "
                    f"(the first is now `disable`, it was `{old[0]}`); pass them by keyword",
                    fix,
                )
            for keyword in call.node.keywords:
                if keyword.arg in removed:
                    yield ctx.report(
                        self,
                        keyword,
                        f"`{keyword.arg}` of `{call.callee}` was removed in MLflow 3.0 "
                        "(autologging only traces now); remove it",
                        fix,
                    )

    def _fix(self, ctx: PythonContext, call: CallSite, old: list[str], removed: set[str]) -> Fix:
        if any(isinstance(a, ast.Starred) for a in call.node.args) or len(call.node.args) > len(
            old
        ):
            return Fix(Applicability.DISPLAY_ONLY, "Pass the arguments by keyword")
        change = CallChange(
            positional_to_keyword={i: old[i] for i in range(len(call.node.args))},
            remove=removed,
        )
        kept = [old[i] for i in range(len(call.node.args))] + [
            k.arg for k in call.node.keywords if k.arg is not None
        ]
        if all(name in removed for name in kept):
            func = ctx.source(call.node.func)
            edits = lambda: [replace_node(ctx, call.node, f"{func}()")]  # noqa: E731
        else:
            edits = lambda: [edit_call(ctx, call.node, change)]  # noqa: E731
        return Fix(
            Applicability.SAFE,
            "Remove the parameters MLflow 3 dropped (positional ones by keyword)",
            edits,
            works_on_2x=True,
        )


# MLF205 -----------------------------------------------------------------------------------
def _is_databricks(uri: str | None) -> bool:
    return uri is not None and (uri == "databricks" or uri.startswith("databricks://"))


@register
class DatabricksRegistryDefault(Rule):
    code = "MLF205"
    name = "databricks-registry-default"
    tier = 2
    kind = Kind.BEHAVIOUR
    since = "3.0.0"
    catalogue = "TR-08"
    summary = "tracking URI `databricks` without an explicit registry URI"
    fix = (Applicability.UNSAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "With tracking URI `databricks` (or `databricks://<profile>`), MLflow 2 used the "
            "workspace model registry. MLflow 3.0 defaults the registry URI to "
            "`databricks-uc` (Unity Catalog)."
        ),
        why=(
            "Registering or loading `models:/<name>/<version>` now goes to Unity Catalog, which "
            "needs three-level names (`catalog.schema.model`); workspace registry names fail. "
            "Reported when the file sets such a tracking URI and never sets a registry URI "
            "(`set_registry_uri`, `registry_uri=`, `MLFLOW_REGISTRY_URI`)."
        ),
        example='mlflow.set_tracking_uri("databricks")',
        use_instead='mlflow.set_tracking_uri("databricks")\nmlflow.set_registry_uri("databricks")',
        fix_safety=(
            "Unsafe: it keeps the MLflow 2 behaviour (workspace registry); if you are moving to "
            "Unity Catalog, rename the models instead. Runs on MLflow 2.22 too."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        if any("MLFLOW_REGISTRY_URI" in (n.value or "") for n, _ in ctx.model.strings):
            return
        if any(True for _ in ctx.calls_to("mlflow.set_registry_uri")):
            return
        message = (
            "with a `databricks` tracking URI MLflow 3.0 uses the Unity Catalog registry "
            "(`databricks-uc`) by default; set the registry URI explicitly to keep the "
            "workspace registry"
        )
        for call in ctx.calls_to("mlflow.set_tracking_uri"):
            argument = call.node.args[0] if call.node.args else None
            if argument is None and call.keyword("uri") is not None:
                argument = call.keyword("uri").value
            uri = string_value(argument)
            if not _is_databricks(uri):
                continue
            yield ctx.report(self, call.node, message, self._insert_fix(ctx, call, uri))
        for call in ctx.calls_to(api.CLIENT):
            tracking = call.keyword("tracking_uri")
            argument = tracking.value if tracking else (call.node.args[:1] or [None])[0]
            uri = string_value(argument)
            if not _is_databricks(uri) or call.keyword("registry_uri") or len(call.node.args) > 1:
                continue
            fix = Fix(
                Applicability.UNSAFE,
                f'Pass `registry_uri="{uri}"`',
                lambda c=call, u=uri, a=argument: [
                    edit_call(ctx, c.node, CallChange(add={"registry_uri": requote(ctx, a, u)}))
                ],
                works_on_2x=True,
            )
            yield ctx.report(self, call.node, message, fix)

    def _insert_fix(self, ctx: PythonContext, call: CallSite, uri: str) -> Fix:
        title = f'Add `mlflow.set_registry_uri("{uri}")`'
        root = module_root(ctx, call.node.func, call.scope)
        statement = _enclosing_statement(ctx, call.node)
        if root is None or statement is None:
            return Fix(Applicability.DISPLAY_ONLY, title)
        start = ctx.start(statement)
        line_start = ctx.text.rfind("\n", 0, start) + 1
        indent = ctx.text[line_start:start]
        if indent.strip():
            return Fix(Applicability.DISPLAY_ONLY, title)
        end = ctx.end(statement)
        line_end = ctx.text.find("\n", end)
        line_end = len(ctx.text) if line_end < 0 else line_end
        if ctx.text[end:line_end].strip().startswith(";"):
            return Fix(Applicability.DISPLAY_ONLY, title)
        literal = requote(ctx, call.node.args[0] if call.node.args else call.node, uri)
        text = f"\n{indent}{root}.set_registry_uri({literal})"
        return Fix(
            Applicability.UNSAFE,
            title,
            lambda: [TextEdit(line_end, line_end, text)],
            works_on_2x=True,
        )


def _enclosing_statement(ctx: PythonContext, node: ast.AST) -> ast.stmt | None:
    """The simple statement that is exactly this call (`mlflow.set_tracking_uri(...)`)."""
    for statement in ast.walk(ctx.tree):
        if isinstance(statement, ast.Expr) and statement.value is node:
            return statement
    return None


# MLF206 -----------------------------------------------------------------------------------
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")
_NOT_FILE = {"databricks", "databricks-uc", "uc"}
_URI_ENV = {"MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI"}
# what `mlflow server` / `mlflow ui` read for --backend-store-uri / --registry-store-uri
_STORE_ENV = _URI_ENV | {"MLFLOW_BACKEND_STORE_URI", "MLFLOW_REGISTRY_STORE_URI"}
_ALLOW_FILE_STORE = "MLFLOW_ALLOW_FILE_STORE"
_UNKNOWN_VALUE = re.compile(r"[$`{}<>%*]")  # variables, templates, placeholders


def is_file_store(uri: str | None) -> bool:
    """A tracking/registry URI that selects MLflow's file store."""
    if not uri or not uri.strip():
        return False
    uri = uri.strip()
    if uri.startswith("file:"):
        return True
    return not (_SCHEME.match(uri) or uri in _NOT_FILE or uri.startswith("databricks"))


def sqlite_uri_for(uri: str) -> str:
    """`sqlite:///…/mlflow.db` beside the folder of a file store."""
    path = re.sub(r"^file:(//)?", "", uri.strip()).rstrip("/\\")
    folder = posixpath.dirname(path.replace("\\", "/"))
    if folder in ("", "."):
        return "sqlite:///mlflow.db"
    return f"sqlite:///{folder.rstrip('/')}/mlflow.db"


@register
class FileStoreBackend(Rule):
    code = "MLF206"
    name = "file-store-backend"
    tier = 2
    kind = Kind.REMOVED
    since = "3.13.0"
    catalogue = "CLI-04, CLI-05"
    summary = (
        "a file store (`./mlruns`, `file:` URIs, plain paths) as tracking/registry URI in Python "
        "code, `mlflow server`/`ui` command lines and environment settings"
    )
    fix = (Applicability.UNSAFE, Applicability.DISPLAY_ONLY)
    works_on_2x = True
    file_kinds = frozenset({FileKind.PYTHON}) | COMMAND_KINDS
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.7 made `sqlite:///mlflow.db` the default backend and started warning "
            "about the file store; from MLflow 3.13 the file store (tracking and model "
            'registry) raises `MlflowException` ("The filesystem tracking backend (e.g., '
            "'./mlruns') is in maintenance mode ... set `MLFLOW_ALLOW_FILE_STORE=true` to opt "
            'out of this exception.") unless `MLFLOW_ALLOW_FILE_STORE=true`.'
        ),
        why=(
            "Every tracking call fails against a `./mlruns` or `file:` store. In Python code "
            "this rule reads `mlflow.set_tracking_uri` / `set_registry_uri`, `MlflowClient(...)`, "
            "`os.environ` assignments of `MLFLOW_TRACKING_URI` / `MLFLOW_REGISTRY_URI`, and "
            "`mlflow server/ui --backend-store-uri/--registry-store-uri` command lines run "
            "through `subprocess` or `os.system`. In shell scripts, Dockerfiles, Makefiles, "
            "Procfiles, `.env` files, CI / docker-compose / Kubernetes YAML, MLproject entry "
            "points, notebook `!` lines and Databricks `%sh` cells it reads `mlflow server` / "
            "`mlflow ui` commands (shell form, exec-form lists, Kubernetes `command:`/`args:`) "
            "whose `--backend-store-uri` / `--registry-store-uri` is a file store or that have "
            "no backend store option at all (the `./mlruns` default of MLflow 2, still used by "
            "MLflow 3.7+ when `./mlruns` holds runs), and settings of `MLFLOW_TRACKING_URI`, "
            "`MLFLOW_REGISTRY_URI`, `MLFLOW_BACKEND_STORE_URI` or `MLFLOW_REGISTRY_STORE_URI` "
            "to a file store (`export`, `.env` lines, Dockerfile `ENV`, compose `environment:`, "
            "Kubernetes `env:` name/value pairs). A file that sets `MLFLOW_ALLOW_FILE_STORE=true` "
            "is not reported; values that are variables or templates are left alone."
        ),
        example='mlflow.set_tracking_uri("./mlruns")',
        use_instead=(
            'mlflow.set_tracking_uri("sqlite:///mlflow.db")\n'
            "# existing runs: mlflow migrate-filestore (MLflow 3.10+), or keep the file store\n"
            "# with MLFLOW_ALLOW_FILE_STORE=true"
        ),
        fix_safety=(
            "Unsafe: the literal becomes a SQLite URI next to the store's folder; existing runs "
            "stay in the old folder until migrated with `mlflow migrate-filestore`, and SQLite "
            "needs SQLAlchemy (part of the full `mlflow` package, not of `mlflow-skinny`). "
            "f-strings and variables are reported without an edit. In the other files the fix "
            "keeps the file store working instead: it sets `MLFLOW_ALLOW_FILE_STORE=true` where "
            "the file has an obvious place for it (a line beside the `export` / `.env` / `ENV` / "
            "compose / Kubernetes setting, an `ENV` line before the Dockerfile instruction, a "
            "`MLFLOW_ALLOW_FILE_STORE=true ` prefix on a shell, Makefile or Procfile command); "
            "MLflow 2.22 ignores the variable. Elsewhere (compose `command:`, exec-form lists "
            "outside Dockerfiles) the finding is display-only: use "
            "`--backend-store-uri sqlite:///mlflow.db` after `mlflow migrate-filestore`, or set "
            "the variable in the service's environment."
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if isinstance(ctx, PythonContext):
            yield from self._check_python(ctx)
        view = command_view_of(ctx)
        if view is not None:
            yield from self._check_commands(ctx, view)

    def _check_commands(self, ctx: Context, view: str) -> Iterator[Finding]:
        kind = ctx.document.kind
        allowed_lines = set()  # `MLFLOW_ALLOW_FILE_STORE=true cmd …`: for that command only
        for allow in env_settings(view, kind, {_ALLOW_FILE_STORE}):
            if allow.value.strip().lower() not in ("true", "1"):
                continue
            if view[allow.value_end : allow.line_end].strip(" \t\r\"'"):
                allowed_lines.add(command_line_start(view, allow.name_start))
            else:
                return  # the file opts in to keeping its file store
        shared: dict[str, Insertion] = {}

        def fix_for(insertion: Insertion | None) -> Fix:
            if insertion is None:
                return Fix(
                    Applicability.DISPLAY_ONLY,
                    "Use `sqlite:///mlflow.db` (after `mlflow migrate-filestore`) or set "
                    f"`{_ALLOW_FILE_STORE}=true`",
                )
            chosen = shared.setdefault(insertion.key, insertion)
            edit = TextEdit(chosen.offset, chosen.offset, chosen.text)
            return Fix(
                Applicability.UNSAFE,
                f"Set `{_ALLOW_FILE_STORE}=true` (keeps the file store)",
                lambda e=edit: [e],
                works_on_2x=True,
            )

        backend_from_env = False
        for setting in env_settings(view, kind, _STORE_ENV):
            backend_from_env |= setting.name == "MLFLOW_BACKEND_STORE_URI"
            if (
                not _literal_file_store(setting.value)
                or command_line_start(view, setting.name_start) in allowed_lines
            ):
                continue
            insertion = insertion_beside_setting(view, kind, setting, _ALLOW_FILE_STORE, "true")
            yield ctx.finding(
                self,
                setting.value_start,
                setting.value_end,
                f"`{setting.name}` is set to a file store: " + self._file_message(setting.value),
                fix_for(insertion),
            )
        for command in mlflow_commands(view, kind):
            subcommand = command.subcommands(1)
            if (
                subcommand not in (["server"], ["ui"])
                or command_line_start(view, command.start) in allowed_lines
            ):
                continue
            for option in ("--backend-store-uri", "--registry-store-uri"):
                value = command.option_value(option)
                if value is None or not _literal_file_store(value.text):
                    continue
                insertion = insertion_for_command(view, kind, command, _ALLOW_FILE_STORE, "true")
                yield ctx.finding(
                    self, value.start, value.end, self._file_message(value.text), fix_for(insertion)
                )
            if backend_from_env or command.has_option("--backend-store-uri", "--help"):
                continue
            start, end = command.span(1)
            insertion = insertion_for_command(view, kind, command, _ALLOW_FILE_STORE, "true")
            yield ctx.finding(
                self,
                start,
                end,
                f"`mlflow {subcommand[0]}` without `--backend-store-uri` used the `./mlruns` file "
                "store; since MLflow 3.7 it uses `sqlite:///mlflow.db` unless `./mlruns` already "
                "holds runs, and MLflow 3.13 refuses that store unless "
                f"`{_ALLOW_FILE_STORE}=true`: pass `--backend-store-uri sqlite:///mlflow.db` (move "
                f"old runs with `mlflow migrate-filestore`) or set `{_ALLOW_FILE_STORE}=true`",
                fix_for(insertion),
            )

    def _file_message(self, uri: str) -> str:
        return (
            f"`{uri}` is a file store, which MLflow 3.13 refuses unless "
            f"`{_ALLOW_FILE_STORE}=true` (3.7-3.12 warn); use a database such as "
            f"`{sqlite_uri_for(uri)}` (move old runs with `mlflow migrate-filestore`) or set "
            f"`{_ALLOW_FILE_STORE}=true`"
        )

    def _check_python(self, ctx: PythonContext) -> Iterator[Finding]:
        for node in self._uri_arguments(ctx):
            finding = self._report(ctx, node)
            if finding is not None:
                yield finding
        for command in commands(ctx):
            words = command.words()
            if not words or words[0] not in ("server", "ui"):
                continue
            for option in ("--backend-store-uri", "--registry-store-uri"):
                value = command.option_value(option)
                if value is None or not is_file_store(value.text):
                    continue
                if command.is_list and string_value(value.node) == value.text:
                    finding = self._report(ctx, value.node)
                    if finding is not None:
                        yield finding
                    continue
                new = sqlite_uri_for(value.text)
                edit = replace_in_string(ctx, value.node, value.text, new)
                fix = (
                    Fix(
                        Applicability.UNSAFE,
                        f"Use `{new}`",
                        lambda e=edit: [e],
                        works_on_2x=True,
                    )
                    if edit is not None and ctx.source(value.node).count(value.text) == 1
                    else Fix(Applicability.DISPLAY_ONLY, "Use a database URI")
                )
                yield ctx.report(self, value.node, self._message(value.text), fix)

    def _uri_arguments(self, ctx: PythonContext) -> Iterator[ast.expr]:
        for call in ctx.calls_to("mlflow.set_tracking_uri", "mlflow.set_registry_uri"):
            argument = call.node.args[0] if call.node.args else None
            keyword = call.keyword("uri")
            yield from [a for a in (argument, keyword.value if keyword else None) if a]
        for call in ctx.calls_to(api.CLIENT):
            yield from call.node.args[:2]
            for name in ("tracking_uri", "registry_uri"):
                keyword = call.keyword(name)
                if keyword is not None:
                    yield keyword.value
        for call in ctx.calls_to("os.environ.setdefault", "os.putenv"):
            if len(call.node.args) == 2 and string_value(call.node.args[0]) in _URI_ENV:
                yield call.node.args[1]
        if not any(key in ctx.text for key in _URI_ENV):
            return
        for statement in ast.walk(ctx.tree):
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if (
                    isinstance(target, ast.Subscript)
                    and string_value(target.slice) in _URI_ENV
                    and ast.unparse(target.value) == "os.environ"
                ):
                    yield statement.value

    def _message(self, uri: str) -> str:
        return (
            f"`{uri}` is a file store: MLflow 3.13 refuses it unless "
            "`MLFLOW_ALLOW_FILE_STORE=true` (3.7-3.12 warn); use a database such as "
            f"`{sqlite_uri_for(uri)}` and move old runs with `mlflow migrate-filestore`"
        )

    def _report(self, ctx: PythonContext, node: ast.expr) -> Finding | None:
        uri = string_value(node)
        if uri is None:
            prefix = _fstring_prefix(node)
            if prefix is None or not prefix.startswith("file:"):
                return None
            return ctx.report(
                self,
                node,
                self._message(prefix + "…"),
                Fix(Applicability.DISPLAY_ONLY, "Use a database URI"),
            )
        if not is_file_store(uri):
            return None
        new = sqlite_uri_for(uri)
        return ctx.report(
            self,
            node,
            self._message(uri),
            Fix(
                Applicability.UNSAFE,
                f"Use `{new}`",
                lambda: [replace_node(ctx, node, requote(ctx, node, new))],
                works_on_2x=True,
            ),
        )


def _literal_file_store(value: str) -> bool:
    return not _UNKNOWN_VALUE.search(value) and is_file_store(value)


def requote(ctx: PythonContext, node: ast.expr, text: str) -> str:
    """`text` as a string literal with the quote character `node` is written with."""
    source = ctx.source(node)
    quote = next((c for c in source if c in "'\""), '"')
    return f"{quote}{text}{quote}" if quote not in text and "\\" not in text else repr(text)


def _fstring_prefix(node: ast.expr) -> str | None:
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


# MLF306 -----------------------------------------------------------------------------------
_LEGACY_METRICS = {
    f"mlflow.metrics.{name}"
    for name in (
        "latency token_count toxicity flesch_kincaid_grade_level ari_grade_level exact_match "
        "rouge1 rouge2 rougeL rougeLsum precision_at_k recall_at_k ndcg_at_k bleu"
    ).split()
}
_LEGACY_GENAI_METRICS = {
    *(
        f"mlflow.metrics.genai.{name}"
        for name in (
            "make_genai_metric make_genai_metric_from_prompt answer_similarity "
            "answer_correctness faithfulness answer_relevance relevance"
        ).split()
    ),
    "mlflow.metrics.genai.genai_metric.make_genai_metric",
    "mlflow.metrics.genai.genai_metric.make_genai_metric_from_prompt",
    *(
        f"mlflow.metrics.genai.metric_definitions.{name}"
        for name in "answer_similarity answer_correctness faithfulness answer_relevance relevance".split()
    ),
}
_LEGACY_EVALUATION = "mlflow.evaluation"


@register
class LegacyLlmMetrics(Rule):
    code = "MLF306"
    name = "legacy-llm-metrics"
    tier = 2
    kind = Kind.DEPRECATED
    since = "3.0.0"
    catalogue = "EV-06, EV-07"
    summary = "legacy LLM metrics (`mlflow.metrics.*`, `mlflow.metrics.genai.*`) and "
    "`mlflow.evaluation.*`"
    docs = RuleDocs(
        what_changed=(
            "The LLM metrics of `mlflow.metrics` (`latency`, `token_count`, `toxicity`, "
            "`rouge*`, `bleu`, `exact_match`, `precision_at_k`, …) and `mlflow.metrics.genai` "
            "(`make_genai_metric`, `answer_similarity`, `faithfulness`, …) are deprecated "
            "since MLflow 3.4 (the `FutureWarning` ships from 3.6) in favour of "
            "`mlflow.genai.evaluate` with scorers. The experimental `mlflow.evaluation` module "
            "(`Assessment`, `Evaluation`, `log_evaluations`) is deprecated since 3.0."
        ),
        why=(
            "They still work in MLflow 3.18 but warn and will be removed. Classic regression/"
            "classification metrics (`mae`, `rmse`, `f1_score`, …) and `make_metric` are not "
            "reported."
        ),
        example=(
            "from mlflow.metrics.genai import answer_similarity\n\n"
            "mlflow.models.evaluate(model, data, extra_metrics=[answer_similarity(), "
            "mlflow.metrics.toxicity()])"
        ),
        use_instead=(
            "from mlflow.genai.scorers import Correctness, Safety\n\n"
            "mlflow.genai.evaluate(data=data, predict_fn=predict, scorers=[Correctness(), Safety()])"
        ),
        fix_safety=(
            "Display-only: `mlflow.genai.evaluate` takes a different data schema "
            "(`inputs`/`outputs`/`expectations`) and scorers instead of metrics."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        names = {_LEGACY_EVALUATION}
        if reaches(ctx, "3.4.0"):
            names |= _LEGACY_METRICS | _LEGACY_GENAI_METRICS
        for ref in references(ctx, names):
            if ref.name == _LEGACY_EVALUATION:
                message = (
                    "`mlflow.evaluation` is deprecated since MLflow 3.0; use "
                    "`mlflow.entities.Assessment` and `mlflow.log_feedback` / "
                    "`mlflow.log_expectation`"
                )
            else:
                short = ref.name.rsplit(".", 1)[1]
                message = (
                    f"the legacy LLM metric `{short}` is deprecated since MLflow 3.4; use "
                    "`mlflow.genai.evaluate` with scorers (`mlflow.genai.scorers`)"
                )
            yield ctx.report(
                self, ref.node, message, Fix(Applicability.DISPLAY_ONLY, "Use mlflow.genai")
            )
