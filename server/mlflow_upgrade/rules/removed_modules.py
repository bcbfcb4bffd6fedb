"""MLF4xx: removed modules, flavors, integrations and environment variables."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind, TextEdit
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import rename_attribute
from mlflow_upgrade.rules._rewrites import (
    IMPORT_ERRORS,
    Site,
    attribute_sites,
    env_keys,
    from_module_span,
    import_sites,
    move_import,
    name_sites,
    occurrences,
    rename_alias,
    rename_name_uses,
    target_reached,
    under,
    which,
)


def _removed_sites(
    ctx: PythonContext, matches: Callable[[str], bool], attributes: set[str]
) -> Iterator[Site]:
    """Each import of a matched object and each use of it, once per place."""
    seen: set[int] = set()
    for site in [
        *import_sites(ctx, matches),
        *attribute_sites(ctx, matches, attributes),
        *name_sites(ctx, matches),
    ]:
        start = ctx.start(site.node)
        if start not in seen:
            seen.add(start)
            yield site


# MLF401 ---------------------------------------------------------------------------
_RECIPES = "mlflow.recipes"
_RECIPE_ENV_VARIABLES = (
    "MLFLOW_RECIPES_PROFILE",
    "MLFLOW_RECIPES_EXECUTION_DIRECTORY",
    "MLFLOW_RECIPES_EXECUTION_TARGET_STEP_NAME",
)
_RECIPE_TAGS = (
    "MLFLOW_RECIPE_TEMPLATE_NAME",
    "MLFLOW_RECIPE_STEP_NAME",
    "MLFLOW_RECIPE_PROFILE_NAME",
)
_RECIPE_CONSTANTS = {
    **{
        f"mlflow.environment_variables.{name}": "environment variable"
        for name in _RECIPE_ENV_VARIABLES
    },
    **{f"mlflow.utils.mlflow_tags.{name}": "run tag constant" for name in _RECIPE_TAGS},
}


@register
class RecipesRemoved(Rule):
    code = "MLF401"
    name = "recipes-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "RM-01, ENV-02, TR-03"
    summary = (
        "imports and uses of `mlflow.recipes`, the `MLFLOW_RECIPES_*` environment variables and "
        "the `MLFLOW_RECIPE_*` tag constants"
    )
    fix = (Applicability.DISPLAY_ONLY,)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0.0 removed MLflow Recipes: the package `mlflow.recipes` and its 32 "
            "submodules (`Recipe`, the classification and regression templates, the steps), the "
            "environment variables `MLFLOW_RECIPES_PROFILE`, "
            "`MLFLOW_RECIPES_EXECUTION_DIRECTORY` and `MLFLOW_RECIPES_EXECUTION_TARGET_STEP_NAME` "
            "(and their `mlflow.environment_variables` definitions), and the run tag constants "
            "`MLFLOW_RECIPE_TEMPLATE_NAME`, `MLFLOW_RECIPE_STEP_NAME` and "
            "`MLFLOW_RECIPE_PROFILE_NAME` of `mlflow.utils.mlflow_tags`. MLflow 2 warned: "
            '"MLflow Recipes is deprecated and will be removed in MLflow 3.0."'
        ),
        why=(
            "Imports fail with `ModuleNotFoundError` or `ImportError`, and the environment "
            "variables are no longer read. Each import statement and each use is reported once; "
            "imports inside a `try` that handles `ImportError` are not. Environment variable "
            "names are reported where they are used as keys of the environment "
            "(`os.environ[...]`, `os.getenv(...)`, `monkeypatch.setenv(...)`, an `env=` "
            "mapping, …)."
        ),
        example=(
            "from mlflow.recipes import Recipe\n\n"
            'os.environ["MLFLOW_RECIPES_PROFILE"] = "local"\n'
            'recipe = Recipe(profile="local")\n'
            "recipe.run()"
        ),
        use_instead=(
            "# No replacement: run the steps as ordinary code (or a workflow tool) that logs\n"
            "# with MLflow Tracking, e.g.\n"
            "with mlflow.start_run():\n"
            "    model = train(load_data())\n"
            '    mlflow.sklearn.log_model(model, name="model")\n'
            '    mlflow.models.evaluate(model_info.model_uri, test, targets="y", '
            'model_type="regressor")'
        ),
        fix_safety=(
            "Display-only: Recipes has no successor in MLflow 3, so the code has to be "
            "rewritten by hand."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        text = ctx.text
        if "recipes" in text:
            for site in _removed_sites(ctx, under(_RECIPES), {"recipes"}):
                yield ctx.report(
                    self,
                    site.node,
                    f"`{_RECIPES}` was removed in MLflow 3.0.0 (MLflow Recipes has no "
                    "successor); rewrite the recipe as plain code that uses MLflow Tracking",
                    Fix(Applicability.DISPLAY_ONLY, "Rewrite without MLflow Recipes"),
                )
        if "MLFLOW_RECIPE" not in text:
            return
        constants = set(_RECIPE_CONSTANTS)
        attributes = {name.rsplit(".", 1)[1] for name in constants}
        for site in _removed_sites(ctx, lambda name: name in constants, attributes):
            kind = _RECIPE_CONSTANTS[site.qualname]
            name = site.qualname.rsplit(".", 1)[1]
            yield ctx.report(
                self,
                site.node,
                f"the Recipes {kind} `{name}` was removed in MLflow 3.0.0; remove it",
                Fix(Applicability.DISPLAY_ONLY, f"Remove `{name}` (no replacement)"),
            )
        for key in env_keys(ctx, lambda name: name.startswith("MLFLOW_RECIPES_")):
            yield ctx.report_span(
                self,
                key.start,
                key.end,
                f"the Recipes environment variable `{key.name}` was removed in MLflow 3.0.0 "
                "and is no longer read; remove it",
                Fix(Applicability.DISPLAY_ONLY, f"Remove `{key.name}` (no replacement)"),
            )


# MLF402 ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Flavor:
    removed_in: str
    use_instead: str


_FLAVORS = {
    "mlflow.fastai": _Flavor(
        "3.0.0", "wrap the learner in an `mlflow.pyfunc.PythonModel` (or export it to ONNX)"
    ),
    "mlflow.mleap": _Flavor("3.0.0", "use `mlflow.onnx` or `mlflow.pyfunc`"),
    "mlflow.gluon": _Flavor("2.20.0", "use `mlflow.pytorch` or `mlflow.onnx`"),
    "mlflow.diviner": _Flavor("3.7.0", "wrap the model in an `mlflow.pyfunc.PythonModel`"),
    "mlflow.promptflow": _Flavor("3.7.0", "wrap the flow in an `mlflow.pyfunc.PythonModel`"),
}


@register
class FlavorRemoved(Rule):
    code = "MLF402"
    name = "flavor-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "RM-02, RM-03, RM-04, RM-05, RM-06"
    summary = (
        "imports and uses of the removed flavors `mlflow.fastai`, `mlflow.mleap`, "
        "`mlflow.gluon`, `mlflow.diviner` and `mlflow.promptflow`"
    )
    fix = (Applicability.DISPLAY_ONLY,)
    works_on_2x = False
    docs = RuleDocs(
        what_changed=(
            "Five model flavors are gone, so importing them raises `ModuleNotFoundError` and "
            "`mlflow.<flavor>` raises `AttributeError`:\n\n"
            "| flavor | removed in | deprecated before |\n"
            "|---|---|---|\n"
            "| `mlflow.fastai` | 3.0.0 | since 2.21 (`FutureWarning` on import) |\n"
            "| `mlflow.mleap` | 3.0.0 | since 2.6.0 (alternative: `mlflow.onnx`) |\n"
            "| `mlflow.gluon` | 2.20.0 | since 2.5.0 |\n"
            "| `mlflow.diviner` | 3.7.0 | no warning |\n"
            "| `mlflow.promptflow` | 3.7.0 | no warning |\n\n"
            "Models saved with these flavors name the removed module as the loader of their "
            "`python_function` flavor (for example `loader_module: mlflow.fastai`), so "
            "`mlflow.pyfunc.load_model` cannot load them on MLflow 3 either."
        ),
        why=(
            "Logging, loading and autologging with these flavors fail. Each import statement "
            "and each use is reported once, with the version that removed the flavor; imports "
            "inside a `try` that handles `ImportError` are not. With `target-version` below "
            "3.7 the `diviner` and `promptflow` flavors are not reported (they still exist "
            "there)."
        ),
        example=(
            "import mlflow.fastai\n\n"
            "mlflow.fastai.autolog()\n"
            'mlflow.fastai.log_model(learner, artifact_path="model")'
        ),
        use_instead=(
            "class LearnerModel(mlflow.pyfunc.PythonModel):\n"
            "    def load_context(self, context):\n"
            "        from fastai.learner import load_learner\n\n"
            '        self.learner = load_learner(context.artifacts["learner"])\n\n'
            "    def predict(self, context, model_input):\n"
            "        return [self.learner.predict(row)[0] for _, row in model_input.iterrows()]\n\n"
            'learner.export("learner.pkl")\n'
            'mlflow.pyfunc.log_model(name="model", python_model=LearnerModel(),\n'
            '                        artifacts={"learner": "learner.pkl"})'
        ),
        fix_safety=(
            "Display-only: there is no drop-in replacement. The message says what to use "
            "instead (a custom `mlflow.pyfunc.PythonModel`, `mlflow.onnx`, or "
            "`mlflow.pytorch` for Gluon)."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        removed = tuple(
            module
            for module, flavor in _FLAVORS.items()
            if module.rsplit(".", 1)[1] in ctx.text and target_reached(ctx, flavor.removed_in)
        )
        if not removed:
            return
        attributes = {module.rsplit(".", 1)[1] for module in removed}
        for site in _removed_sites(ctx, under(*removed), attributes):
            module = which(site.qualname, removed)
            assert module is not None
            flavor = _FLAVORS[module]
            yield ctx.report(
                self,
                site.node,
                f"the `{module}` flavor was removed in MLflow {flavor.removed_in}; "
                f"{flavor.use_instead}",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    flavor.use_instead[0].upper() + flavor.use_instead[1:],
                ),
            )


# MLF403 ---------------------------------------------------------------------------
_SERVER_APP = "mlflow.deployments.server.app"
_GATEWAY_APP = "mlflow.gateway.app"
_START_SERVER = "mlflow.deployments.cli.start_server"
_GATEWAY_START = "mlflow.gateway.cli.start"
_APP_NAMES = {"create_app_from_env", "create_app_from_path", "create_app_from_config", "GatewayAPI"}
_ENV_NOTE = " (it reads `MLFLOW_GATEWAY_CONFIG`, not `MLFLOW_DEPLOYMENTS_CONFIG`)"


@register
class DeploymentsServerRemoved(Rule):
    code = "MLF403"
    name = "deployments-server-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "GW-04"
    summary = (
        "`mlflow.deployments.server.app` and `mlflow.deployments.cli.start_server` in Python "
        "(use `mlflow.gateway.app` / `mlflow.gateway.cli.start`)"
    )
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            'MLflow 3.0.0 removed the MLflow 2 "deployments server" entry points: the module '
            "`mlflow.deployments.server.app` (`create_app_from_env`, re-exporting "
            "`create_app_from_path` and `create_app_from_config`) and the click command "
            "`mlflow.deployments.cli.start_server` (`mlflow deployments start-server`). The same "
            "functions live in `mlflow.gateway.app`, and `mlflow.gateway.cli.start` is the "
            "command with the same options. The gateway reads its configuration path from "
            "`MLFLOW_GATEWAY_CONFIG`; `MLFLOW_DEPLOYMENTS_CONFIG` is no longer read."
        ),
        why=(
            "Imports fail with `ModuleNotFoundError`/`ImportError`, and "
            "`uvicorn --factory mlflow.deployments.server.app:create_app_from_env` no longer "
            "starts. Import statements, attribute chains, strings naming the module (such as "
            "uvicorn factory paths) and `MLFLOW_DEPLOYMENTS_CONFIG` used as an environment key "
            "are reported."
        ),
        example=(
            "from mlflow.deployments.server.app import create_app_from_env\n\n"
            'os.environ["MLFLOW_DEPLOYMENTS_CONFIG"] = "gateway.yaml"\n'
            "app = create_app_from_env()\n"
            'uvicorn.run("mlflow.deployments.server.app:create_app_from_env", factory=True)'
        ),
        use_instead=(
            "from mlflow.gateway.app import create_app_from_env\n\n"
            'os.environ["MLFLOW_GATEWAY_CONFIG"] = "gateway.yaml"\n'
            "app = create_app_from_env()\n"
            'uvicorn.run("mlflow.gateway.app:create_app_from_env", factory=True)'
        ),
        fix_safety=(
            "Safe: the functions are the same objects (MLflow 2.22's "
            "`mlflow.deployments.server.app` re-exported them from `mlflow.gateway.app`), and "
            "`mlflow.gateway.cli.start` takes the same options as `start_server`; the result "
            "also runs on MLflow 2.22. The one difference is the environment variable: "
            "`create_app_from_env` and the `start` command read `MLFLOW_GATEWAY_CONFIG`, so the "
            "fix renames `MLFLOW_DEPLOYMENTS_CONFIG` where the Python code sets or reads it; "
            "set it under the new name in shells and deployment files too (MLF503). An "
            "attribute chain such as `mlflow.deployments.server.app.create_app_from_env` is "
            "rewritten only when the module imports `mlflow.gateway.app` (or the old module, "
            "whose import becomes that); otherwise the finding is display-only."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        text = ctx.text
        if "deployments" in text:
            yield from self._imports(ctx)
            yield from self._attributes(ctx)
            yield from self._strings(ctx)
        if "MLFLOW_DEPLOYMENTS_CONFIG" in text:
            yield from _renamed_variable(
                self,
                ctx,
                "MLFLOW_DEPLOYMENTS_CONFIG",
                "MLFLOW_GATEWAY_CONFIG",
                "is no longer read since MLflow 3.0.0 (the gateway reads `MLFLOW_GATEWAY_CONFIG`)",
                works_on_2x=False,  # MLflow 2's `deployments start-server` reads the old name
            )

    def _imports(self, ctx: PythonContext) -> Iterator[Finding]:
        matches = under(_SERVER_APP, _START_SERVER)
        for site in import_sites(ctx, matches):
            statement = site.statement
            edits: list[TextEdit] | None = None
            note = _ENV_NOTE
            if isinstance(statement, ast.Import):  # import mlflow.deployments.server.app
                assert isinstance(site.node, ast.alias)
                edit = rename_alias(ctx, site.node, _GATEWAY_APP)
                edits = [edit] if edit is not None and site.node.name == _SERVER_APP else None
                target, title = _GATEWAY_APP, f"Import `{_GATEWAY_APP}`"
            elif site.node is statement:  # from mlflow.deployments.server.app import ...
                assert isinstance(statement, ast.ImportFrom)
                names = {alias.name for alias in statement.names}
                span = from_module_span(ctx, statement)
                if names <= _APP_NAMES and span is not None:
                    edits = [TextEdit(span[0], span[1], _GATEWAY_APP)]
                target, title = _GATEWAY_APP, f"Import from `{_GATEWAY_APP}`"
                note = _ENV_NOTE if "create_app_from_env" in names else ""
            elif site.qualname == _START_SERVER:  # from mlflow.deployments.cli import start_server
                assert isinstance(statement, ast.ImportFrom) and isinstance(site.node, ast.alias)
                edits = move_import(ctx, statement, site.node, "mlflow.gateway.cli", "start")
                target, title = _GATEWAY_START, "Import `start` from `mlflow.gateway.cli`"
            else:  # from mlflow.deployments.server import app
                assert isinstance(statement, ast.ImportFrom) and isinstance(site.node, ast.alias)
                edits = move_import(ctx, statement, site.node, "mlflow.gateway")
                target, title = _GATEWAY_APP, "Import `app` from `mlflow.gateway`"
            old = _SERVER_APP if site.qualname.startswith(_SERVER_APP) else _START_SERVER
            yield ctx.report(
                self,
                site.node,
                f"`{old}` was removed in MLflow 3.0.0; use `{target}`{note}",
                _fix(title, edits),
            )

    def _attributes(self, ctx: PythonContext) -> Iterator[Finding]:
        matches = under(_SERVER_APP, _START_SERVER)
        imported = _imports_module(ctx, {_GATEWAY_APP, _SERVER_APP})
        for site in attribute_sites(ctx, matches, {"app", "start_server"}):
            node = site.node
            assert isinstance(node, ast.Attribute)
            if site.qualname == _START_SERVER:
                new, needed = _GATEWAY_START, _imports_module(ctx, {"mlflow.gateway.cli"})
            else:
                new, needed = _GATEWAY_APP, imported
            edits = None
            root = _mlflow_root(ctx, node)
            if root is not None and needed:
                edits = [TextEdit(ctx.start(node), ctx.end(node), root + new[len("mlflow") :])]
            old = _START_SERVER if site.qualname == _START_SERVER else _SERVER_APP
            yield ctx.report(
                self,
                node,
                f"`{old}` was removed in MLflow 3.0.0; use `{new}`{_ENV_NOTE}",
                _fix(f"Use `{new}`", edits),
            )

    def _strings(self, ctx: PythonContext) -> Iterator[Finding]:
        seen: set[int] = set()
        for node, _ in ctx.model.strings:
            if _SERVER_APP not in node.value:
                continue
            for start in occurrences(ctx, node, _SERVER_APP):
                if start in seen:
                    continue
                seen.add(start)
                end = start + len(_SERVER_APP)
                yield ctx.report_span(
                    self,
                    start,
                    end,
                    f"`{_SERVER_APP}` was removed in MLflow 3.0.0; use `{_GATEWAY_APP}`"
                    + _ENV_NOTE,
                    _fix(f"Replace with `{_GATEWAY_APP}`", [TextEdit(start, end, _GATEWAY_APP)]),
                )


def _fix(title: str, edits: list[TextEdit] | None, works_on_2x: bool = True) -> Fix:
    if edits is None:
        return Fix(Applicability.DISPLAY_ONLY, title)
    return Fix(Applicability.SAFE, title, lambda: edits, works_on_2x=works_on_2x)


def _imports_module(ctx: PythonContext, modules: set[str]) -> bool:
    """A plain `import <module>` (binding `mlflow`) of one of `modules` is in the file."""
    return any(
        isinstance(statement, ast.Import)
        and any(alias.name in modules and alias.asname is None for alias in statement.names)
        for statement, _ in ctx.model.imports
    )


def _mlflow_root(ctx: PythonContext, node: ast.Attribute) -> str | None:
    """The name at the root of a plain dotted chain when it refers to `mlflow`."""
    root: ast.expr = node
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return None
    expected = root.id + "." + ".".join(_attribute_path(node))
    if ctx.source(node).replace(" ", "") != expected:
        return None
    scope_sites = ctx.model.name_loads(root.id)
    scope = next((s for n, s in scope_sites if n is root), None)
    if scope is None or ctx.qualname(root, scope) != "mlflow":
        return None
    return root.id


def _attribute_path(node: ast.Attribute) -> list[str]:
    path = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        path.append(current.attr)
        current = current.value
    return path[::-1]


def _renamed_variable(
    rule: Rule, ctx: PythonContext, old: str, new: str, what: str, works_on_2x: bool
) -> Iterator[Finding]:
    """An environment variable renamed by MLflow: its `mlflow.environment_variables`
    definition (imports, attribute uses) and its name used as an environment key."""
    qualname = f"mlflow.environment_variables.{old}"
    message = f"the environment variable `{old}` {what}; use `{new}`"
    for site in import_sites(
        ctx, lambda name: name == qualname, IMPORT_ERRORS | {"AttributeError"}
    ):
        if not isinstance(site.node, ast.alias):
            continue
        alias = site.node
        edit = rename_alias(ctx, alias, new)
        edits = None
        if edit is not None:
            edits = [edit] if alias.asname else [edit, *rename_name_uses(ctx, old, qualname, new)]
        yield ctx.report(rule, alias, message, _fix(f"Import `{new}` instead", edits, works_on_2x))
    for node, scope in ctx.model.attribute_accesses(old):
        if ctx.qualname(node, scope) != qualname:
            continue
        end = ctx.end(node)
        yield ctx.report_span(
            rule,
            end - len(old),
            end,
            message,
            _fix(f"Replace with `{new}`", [rename_attribute(ctx, node, new)], works_on_2x),
        )
    for key in env_keys(ctx, lambda name: name == old):
        yield ctx.report_span(
            rule,
            key.start,
            key.end,
            message,
            _fix(f"Replace with `{new}`", [TextEdit(key.start, key.end, new)], works_on_2x),
        )


# MLF405 ---------------------------------------------------------------------------
@register
class GcsTimeoutEnvRemoved(Rule):
    code = "MLF405"
    name = "gcs-timeout-env-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "ENV-01"
    summary = (
        "`MLFLOW_GCS_DEFAULT_TIMEOUT` as an environment key or "
        "`mlflow.environment_variables` attribute (use `MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT`)"
    )
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0.0 removed the environment variable `MLFLOW_GCS_DEFAULT_TIMEOUT` and its "
            "definition in `mlflow.environment_variables`. The GCS artifact repository now "
            "reads only `MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT` (seconds; `-1` means no "
            "timeout), which MLflow 2 already preferred and documented as the replacement."
        ),
        why=(
            "Setting the old variable is silently ignored, so uploads and downloads fall back "
            "to the default timeout, and `mlflow.environment_variables."
            "MLFLOW_GCS_DEFAULT_TIMEOUT` raises `AttributeError`. The name is reported where it "
            "is used as an environment key (`os.environ[...]`, `os.environ.get/setdefault/"
            "pop`, `os.getenv`, `monkeypatch.setenv`, `... in os.environ`, keys of a mapping "
            "passed as `env=`, extending `os.environ` or given to `os.environ.update`, and a "
            "variable holding the name that is used in one of those places) and as an "
            "attribute or import of `mlflow.environment_variables`."
        ),
        example=(
            'os.environ["MLFLOW_GCS_DEFAULT_TIMEOUT"] = "120"\n'
            "timeout = mlflow.environment_variables.MLFLOW_GCS_DEFAULT_TIMEOUT.get()"
        ),
        use_instead=(
            'os.environ["MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT"] = "120"\n'
            "timeout = mlflow.environment_variables.MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT.get()"
        ),
        fix_safety=(
            "Safe: MLflow 2 read `MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT` first and fell back "
            "to the GCS variable, with the same meaning, so the result also runs on MLflow "
            "2.22. Note that the new variable applies to the other artifact stores too. Set it "
            "under the new name in shells and deployment files as well (MLF504)."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        if "MLFLOW_GCS_DEFAULT_TIMEOUT" not in ctx.text:
            return
        yield from _renamed_variable(
            self,
            ctx,
            "MLFLOW_GCS_DEFAULT_TIMEOUT",
            "MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT",
            "was removed in MLflow 3.0.0 (it is silently ignored)",
            works_on_2x=True,
        )
