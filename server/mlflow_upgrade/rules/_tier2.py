"""Pieces the tier-2 rules share: version gates, the removed-names table, references to
MLflow names (imports and attribute chains), moving a name to another module, and
command lines that Python code hands to a shell or `subprocess`."""

from __future__ import annotations

import ast
import json
import re
import shlex
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, TextEdit
from mlflow_upgrade.engine.rule import Rule
from mlflow_upgrade.engine.settings import version_tuple
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import replace_node
from mlflow_upgrade.python.semantic import Scope


# Versions -------------------------------------------------------------------------------
def reaches(ctx: PythonContext, version: str | None) -> bool:
    """Whether the configured target MLflow version includes a change made in `version`."""
    if version is None:
        return True
    return version_tuple(ctx.settings.target_version) >= version_tuple(version)


def short_version(version: str) -> str:
    """`3.9.0` -> `3.9` (messages name minor releases; patch releases stay)."""
    parts = version.split(".")
    return ".".join(parts[:2]) if parts[2:] in (["0"], []) else version


# Generated tables -----------------------------------------------------------------------
def _data(name: str) -> dict:
    return json.loads(resources.files("mlflow_upgrade.data").joinpath(name).read_text())


@cache
def removed_table() -> dict[str, dict]:
    """scripts/gen_removed_names.py's table, keyed by canonical name."""
    payload = _data("removed_names.json")
    version = payload["mlflow3_version"]
    table = {}
    for name, entry in payload["names"].items():
        entry = dict(entry, name=name)
        entry["gone_by"] = entry["removed_in"] or version
        table[api.canonical(name)] = entry
    return table


def removed_names_for(rule: str) -> dict[str, dict]:
    return {name: e for name, e in removed_table().items() if e["rule"] == rule}


@cache
def mlflow3_signatures() -> dict[str, list[str]]:
    raw = _data("mlflow3_signatures.json")["signatures"]
    return {api.canonical(name): params for name, params in raw.items()}


# References to names ----------------------------------------------------------------------
@dataclass
class Reference:
    """One place where code names an MLflow object: an import, or an attribute chain."""

    node: ast.AST  # what to report
    name: str  # the matched canonical name (an object or a module)
    scope: Scope
    statement: ast.Import | ast.ImportFrom | None = None
    alias: ast.alias | None = None
    imported_as: str | None = field(default=None)  # `from m import x`: the canonical `m.x`


