"""Record the public MLflow 2.22 names that MLflow 3 no longer has, and MLflow 3 signatures.

Run with any Python 3.10+ (nothing from MLflow is imported; both trees are read with ast):
    .venv/bin/python scripts/gen_removed_names.py [--mlflow2 PYTHON] [--mlflow3 PYTHON]

The defaults are the interpreters of the project's test environments (.envs/mlflow2 and
.envs/mlflow3). Two files are written:

server/mlflow_upgrade/data/removed_names.json
    Every public module, and every public top-level name of a surviving module, that the
    MLflow 2 tree has and the MLflow 3 tree does not, with the rule that reports it, the
    replacement where one is known, and the MLflow release that removed it.
server/mlflow_upgrade/data/mlflow3_signatures.json
    The parameters that can be passed by position of the MLflow 3 functions whose
    positional use changed meaning (`log_model`, `save_model`, `autolog`, ...), keyed like
    mlflow2_signatures.json so the two can be compared.

What counts as public (the filter, also described in the MLF406 docs):
* modules: no path component starting with `_`; not under `mlflow.protos`, `mlflow.server`,
  `mlflow.store`, `mlflow.utils`, `mlflow.legacy_databricks_cli` (internals that MLflow
  documents as such), no component called `utils` or ending in `_utils`, and not the
  scoring-server/container internals listed in INTERNAL_MODULES;
* names of such a module: functions and classes defined at its top level (also inside
  top-level `if`/`try` blocks), UPPER_CASE constants, the names of its `__all__`, and for
  packages the public MLflow names their `__init__` imports (re-exports), except
  re-exported modules and names from private modules;
* a name is gone when the MLflow 3 module does not bind it in any way (definition,
  assignment, import, `__all__`, a string a module `__getattr__` answers, or a submodule).
Names inside a removed module are not listed one by one: the module entry covers them.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "server" / "mlflow_upgrade" / "data"
REMOVED_OUTPUT = DATA / "removed_names.json"
SIGNATURES_OUTPUT = DATA / "mlflow3_signatures.json"
DEFAULT_MLFLOW2 = ROOT / ".envs" / "mlflow2" / "bin" / "python"
DEFAULT_MLFLOW3 = ROOT / ".envs" / "mlflow3" / "bin" / "python"

INTERNAL_PACKAGES = (
    "mlflow.protos",
    "mlflow.server",
    "mlflow.store",
    "mlflow.utils",
    "mlflow.legacy_databricks_cli",
)
INTERNAL_MODULES = {
    "mlflow.models.container",
    "mlflow.pyfunc.scoring_server",
    "mlflow.pyfunc.loaders",
    "mlflow.pyfunc.context",
}

# Names (or module prefixes) that another rule reports; MLF406 must not report them again.
OWNERS = {
    "mlflow.recipes": "MLF401",
    "mlflow.environment_variables.MLFLOW_RECIPES_PROFILE": "MLF401",
    "mlflow.environment_variables.MLFLOW_RECIPES_EXECUTION_DIRECTORY": "MLF401",
    "mlflow.environment_variables.MLFLOW_RECIPES_EXECUTION_TARGET_STEP_NAME": "MLF401",
    "mlflow.fastai": "MLF402",
    "mlflow.mleap": "MLF402",
    "mlflow.diviner": "MLF402",
    "mlflow.promptflow": "MLF402",
    "mlflow.gluon": "MLF402",
    "mlflow.deployments.server": "MLF403",
    "mlflow.deployments.cli.start_server": "MLF403",
    "mlflow.gateway": "MLF404",
    "mlflow.environment_variables.MLFLOW_GCS_DEFAULT_TIMEOUT": "MLF405",
    "mlflow.pyfunc.mlserver": "MLF407",
    "mlflow.get_last_active_trace": "MLF603",
    "mlflow.tracing.fluent.get_last_active_trace": "MLF603",
    "mlflow.update_expectation": "MLF606",
    "mlflow.update_feedback": "MLF606",
    "mlflow.delete_expectation": "MLF606",
    "mlflow.delete_feedback": "MLF606",
    "mlflow.tracing.assessment.update_expectation": "MLF606",
    "mlflow.tracing.assessment.update_feedback": "MLF606",
    "mlflow.tracing.assessment.delete_expectation": "MLF606",
    "mlflow.tracing.assessment.delete_feedback": "MLF606",
    "mlflow.delete_prompt": "MLF608",
}
FLAVOR_RULE = "MLF116"  # names gone from a flavor package's __init__
DEFAULT_RULE = "MLF406"

# The release that removed a name, where it is not 3.0.0 (from the change catalogue, §b/§e;
# every other entry was checked to be absent from the 3.0.0 wheel already).
REMOVED_IN = {
    "mlflow.autogen.autogen_logger": "3.1.0",
    "mlflow.delete_prompt": "3.1.0",
    "mlflow.crewai.chat": "3.2.0",
    "mlflow.llama_index.chat": "3.2.0",
    "mlflow.tracing.set_span_chat_messages": "3.2.0",
    "mlflow.bedrock.chat.convert_message_to_mlflow_chat": "3.2.0",
    "mlflow.gemini.chat.parse_gemini_content_to_mlflow_chat_messages": "3.2.0",
    "mlflow.mistral.chat.convert_message_to_mlflow_chat": "3.2.0",
    "mlflow.langchain.utils.chat.convert_lc_generation_to_chat_message": "3.2.0",
    "mlflow.pyfunc.model_dump_compat": "3.6.0",
    "mlflow.gateway.config.Route": "3.6.0",
    "mlflow.gateway.config.RouteConfig": "3.6.0",
    "mlflow.gateway.config.RouteModelInfo": "3.6.0",
    "mlflow.gateway.config.RouteType": "3.6.0",
    "mlflow.gateway.app.SearchRoutesResponse": "3.6.0",
    "mlflow.gateway.constants.MLFLOW_GATEWAY_ROUTE_TIMEOUT_SECONDS": "3.14.0",
    "mlflow.diviner": "3.7.0",
    "mlflow.promptflow": "3.7.0",
    "mlflow.transformers.hub_utils": "3.12.0",
    "mlflow.pyfunc.mlserver": "3.13.0",
}
# Names that flavor __init__s stopped re-exporting in 3.2.0 ("experimental" decorators).
REMOVED_IN_BY_SHORT_NAME = {"experimental": "3.2.0"}
# Still present in 3.2.0 and absent from the MLflow 3 tree, release not pinned down: the
# rules treat them as removed by the MLflow 3 version the table was generated from.
UNDATED = {"mlflow.deployments.mlflow.MLFLOW_HTTP_REQUEST_TIMEOUT"}

# Known replacements: old name -> (new name, applicability, note). Computed replacements
# (a re-export whose origin still exists) are added by `replacement_for`.
REPLACEMENTS = {
    "mlflow.pyspark.optuna.storage": (
        "mlflow.optuna.storage",
        "safe",
        "`MlflowStorage` moved to `mlflow.optuna.storage` with the same constructor",
    ),
    "mlflow.get_last_active_trace": (
        "mlflow.get_trace",
        "unsafe",
        "use `mlflow.get_trace(mlflow.get_last_active_trace_id())`, guarded for None",
    ),
    "mlflow.types.responses.ResponsesRequest": (
        "mlflow.types.responses.ResponsesAgentRequest",
        "unsafe",
        "the Responses agent types were renamed; check the fields you use",
    ),
    "mlflow.types.responses.ResponsesResponse": (
        "mlflow.types.responses.ResponsesAgentResponse",
        "unsafe",
        "the Responses agent types were renamed; check the fields you use",
    ),
    "mlflow.types.responses.ResponsesStreamEvent": (
        "mlflow.types.responses.ResponsesAgentStreamEvent",
        "unsafe",
        "the Responses agent types were renamed; check the fields you use",
    ),
    "mlflow.entities.span.NO_OP_SPAN_REQUEST_ID": (
        "mlflow.entities.span.NO_OP_SPAN_TRACE_ID",
        "safe",
        "renamed with the request id -> trace id change",
    ),
    "mlflow.langchain.get_default_pip_requirements": (
        "mlflow.langchain.model.get_default_pip_requirements",
        "safe",
        "",
    ),
    "mlflow.langchain.get_default_conda_env": (
        "mlflow.langchain.model.get_default_conda_env",
        "safe",
        "",
    ),
    "mlflow.openai.get_default_pip_requirements": (
        "mlflow.openai.model.get_default_pip_requirements",
        "safe",
        "",
    ),
    "mlflow.openai.get_default_conda_env": (
        "mlflow.openai.model.get_default_conda_env",
        "safe",
        "",
    ),
    "mlflow.llama_index.get_default_pip_requirements": (
        "mlflow.llama_index.model.get_default_pip_requirements",
        "safe",
        "",
    ),
    "mlflow.llama_index.get_default_conda_env": (
        "mlflow.llama_index.model.get_default_conda_env",
        "safe",
        "",
    ),
    "mlflow.dspy.get_default_pip_requirements": (
        "mlflow.dspy.save.get_default_pip_requirements",
        "safe",
        "",
    ),
    "mlflow.dspy.get_default_conda_env": ("mlflow.dspy.save.get_default_conda_env", "safe", ""),
}
NOTES = {
    "mlflow.tracing.set_span_chat_messages": "no direct replacement in MLflow 3",
    "mlflow.autogen.autogen_logger": "the AutoGen integration was rewritten: use `mlflow.autogen.autolog()`",
    "mlflow.tracing.artifact_utils": "internal helper; no replacement",
    # the gateway client [GW-05, GW-06]
    "mlflow.gateway.query": "use `mlflow.deployments.get_deploy_client(uri).predict(endpoint=..., "
    "inputs=...)`",
    "mlflow.gateway.MlflowGatewayClient": "use `mlflow.deployments.get_deploy_client(uri)`",
    "mlflow.gateway.client": "use `mlflow.deployments.get_deploy_client(uri)`",
    "mlflow.gateway.fluent": "use `mlflow.deployments.get_deploy_client(uri)`",
    "mlflow.gateway.get_route": "use `mlflow.deployments.get_deploy_client(uri).get_endpoint(name)`",
    "mlflow.gateway.search_routes": "use `mlflow.deployments.get_deploy_client(uri).list_endpoints()`",
    "mlflow.gateway.create_route": "declare the endpoint under `endpoints:` in the gateway "
    "configuration (or `create_endpoint` on a Databricks deployments client)",
    "mlflow.gateway.delete_route": "remove the endpoint from the gateway configuration (or "
    "`delete_endpoint` on a Databricks deployments client)",
    "mlflow.gateway.set_limits": "set a `limit:` block on the endpoint in the gateway configuration",
    "mlflow.gateway.get_limits": "read the `limit:` block of the endpoint in the gateway configuration",
    "mlflow.gateway.config.Route": "use the endpoint classes of `mlflow.gateway.config`",
    "mlflow.gateway.config.RouteConfig": "use `mlflow.gateway.config.EndpointConfig`",
    "mlflow.gateway.config.RouteModelInfo": "use `mlflow.gateway.config.EndpointModelInfo`",
    "mlflow.gateway.config.RouteType": "use `mlflow.gateway.config.EndpointType`",
    "mlflow.gateway.app.SearchRoutesResponse": "list endpoints with the deployments client",
    "mlflow.gateway.constants.MLFLOW_GATEWAY_CLIENT_QUERY_TIMEOUT_SECONDS": "the gateway client "
    "is gone; the deployments client has its own timeouts",
    "mlflow.gateway.constants.MLFLOW_GATEWAY_ROUTE_TIMEOUT_SECONDS": "no replacement",
    "mlflow.pyfunc.mlserver": "the MLServer integration is gone: serve with the default scoring server",
}

# Functions whose MLflow 3 positional parameters the rules compare with MLflow 2.22's.
SIGNATURE_FUNCTIONS = {"log_model", "save_model", "autolog", "log_explainer", "save_explainer"}
SIGNATURE_EXTRA = {
    "mlflow.tracking._model_registry.fluent.register_prompt": "mlflow.register_prompt",
    "mlflow.genai.prompts.register_prompt": "mlflow.genai.register_prompt",
    "mlflow.tracking.client.MlflowClient.register_prompt": "mlflow.MlflowClient.register_prompt",
    "mlflow.models.python_api.build_docker": "mlflow.models.build_docker",
}


# Reading a tree ------------------------------------------------------------------------
@dataclass
class ModuleInfo:
    name: str
    is_package: bool
    defined: dict[str, str] = field(default_factory=dict)  # name -> function|class|constant
    bound: set[str] = field(default_factory=set)  # every name the module binds
    exported: set[str] = field(default_factory=set)  # __all__
    imports: dict[str, str] = field(default_factory=dict)  # local name -> absolute source
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    mentions: set[str] = field(default_factory=set)  # modules it imports or lazy-loads
    lazy: set[str] = field(default_factory=set)  # names bound to a LazyLoader of a module


def package_root(python: Path) -> Path:
    """The `mlflow` package folder of the environment an interpreter belongs to."""
    env = python.parent.parent
    found = sorted(env.glob("lib/python*/site-packages/mlflow")) + sorted(
        env.glob("Lib/site-packages/mlflow")
    )
    if not found:
        raise FileNotFoundError(f"no mlflow package in {env}")
    return found[0]


def read_version(root: Path) -> str:
    tree = ast.parse((root / "version.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "VERSION" for t in node.targets)
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    raise ValueError(f"no VERSION in {root / 'version.py'}")


def module_names(root: Path) -> dict[str, Path]:
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _statements(body: list[ast.stmt]):
    """Top-level statements, including those inside top-level if/try/with blocks."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.If | ast.With | ast.Try):
            for part in ("body", "orelse", "finalbody"):
                yield from _statements(getattr(statement, part, []) or [])
            for handler in getattr(statement, "handlers", []):
                yield from _statements(handler.body)


