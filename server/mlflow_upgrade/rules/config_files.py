"""MLF5xx: files that are not Python (gateway YAML, commands, environment files, pins).

Where each rule looks:
- MLF501/MLF502: AI Gateway configuration YAML (recognised by content, any file name).
- MLF503-MLF505: shell scripts, Dockerfiles, Makefiles, Procfiles, `.env` files, CI /
  compose / Kubernetes YAML, MLproject entry points, notebook `!`/`%` lines and
  `%sh`/`%pip` cells of Databricks `.py` exports.
- MLF506: requirements files, pyproject.toml, setup.cfg, conda and python_env YAML,
  and `pip install`/`conda install` commands in the files above.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_upgrade.engine.context import Context
from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind, TextEdit
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.files import pins
from mlflow_upgrade.files.context import command_view_of, pin_policy
from mlflow_upgrade.files.shell import (
    COMMAND_KINDS,
    env_names,
    recipes_commands,
    recipes_env_names,
    server_modules,
    start_server_commands,
)
from mlflow_upgrade.files.yaml_gateway import analyse_gateway

_SHELL_WHERE = (
    "Checked in shell scripts (`.sh`, `.bash`, shebang scripts, `.envrc`), Dockerfiles, "
    "Makefiles, Procfiles, `.env` files, CI / docker-compose / Kubernetes YAML, MLproject "
    "entry points, notebook `!`/`%` lines and `%%bash` cells, and the `%sh` cells of "
    "Databricks `.py` notebook exports. Comments that mention the old names are never reported."
)


def _rename_fix(
    applicability: Applicability, title: str, edits: list[TextEdit], works_on_2x: bool = True
) -> Fix:
    return Fix(applicability, title, lambda e=tuple(edits): list(e), works_on_2x=works_on_2x)


# MLF501 / MLF502: gateway configuration ---------------------------------------------------


@register
class GatewayConfigRoutes(Rule):
    code = "MLF501"
    name = "gateway-config-routes"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "GW-01"
    summary = "a gateway YAML whose top-level `routes:` holds 2.x endpoint items (use `endpoints:`)"
    fix = (Applicability.SAFE,)
    works_on_2x = True
    file_kinds = frozenset({FileKind.GATEWAY_YAML})
    docs = RuleDocs(
        what_changed=(
            "MLflow 2.x accepted `routes:` as a deprecated alias of the top-level `endpoints:` "
            "list of an AI Gateway configuration (with the FutureWarning \"The 'routes' "
            "configuration key has been deprecated and will be removed in an upcoming release. "
            "Use 'endpoints' instead.\"). MLflow 3.0 removed the alias: a file whose endpoints "
            "sit under `routes:` fails validation because `endpoints` is missing. Since MLflow "
            "3.8, `routes:` is a different, unrelated key: traffic-split routes whose items name "
            "`destinations`."
        ),
        why=(
            "`mlflow gateway start --config-path <file>` (and `MLFLOW_GATEWAY_CONFIG`) refuse the "
            "file on MLflow 3.0-3.7; from 3.8 on the old items are read as traffic-split routes "
            "and fail with a confusing validation error. Gateway files are recognised by their "
            "content, whatever their name: a top-level `routes:`/`endpoints:` list whose items "
            "have a `model` with a `provider` and a `route_type`/`endpoint_type`. Other YAML with "
            "`routes:` (Kong, Kubernetes, CI) is never reported, nor is a 3.8+ traffic-split "
            "`routes:` list."
        ),
        example=(
            "routes:\n"
            "  - name: support-chat\n"
            "    route_type: llm/v1/chat\n"
            "    model:\n"
            "      provider: openai\n"
            "      name: gpt-4o-mini\n"
            "      config:\n"
            "        openai_api_key: $OPENAI_API_KEY"
        ),
        use_instead=(
            "endpoints:\n"
            "  - name: support-chat\n"
            "    endpoint_type: llm/v1/chat\n"
            "    model:\n"
            "      provider: openai\n"
            "      name: gpt-4o-mini\n"
            "      config:\n"
            "        openai_api_key: $OPENAI_API_KEY"
        ),
        fix_safety=(
            "Safe. Only the key's characters are rewritten, so comments, quoting, anchors and "
            "layout stay as they were; MLflow 2.x reads `endpoints:` the same way, so the fixed "
            "file also works on 2.22. When the file already has an `endpoints:` list too, the two "
            "lists must be merged by hand and the finding is display-only. `route_type` inside the "
            "items is MLF502."
        ),
        example_language="yaml",
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        gateway = analyse_gateway(ctx.text, ctx.document.index)
        if gateway is None or gateway.routes_key is None:
            return
        start, end = gateway.routes_key
        if gateway.has_endpoints_key:
            fix = Fix(
                Applicability.DISPLAY_ONLY,
                "Move these items into the existing `endpoints:` list",
                works_on_2x=True,
            )
        else:
            fix = _rename_fix(
                Applicability.SAFE,
                "Rename `routes:` to `endpoints:`",
                [TextEdit(start, end, "endpoints")],
            )
        yield ctx.finding(
            self,
            start,
            end,
            "the gateway configuration key `routes:` was removed in MLflow 3.0 (3.8 reuses it "
            "for traffic-split routes); list these endpoints under `endpoints:`",
            fix,
        )


@register
class GatewayConfigRouteType(Rule):
    code = "MLF502"
    name = "gateway-config-route-type"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "GW-02"
    summary = "`route_type:` inside gateway endpoint items (use `endpoint_type:`)"
    fix = (Applicability.SAFE,)
    works_on_2x = True
    file_kinds = frozenset({FileKind.GATEWAY_YAML})
    docs = RuleDocs(
        what_changed=(
            "The per-endpoint key `route_type` of an AI Gateway configuration was a deprecated "
            "alias of `endpoint_type` in MLflow 2.x. MLflow 3.0 rejects it: loading the file "
            "raises `MlflowException: The 'route_type' configuration key is not supported in the "
            "configuration file. Use 'endpoint_type' instead.` The values are unchanged "
            "(`llm/v1/completions`, `llm/v1/chat`, `llm/v1/embeddings`)."
        ),
        why=(
            "The gateway does not start with such a file. Only `route_type` keys directly inside "
            "endpoint items of a gateway configuration are reported: the same key elsewhere (a "
            "Kong `ai-proxy` plugin, any YAML that is not a gateway config) is left alone."
        ),
        example=(
            "endpoints:\n"
            "  - name: embeddings\n"
            "    route_type: llm/v1/embeddings\n"
            "    model:\n"
            "      provider: openai\n"
            "      name: text-embedding-3-small\n"
            "      config:\n"
            "        openai_api_key: $OPENAI_API_KEY"
        ),
        use_instead=(
            "endpoints:\n"
            "  - name: embeddings\n"
            "    endpoint_type: llm/v1/embeddings\n"
            "    model:\n"
            "      provider: openai\n"
            "      name: text-embedding-3-small\n"
            "      config:\n"
            "        openai_api_key: $OPENAI_API_KEY"
        ),
        fix_safety=(
            "Safe: the key is renamed in place (comments and layout kept) and MLflow 2.x reads "
            "`endpoint_type` too. When an item has both keys, the fix is display-only: delete "
            "`route_type` after checking the two values agree."
        ),
        example_language="yaml",
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        gateway = analyse_gateway(ctx.text, ctx.document.index)
        if gateway is None:
            return
        for key in gateway.route_type_keys:
            if key.has_endpoint_type:
                fix = Fix(
                    Applicability.DISPLAY_ONLY,
                    "Delete `route_type:`; the item already has `endpoint_type:`",
                    works_on_2x=True,
                )
            else:
                fix = _rename_fix(
                    Applicability.SAFE,
                    "Rename `route_type:` to `endpoint_type:`",
                    [TextEdit(key.start, key.end, "endpoint_type")],
                )
            yield ctx.finding(
                self,
                key.start,
                key.end,
                "`route_type` is not accepted in gateway configurations since MLflow 3.0; "
                "use `endpoint_type`",
                fix,
            )


# MLF503-MLF505: commands and environment settings -------------------------------------------


def _defines(view: str, name: str) -> bool:
    return any(not m.reference for m in env_names(view, name))


def _env_findings(
    rule: Rule, ctx: Context, view: str, old: str, new: str, what: str
) -> Iterator[Finding]:
    """Findings for an environment variable renamed by MLflow 3."""
    matches = env_names(view, old)
    if not matches:
        return
    defined_here = _defines(view, old) or _defines(view, new)
    new_defined = _defines(view, new)
    for match in matches:
        edit = [TextEdit(match.start, match.end, new)]
        if not match.reference and new_defined:
            fix = Fix(
                Applicability.DISPLAY_ONLY,
                f"Remove `{old}`; `{new}` is already set here",
                works_on_2x=True,
            )
        elif match.reference and not defined_here:
            fix = _rename_fix(
                Applicability.UNSAFE,
                f"Read `{new}` instead (set it wherever `{old}` is set)",
                edit,
            )
        else:
            fix = _rename_fix(Applicability.SAFE, f"Rename to `{new}`", edit)
        verb = "is read" if match.reference else "is set"
        yield ctx.finding(
            rule,
            match.start,
            match.end,
            f"`{old}` {verb} here, but MLflow 3 no longer reads it; {what} `{new}`",
            fix,
        )


@register
class DeploymentsStartServerCli(Rule):
    code = "MLF503"
    name = "deployments-start-server-cli"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "GW-03, ENV-03, CLI-01"
    summary = (
        "`mlflow deployments start-server` and `MLFLOW_DEPLOYMENTS_CONFIG` in scripts, "
        "Dockerfiles, CI/compose/k8s YAML, `.env` files and notebooks (use `mlflow gateway start`)"
    )
    fix = (Applicability.SAFE, Applicability.UNSAFE)
    works_on_2x = True
    file_kinds = COMMAND_KINDS
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0 removed the `mlflow deployments start-server` command (deprecated in 2.x "
            'with "`mlflow deployments start-server` is deprecated and will be removed in a '
            'future release. Use `mlflow gateway start` instead."), the module '
            "`mlflow.deployments.server.app` used as a uvicorn/gunicorn factory, and every read "
            "of `MLFLOW_DEPLOYMENTS_CONFIG` (the variable is still defined but nothing reads it). "
            "`mlflow gateway start` takes the same options (`--config-path`, `--host`, `--port`, "
            "`--workers`) and reads its config path from `MLFLOW_GATEWAY_CONFIG`; the factory is "
            "`mlflow.gateway.app:create_app_from_env`. Note that the YAML-config gateway is itself "
            "deprecated since MLflow 3.12 in favour of the AI Gateway inside `mlflow server`."
        ),
        why=(
            "On MLflow 3 the container, CI job or script fails with `Error: No such command "
            "'start-server'.`, and a gateway configured only through `MLFLOW_DEPLOYMENTS_CONFIG` "
            "stops with `Missing option '--config-path'` (or, through the uvicorn factory, "
            "`Environment variable 'MLFLOW_GATEWAY_CONFIG' is not set`). "
            + _SHELL_WHERE
            + " Exec-form lists are "
            'understood too: `CMD ["mlflow", "deployments", "start-server"]` and Kubernetes '
            "`command:`/`args:` lists."
        ),
        example=(
            "export MLFLOW_DEPLOYMENTS_CONFIG=/etc/gateway/config.yaml\n"
            "mlflow deployments start-server --port 7000 --workers 4\n"
            "uvicorn --factory mlflow.deployments.server.app:create_app_from_env"
        ),
        use_instead=(
            "export MLFLOW_GATEWAY_CONFIG=/etc/gateway/config.yaml\n"
            "mlflow gateway start --port 7000 --workers 4\n"
            "uvicorn --factory mlflow.gateway.app:create_app_from_env"
        ),
        fix_safety=(
            "Safe where the file itself says everything the gateway needs: the command is "
            "renamed word by word (options, quoting and line continuations kept), the variable "
            "is renamed where it is set and where it is read. `mlflow gateway start`, "
            "`MLFLOW_GATEWAY_CONFIG` and `mlflow.gateway.app` exist in MLflow 2.22 as well, so "
            "the result also runs there. The fix is unsafe when the configuration path comes "
            "from outside the file: a `$MLFLOW_DEPLOYMENTS_CONFIG` read, a command without "
            "`--config-path`, or the `create_app_from_env` factory, in a file that does not set "
            "the variable, work only once `MLFLOW_GATEWAY_CONFIG` is set wherever the old "
            "variable is (CI secrets, deployment manifests, the shell profile). When the file "
            "sets both variables, removing the old one is left to you."
        ),
        example_language="bash",
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        view = command_view_of(ctx)
        if view is None:
            return
        kind = ctx.document.kind
        configured_here = _defines(view, "MLFLOW_DEPLOYMENTS_CONFIG") or _defines(
            view, "MLFLOW_GATEWAY_CONFIG"
        )
        for command in start_server_commands(view, kind):
            edits = [
                TextEdit(command.group.start, command.group.end, "gateway"),
                TextEdit(command.command.start, command.command.end, "start"),
            ]
            if command.has_config_path or configured_here:
                fix = _rename_fix(Applicability.SAFE, "Use `mlflow gateway start`", edits)
            else:
                fix = _rename_fix(
                    Applicability.UNSAFE,
                    "Use `mlflow gateway start` (it reads MLFLOW_GATEWAY_CONFIG)",
                    edits,
                )
            yield ctx.finding(
                self,
                command.start,
                command.end,
                "`mlflow deployments start-server` was removed in MLflow 3.0; use "
                "`mlflow gateway start` (same options)",
                fix,
            )
        yield from _env_findings(
            self,
            ctx,
            view,
            "MLFLOW_DEPLOYMENTS_CONFIG",
            "MLFLOW_GATEWAY_CONFIG",
            "the gateway reads",
        )
        for module in server_modules(view):
            factory_from_env = view.startswith(":create_app_from_env", module.end)
            safe = configured_here or not factory_from_env
            fix = _rename_fix(
                Applicability.SAFE if safe else Applicability.UNSAFE,
                "Use `mlflow.gateway.app`"
                + ("" if safe else " (its factory reads MLFLOW_GATEWAY_CONFIG)"),
                [TextEdit(module.start, module.end, "mlflow.gateway.app")],
            )
            yield ctx.finding(
                self,
                module.start,
                module.end,
                "the module `mlflow.deployments.server.app` was removed in MLflow 3.0; use "
                "`mlflow.gateway.app`",
                fix,
            )


@register
class GcsTimeoutEnvInConfig(Rule):
    code = "MLF504"
    name = "gcs-timeout-env-in-config"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ENV-01"
    summary = (
        "`MLFLOW_GCS_DEFAULT_TIMEOUT` in scripts, Dockerfiles, CI/compose/k8s YAML, `.env` files "
        "and notebooks (use `MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT`)"
    )
    fix = (Applicability.SAFE, Applicability.UNSAFE)
    works_on_2x = True
    file_kinds = COMMAND_KINDS
    docs = RuleDocs(
        what_changed=(
            'MLflow 3.0 removed `MLFLOW_GCS_DEFAULT_TIMEOUT` (documented in 2.x as "Deprecated, '
            'please use `MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT`"). MLflow 3 silently ignores '
            "it; `MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT` has the same meaning (seconds, `-1` "
            "for no timeout on GCS) and also applies to the other artifact stores."
        ),
        why=(
            "Nothing fails: large artifact uploads to GCS fall back to the default timeout and "
            "time out in production while the setting still looks right. " + _SHELL_WHERE
        ),
        example=(
            "# .env\n"
            "MLFLOW_GCS_DEFAULT_TIMEOUT=600\n"
            "# Dockerfile\n"
            "ENV MLFLOW_GCS_DEFAULT_TIMEOUT=600"
        ),
        use_instead=(
            "# .env\n"
            "MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT=600\n"
            "# Dockerfile\n"
            "ENV MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT=600"
        ),
        fix_safety=(
            "Safe where the file sets the variable: MLflow 2.x reads "
            "`MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT` first, so the renamed setting works on "
            "2.22 too. A `$MLFLOW_GCS_DEFAULT_TIMEOUT` read in a file that does not set it gets an "
            "unsafe fix: the value must then be provided under the new name wherever it is set. "
            "When the file already sets the new variable, the finding is display-only (remove the "
            "old line). Python code is MLF405."
        ),
        example_language="bash",
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        view = command_view_of(ctx)
        if view is None:
            return
        yield from _env_findings(
            self,
            ctx,
            view,
            "MLFLOW_GCS_DEFAULT_TIMEOUT",
            "MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT",
            "set",
        )


@register
class RecipesCliRemoved(Rule):
    code = "MLF505"
    name = "recipes-cli-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "CLI-02, ENV-02, RM-01"
    summary = "`mlflow recipes …` commands and `MLFLOW_RECIPES_*` variables in non-Python files"
    fix = (Applicability.DISPLAY_ONLY,)
    works_on_2x = False
    file_kinds = COMMAND_KINDS
    docs = RuleDocs(
        what_changed=(
            "MLflow Recipes (`mlflow.recipes`, the `mlflow recipes run|clean|inspect|get-artifact` "
            "commands and the `MLFLOW_RECIPES_PROFILE`, `MLFLOW_RECIPES_EXECUTION_DIRECTORY`, "
            "`MLFLOW_RECIPES_EXECUTION_TARGET_STEP_NAME` variables) was removed in MLflow 3.0 "
            'without a replacement (2.x warned "MLflow Recipes is deprecated and will be removed '
            'in MLflow 3.0.").'
        ),
        why=(
            "`mlflow recipes run` fails with `Error: No such command 'recipes'.`, and the variables do "
            "nothing. " + _SHELL_WHERE + " Python code is MLF401."
        ),
        example=(
            "export MLFLOW_RECIPES_PROFILE=databricks\n"
            "mlflow recipes run --profile local\n"
            "mlflow recipes inspect --step train"
        ),
        use_instead=(
            "# Run the recipe's steps as your own code, e.g. an MLflow Project entry point:\n"
            "mlflow run . -e train -P data=data/train.parquet"
        ),
        fix_safety=(
            "Display-only: there is no mechanical replacement. Port the recipe's steps (ingest, "
            "split, transform, train, evaluate, register) to plain Python with MLflow tracking, "
            "and run them as an MLflow Project or a job."
        ),
        example_language="bash",
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        view = command_view_of(ctx)
        if view is None:
            return
        for command in recipes_commands(view, ctx.document.kind):
            shown = (
                f"mlflow recipes {command.subcommand}" if command.subcommand else "mlflow recipes"
            )
            yield ctx.finding(
                self,
                command.start,
                command.end,
                f"`{shown}` was removed in MLflow 3.0 with MLflow Recipes; run the recipe's "
                "steps as your own code (for example an MLflow Project entry point)",
                Fix(Applicability.DISPLAY_ONLY, "Replace the recipe with your own steps"),
            )
        for name in recipes_env_names(view):
            variable = view[name.start : name.end]
            yield ctx.finding(
                self,
                name.start,
                name.end,
                f"`{variable}` is no longer read: MLflow Recipes was removed in MLflow 3.0",
                Fix(Applicability.DISPLAY_ONLY, f"Remove `{variable}`"),
            )


# MLF506: dependency pins ------------------------------------------------------------------

_PIN_KINDS = frozenset(
    {
        FileKind.REQUIREMENTS,
        FileKind.PYPROJECT,
        FileKind.SETUP_CFG,
        FileKind.CONDA,
        FileKind.MLPROJECT,
    }
) | (COMMAND_KINDS - {FileKind.DOTENV})


@register
class Mlflow2Pin(Rule):
    code = "MLF506"
    name = "mlflow-2-pin"
    tier = 2
    kind = Kind.BEHAVIOUR
    since = "3.0.0"
    catalogue = "PK-01, PK-02, PK-03"
    summary = (
        "dependency pins that hold MLflow below 3, and removed extras (`mlflow[mlserver]`, "
        "`mlflow[xethub]`)"
    )
    fix = (Applicability.UNSAFE,)
    works_on_2x = False
    file_kinds = _PIN_KINDS
    docs = RuleDocs(
        what_changed=(
            "A pin such as `mlflow==2.9.2`, `mlflow<3`, `mlflow~=2.9`, `mlflow==2.*`, poetry "
            "`^2.9` or conda `mlflow=2.9` keeps installing MLflow 2, so code migrated to MLflow 3 "
            "breaks (or the migration never takes effect). The same holds for `mlflow-skinny`. "
            "MLflow 3 also dropped extras: `mlflow[xethub]` in 3.3 and `mlflow[mlserver]` in 3.13 "
            "(MLServer serving was removed). MLflow 3.2 and later need Python 3.10 or newer "
            "(3.0 and 3.1 still install on Python 3.9); `mlflow` 3.x depends on `mlflow-skinny` "
            "and `mlflow-tracing`."
        ),
        why=(
            "Found in `requirements*.txt` / `*.in` / `constraints*.txt`, `pyproject.toml` (PEP 621 "
            "`dependencies` and `optional-dependencies`, `[dependency-groups]`, uv / pdm / hatch "
            "lists, poetry `dependencies` and groups), `setup.cfg` (`install_requires`, "
            "`extras_require`), conda `environment.yml` / `conda.yaml` (conda and `pip:` "
            "sections), MLflow's `python_env.yaml`, and `pip install` / `uv pip install` / "
            "`conda install` / `poetry add` commands in scripts, Dockerfiles, CI YAML, MLproject "
            "entry points and notebooks (`%pip install`). A pin is reported only when no MLflow 3 "
            "release satisfies it: `mlflow>=2.9` or an unpinned `mlflow` is fine. Removed extras "
            "are reported only when the target version (`target-version`, default the newest "
            "MLflow) is at or after the release that removed them."
        ),
        example=(
            "# requirements.txt\n"
            "mlflow[mlserver]==2.22.0\n"
            "# pyproject.toml (poetry)\n"
            'mlflow = "^2.9"'
        ),
        use_instead=(
            '# requirements.txt\nmlflow>=3.1,<4\n# pyproject.toml (poetry)\nmlflow = "^3.1"'
        ),
        fix_safety=(
            "Unsafe: it changes what gets installed. The pin becomes `>=3.1,<4` (poetry `^3.1`), "
            "keeping the package name, the other extras and any environment marker. Why these "
            "bounds: the other rules' fixes write MLflow 3 forms, and the prompt-registry ones "
            "write the APIs as they stand since 3.1 (prompt functions under `mlflow.genai`; "
            "`version_metadata`, `delete_prompt` and `log_prompt` replaced in 3.1.0), so 3.0.x is "
            "not enough; 3.1 is also the last line that installs on Python 3.9 (3.2 requires "
            "3.10), so the raised pin stays installable wherever the 2.x pin was, while the "
            "resolver still picks the newest 3.x; `<4` keeps out the next major release. With "
            '`target-version = "3.N"` '
            "set, the upper bound is `<3.(N+1)` so you get the release you checked against. Exact "
            "`==` pins become ranges too (pin the exact 3.x release afterwards if you need to). "
            "Lock files with `--hash` lines are reported without an edit: regenerate them (e.g. "
            "`pip-compile`). Poetry `extras = [...]` entries are display-only."
        ),
        example_language="text",
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        policy = pin_policy(ctx)
        kind = ctx.document.kind
        text = ctx.text
        problems: list[pins.PinProblem] = []
        if kind is FileKind.REQUIREMENTS:
            problems = pins.scan_requirements(text, policy)
        elif kind is FileKind.PYPROJECT:
            problems = pins.scan_pyproject(text, policy)
        elif kind is FileKind.SETUP_CFG:
            problems = pins.scan_setup_cfg(text, policy)
        elif kind is FileKind.CONDA:
            python_env = (
                ctx.document.path is not None
            ) and ctx.document.path.stem.lower().startswith("python_env")
            problems = pins.scan_conda_yaml(text, ctx.document.index, policy, python_env)
        if kind in COMMAND_KINDS:
            view = command_view_of(ctx)
            if view is not None:
                problems += pins.scan_install_commands(view, kind, policy)
        for problem in problems:
            if problem.edits is None:
                fix = Fix(Applicability.DISPLAY_ONLY, problem.fix_title)
            else:
                fix = _rename_fix(
                    Applicability.UNSAFE, problem.fix_title, problem.edits, works_on_2x=False
                )
            yield ctx.finding(self, problem.start, problem.end, problem.message, fix)