def _match(name: str, names: Collection[str]) -> str | None:
    """`name` itself, or the longest dotted prefix of it, when it is one of `names`."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        candidate = ".".join(parts[:cut])
        if candidate in names:
            return candidate
    return None


def references(ctx: PythonContext, names: Collection[str]) -> Iterator[Reference]:
    """Imports of, and attribute chains resolving to, the canonical `names` (or inside them)."""
    names = set(names)
    imported_modules: set[str] = set()
    for statement, scope in ctx.model.imports:
        if isinstance(statement, ast.ImportFrom):
            if statement.level or not api.is_mlflow(statement.module):
                continue
            module = api.canonical(statement.module or "")
            module_match = _match(module, names)
            if module_match is not None:
                yield Reference(statement, module_match, scope, statement)
                continue
            for alias in statement.names:
                full = api.canonical(f"{module}.{alias.name}")
                matched = _match(full, names)
                if matched is not None:
                    yield Reference(alias, matched, scope, statement, alias, full)
        else:
            for alias in statement.names:
                matched = _match(api.canonical(alias.name), names)
                if matched is not None:
                    if alias.asname is None:
                        imported_modules.add(matched)
                    yield Reference(alias, matched, scope, statement, alias)
    for last in {name.rsplit(".", 1)[-1] for name in names}:
        for node, scope in ctx.model.attribute_accesses(last):
            qualname = ctx.qualname(node, scope)
            if qualname is None or qualname not in names:
                continue
            if ctx.qualname(node.value, scope) in names:
                continue  # the inner chain is the reference
            if qualname in imported_modules:
                continue  # `import a.b.c` is already reported
            yield Reference(node, qualname, scope)


def _statement_indent(ctx: PythonContext, statement: ast.stmt) -> str | None:
    """The indentation of a statement that starts its line, else None."""
    start = ctx.start(statement)
    line_start = ctx.text.rfind("\n", 0, start) + 1
    prefix = ctx.text[line_start:start]
    return prefix if not prefix.strip() else None


def _alias_text(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def move_edits(
    ctx: PythonContext, ref: Reference, new: str, new_is_module: bool, attribute_ok: bool = True
) -> list[TextEdit] | None:
    """Edits that make a reference name `new` instead, or None when that is not mechanical.

    `from m import x` becomes `from n import y as x` (the local name stays, so later uses
    need no change); other names of the same statement stay where they were.
    """
    statement = ref.statement
    if isinstance(statement, ast.ImportFrom):
        source = ctx.source(statement)
        if "#" in source or "\\" in source:
            return None
        if ref.alias is None:  # the whole module moved
            if not new_is_module:
                return None
            kept = ", ".join(_alias_text(a) for a in statement.names)
            return [replace_node(ctx, statement, f"from {new} import {kept}")]
        alias = ref.alias
        module, _, name = new.rpartition(".")
        if new_is_module:
            module, name = new.rpartition(".")[0], new.rpartition(".")[2]
        local = alias.asname or alias.name
        moved = f"from {module} import {name}" + (f" as {local}" if local != name else "")
        rest = [a for a in statement.names if a is not alias]
        if not rest:
            return [replace_node(ctx, statement, moved)]
        indent = _statement_indent(ctx, statement)
        separator = "; " if indent is None else "\n" + indent
        kept = f"from {statement.module} import " + ", ".join(_alias_text(a) for a in rest)
        return [replace_node(ctx, statement, kept + separator + moved)]
    if isinstance(statement, ast.Import):
        alias = ref.alias
        if alias is None or alias.asname is None or not new_is_module:
            return None
        return [replace_node(ctx, alias, f"{new} as {alias.asname}")]
    if not attribute_ok or not isinstance(ref.node, ast.Attribute):
        return None
    root = ref.node
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return None
    root_name = ctx.qualname(root, ref.scope)
    if root_name is None or not (new == root_name or new.startswith(root_name + ".")):
        return None
    return [replace_node(ctx, ref.node, root.id + new[len(root_name) :])]


def mlflow_module_name(ctx: PythonContext) -> str | None:
    """A module-level name bound only to the `mlflow` package (`import mlflow [as mf]`)."""
    found = []
    for name, bindings in ctx.model.module_scope.bindings.items():
        if bindings and all(b.kind == "import" and b.imported == "mlflow" for b in bindings):
            found.append(name)
    if "mlflow" in found:
        return "mlflow"
    return found[0] if found else None


def module_root(ctx: PythonContext, func: ast.expr, scope: Scope) -> str | None:
    """For `mf.x.f`, the text `mf` when it names the `mlflow` package."""
    root = func
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name) and root is not func and ctx.qualname(root, scope) == "mlflow":
        return root.id
    return None


def string_value(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# Removed names --------------------------------------------------------------------------
def removed_name_findings(
    rule: Rule, ctx: PythonContext, table: dict[str, dict]
) -> Iterator[Finding]:
    """Findings for references to names of the removed-names table."""
    for ref in references(ctx, table):
        entry = table[ref.name]
        if not reaches(ctx, entry["gone_by"]):
            continue
        replacement = entry.get("replacement")
        when = (
            f"was removed in MLflow {short_version(entry['removed_in'])}"
            if entry["removed_in"]
            else f"is gone in MLflow 3 (absent from {entry['gone_by']})"
        )
        label = "module" if entry["kind"] == "module" else "name"
        message = f"`{entry['name']}` {when}"
        if replacement:
            message += f"; use `{replacement}`"
        elif entry.get("note"):
            message += f"; {entry['note']}"
        else:
            message += f"; this {label} has no MLflow 3 replacement"
        fix = Fix(Applicability.DISPLAY_ONLY, f"Use `{replacement}`" if replacement else "Remove")
        if replacement and entry["applicability"] != "display-only":
            is_module = entry["kind"] == "module"
            edits = move_edits(ctx, ref, replacement, is_module, entry.get("attribute_ok", False))
            if edits:
                fix = Fix(
                    Applicability(entry["applicability"]),
                    f"Use `{replacement}`",
                    lambda e=edits: e,
                    works_on_2x=bool(entry.get("works_on_2x")),
                )
        yield ctx.report(rule, ref.node, message, fix)


# Command lines --------------------------------------------------------------------------
_RUNNERS = {
    "subprocess.run",
    "subprocess.Popen",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "os.system",
    "os.popen",
}


@dataclass
class Token:
    text: str
    node: ast.expr  # the string literal (or list element) holding it


@dataclass
class Command:
    """An `mlflow …` command line built in Python and run through `subprocess` / `os`."""

    call: ast.Call
    tokens: list[Token]  # from the word after `mlflow` on
    container: ast.expr  # the list or string literal holding the command
    is_list: bool

    def words(self) -> list[str]:
        return [t.text for t in self.tokens]

    def has_option(self, *options: str) -> bool:
        return self.option(*options) is not None

    def option(self, *options: str) -> Token | None:
        for token in self.tokens:
            if token.text in options or any(token.text.startswith(o + "=") for o in options):
                return token
        return None

    def option_value(self, *options: str) -> Token | None:
        for index, token in enumerate(self.tokens):
            for option in options:
                if token.text.startswith(option + "="):
                    return Token(token.text.split("=", 1)[1], token.node)
                if token.text == option and index + 1 < len(self.tokens):
                    return self.tokens[index + 1]
        return None


def _resolve_value(ctx: PythonContext, expr: ast.expr, scope: Scope) -> ast.expr:
    """A name bound once by assignment stands for its value."""
    if isinstance(expr, ast.Name):
        bindings = ctx.model.lookup(expr.id, scope) or []
        if len(bindings) == 1 and bindings[0].kind == "assign" and bindings[0].value is not None:
            return bindings[0].value
    return expr


def _tokens(expr: ast.expr) -> tuple[list[Token], bool] | None:
    if isinstance(expr, ast.List | ast.Tuple):
        tokens = []
        for element in expr.elts:
            text = string_value(element)
            tokens.append(Token(text if text is not None else "\0", element))
        return tokens, True
    text = string_value(expr)
    if text is None:
        return None
    try:
        words = shlex.split(text, comments=False)
    except ValueError:
        words = text.split()
    return [Token(word, expr) for word in words], False


_MLFLOW_WORD = re.compile(r"(^|[/\\])mlflow(\.exe)?$")


def commands(ctx: PythonContext) -> Iterator[Command]:
    """`mlflow …` command lines passed to subprocess / os functions."""
    for site in ctx.calls_to(*_RUNNERS):
        argument = site.node.args[0] if site.node.args else None
        if argument is None:
            keyword = site.keyword("args")
            argument = keyword.value if keyword is not None else None
        if argument is None:
            continue
        container = _resolve_value(ctx, argument, site.scope)
        parsed = _tokens(container)
        if parsed is None:
            continue
        tokens, is_list = parsed
        words = [t.text for t in tokens]
        for index, word in enumerate(words):
            if _MLFLOW_WORD.search(word) and not (index and words[index - 1] == "-m"):
                yield Command(site.node, tokens[index + 1 :], container, is_list)
                break
            if word == "mlflow" and index and words[index - 1] == "-m":
                yield Command(site.node, tokens[index + 1 :], container, is_list)
                break