def _absolute(module: str, is_package: bool, level: int, target: str | None) -> str:
    if not level:
        return target or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, target] if target else base)


def _string_list(node: ast.expr) -> set[str]:
    if isinstance(node, ast.List | ast.Tuple):
        return {
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        }
    return set()


def scan_module(name: str, path: Path) -> ModuleInfo:
    is_package = path.name == "__init__.py"
    info = ModuleInfo(name, is_package)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError):
        return info
    for node in _statements(tree.body):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            info.defined.setdefault(node.name, "function")
            info.bound.add(node.name)
            if isinstance(node, ast.FunctionDef):
                info.functions.setdefault(node.name, node)
            if node.name == "__getattr__":
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                        info.bound.add(inner.value)
        elif isinstance(node, ast.ClassDef):
            info.defined.setdefault(node.name, "class")
            info.bound.add(node.name)
            info.classes.setdefault(node.name, node)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    if not isinstance(leaf, ast.Name):
                        continue
                    if leaf.id == "__all__" and node.value is not None:
                        info.exported |= _string_list(node.value)
                        continue
                    info.bound.add(leaf.id)
                    info.defined.setdefault(leaf.id, "constant")
            value = node.value
            if (
                isinstance(value, ast.Call)
                and value.args
                and isinstance(value.args[0], ast.Constant)
                and isinstance(value.args[0].value, str)
                and getattr(value.func, "id", getattr(value.func, "attr", "")) == "LazyLoader"
            ):
                info.mentions.add(value.args[0].value)
                info.lazy.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                info.bound.add(local)
                info.imports[local] = alias.name if alias.asname else local
                info.mentions.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(name, is_package, node.level, node.module)
            info.mentions.add(source)
            for alias in node.names:
                if alias.name == "*":
                    continue
                local = alias.asname or alias.name
                info.bound.add(local)
                info.imports[local] = f"{source}.{alias.name}"
                info.mentions.add(f"{source}.{alias.name}")
    return info


class Tree:
    """One MLflow installation, read lazily."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.version = read_version(root)
        self.paths = module_names(root)
        self._infos: dict[str, ModuleInfo] = {}

    def __contains__(self, module: str) -> bool:
        return module in self.paths

    def info(self, module: str) -> ModuleInfo:
        if module not in self._infos:
            self._infos[module] = scan_module(module, self.paths[module])
        return self._infos[module]

    def has(self, dotted: str) -> bool:
        """The module exists, or its parent module binds the name."""
        if dotted in self.paths:
            return True
        module, _, name = dotted.rpartition(".")
        if module not in self.paths:
            return False
        info = self.info(module)
        return name in info.bound or name in info.exported

    def is_module(self, dotted: str) -> bool:
        return dotted in self.paths

    def attribute_reachable(self, module: str) -> bool:
        """After `import <top package>`, is `module` reachable as an attribute chain?"""
        parts = module.split(".")
        for cut in range(2, len(parts) + 1):
            parent, child = ".".join(parts[: cut - 1]), ".".join(parts[:cut])
            if parent not in self.paths:
                return False
            mentions = self.info(parent).mentions
            if not any(m == child or m.startswith(child + ".") for m in mentions):
                return False
        return True

    def definition(self, dotted: str, depth: int = 0) -> ast.FunctionDef | None:
        """The function a dotted name ends at, following re-exports (and `Class.method`)."""
        module, _, name = dotted.rpartition(".")
        if module in self.paths:
            info = self.info(module)
            if name in info.functions:
                return info.functions[name]
            if name in info.imports and depth < 5:
                return self.definition(info.imports[name], depth + 1)
            return None
        owner_module, _, owner = module.rpartition(".")
        if owner_module in self.paths:
            info = self.info(owner_module)
            if owner in info.classes:
                for item in info.classes[owner].body:
                    if isinstance(item, ast.FunctionDef) and item.name == name:
                        return item
            elif owner in info.imports and depth < 5:
                return self.definition(f"{info.imports[owner]}.{name}", depth + 1)
        return None


# The diff --------------------------------------------------------------------------------
def is_public_module(module: str) -> bool:
    parts = module.split(".")
    if parts[0] != "mlflow" or any(p.startswith("_") for p in parts):
        return False
    if any(p == "utils" or p.endswith("_utils") or p in ("tests", "test") for p in parts[1:]):
        return False
    if module in INTERNAL_MODULES:
        return False
    return not any(module == p or module.startswith(p + ".") for p in INTERNAL_PACKAGES)


def owner_of(name: str, kind: str, flavors: set[str]) -> str:
    for prefix, rule in OWNERS.items():
        if name == prefix or name.startswith(prefix + "."):
            return rule
    module = name.rpartition(".")[0]
    if kind != "module" and module in flavors:
        return FLAVOR_RULE
    return DEFAULT_RULE


def flavor_packages(tree: Tree) -> set[str]:
    """Top-level packages whose __init__ offers `log_model` or `autolog` (MLflow flavors)."""
    flavors = set()
    for module in tree.paths:
        if module.count(".") == 1 and tree.paths[module].name == "__init__.py":
            info = tree.info(module)
            if {"log_model", "autolog"} & (info.bound | info.exported):
                flavors.add(module)
    return flavors


def candidate_names(old: Tree, module: str) -> dict[str, str]:
    """Public names of an MLflow 2 module, with their kind."""
    info = old.info(module)
    names: dict[str, str] = {}
    for name, kind in info.defined.items():
        if name.startswith("_") or name in info.lazy:
            continue
        if kind == "constant" and not name.isupper():
            continue
        if kind == "constant" and name in info.imports:
            continue
        names[name] = kind
    reexports = set(info.exported)
    if info.is_package:
        reexports |= set(info.imports)
    for name in sorted(reexports):
        if name.startswith("_") or name in names or name in info.lazy:
            continue
        source = info.imports.get(name)
        if source is None:
            names[name] = "name"
            continue
        # a re-export counts when it names an MLflow object (not a module); names that
        # `__all__` does not list count only when they come from a public module
        if not source.startswith("mlflow.") or old.is_module(source) or not old.has(source):
            continue
        if name not in info.exported and not is_public_module(source.rpartition(".")[0]):
            continue
        names[name] = "reexport"
    return names


def replacement_for(old: Tree, new: Tree, name: str) -> tuple[str | None, str, str]:
    if name in REPLACEMENTS:
        return REPLACEMENTS[name]
    module, _, short = name.rpartition(".")
    source = old.info(module).imports.get(short) if module in old.paths else None
    if source and is_public_module(source.rpartition(".")[0]) and new.has(source):
        return source, "safe", f"`{short}` was only re-exported here; import it from its module"
    return None, "display-only", NOTES.get(name, "")


def entry(old: Tree, new: Tree, name: str, kind: str, flavors: set[str]) -> dict:
    replacement, applicability, note = replacement_for(old, new, name)
    short = name.rpartition(".")[2]
    removed_in = REMOVED_IN.get(name)
    if removed_in is None and kind == "reexport":
        removed_in = REMOVED_IN_BY_SHORT_NAME.get(short)
    record = {
        "kind": kind,
        "rule": owner_of(name, kind, flavors),
        "removed_in": None if name in UNDATED else removed_in or "3.0.0",
    }
    if replacement is not None:
        if not new.has(replacement):
            raise ValueError(f"replacement {replacement} of {name} is not in MLflow {new.version}")
        target_module = (
            replacement if new.is_module(replacement) else replacement.rpartition(".")[0]
        )
        record.update(
            replacement=replacement,
            applicability=applicability,
            attribute_ok=new.attribute_reachable(target_module),
            works_on_2x=old.has(replacement),
        )
    else:
        record["applicability"] = "display-only"
    if note:
        record["note"] = note
    return record


def removed_names(old: Tree, new: Tree) -> dict[str, dict]:
    flavors = flavor_packages(old)
    found: dict[str, dict] = {}
    for module in sorted(old.paths):
        if not is_public_module(module):
            continue
        parent = module.rpartition(".")[0]
        if module not in new:
            if parent in old.paths and parent not in new and is_public_module(parent):
                continue  # covered by the removed parent package
            found[module] = entry(old, new, module, "module", flavors)
            continue
        for name, kind in sorted(candidate_names(old, module).items()):
            dotted = f"{module}.{name}"
            if not new.has(dotted):
                found[dotted] = entry(old, new, dotted, kind, flavors)
    return found


# MLflow 3 signatures -------------------------------------------------------------------
def positional_parameters(function: ast.FunctionDef) -> list[str]:
    names = [a.arg for a in function.args.posonlyargs + function.args.args]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def signatures(new: Tree) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for module in sorted(new.paths):
        if not is_public_module(module) or new.paths[module].name != "__init__.py":
            continue
        if module.count(".") != 1:
            continue
        for function in sorted(SIGNATURE_FUNCTIONS):
            definition = new.definition(f"{module}.{function}")
            if definition is not None:
                found[f"{module}.{function}"] = positional_parameters(definition)
    for qualified, public in SIGNATURE_EXTRA.items():
        definition = new.definition(qualified)
        if definition is not None:
            found[public] = positional_parameters(definition)
    return dict(sorted(found.items()))


def build(mlflow2: Path, mlflow3: Path) -> tuple[dict, dict]:
    """(removed-names payload, signatures payload) for two `mlflow` package folders."""
    old, new = Tree(mlflow2), Tree(mlflow3)
    if not old.version.startswith("2.") or not new.version.startswith("3."):
        raise ValueError(f"need MLflow 2 and MLflow 3 trees, got {old.version} / {new.version}")
    removed = {
        "generated_by": "scripts/gen_removed_names.py",
        "mlflow2_version": old.version,
        "mlflow3_version": new.version,
        "names": removed_names(old, new),
    }
    sigs = {
        "generated_by": "scripts/gen_removed_names.py",
        "mlflow_version": new.version,
        "signatures": signatures(new),
    }
    return removed, sigs


def render(payload: dict) -> str:
    return json.dumps(payload, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mlflow2", type=Path, default=DEFAULT_MLFLOW2)
    parser.add_argument("--mlflow3", type=Path, default=DEFAULT_MLFLOW3)
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    args = parser.parse_args(argv)
    removed, sigs = build(package_root(args.mlflow2), package_root(args.mlflow3))
    outputs = {REMOVED_OUTPUT: render(removed), SIGNATURES_OUTPUT: render(sigs)}
    if args.check:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text() != text]
        for path in stale:
            print(f"{path} is stale; run scripts/gen_removed_names.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(removed['names'])} removed names and {len(sigs['signatures'])} signatures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
