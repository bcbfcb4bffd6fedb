"""What the tracking, evaluation and removed-module rules share.

Finding the places that refer to a removed or renamed MLflow object (imports, attribute
chains, names bound by imports), environment-variable keys written as strings, and the
small text edits that move or rename an import without touching anything else.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mlflow_upgrade.engine.findings import TextEdit
from mlflow_upgrade.engine.settings import version_tuple
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.semantic import Scope

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})

# Calls whose first argument is the name of an environment variable.
_ENV_FUNCTIONS = {
    "os.getenv",
    "os.getenvb",
    "os.putenv",
    "os.unsetenv",
    "os.environ.get",
    "os.environ.setdefault",
    "os.environ.pop",
    "os.environ.__getitem__",
    "os.environ.__setitem__",
    "os.environ.__delitem__",
}
# Methods that take a variable name first whatever the receiver (pytest's monkeypatch).
_ENV_METHODS = {"setenv", "delenv"}
# Keyword arguments that take a mapping of environment variables (subprocess, docker, …).
_ENV_KEYWORDS = {"env", "envs", "environ", "environment", "env_vars", "environment_variables"}
_FROM_MODULE = re.compile(r"from\s+((?:\.\s*)*[\w.\s\\]*?)\s+import\b")
_IDENTIFIER_CHAR = re.compile(r"[\w]")


# Tree navigation -------------------------------------------------------------
def loaded_names(ctx: PythonContext) -> set[str]:
    """Every identifier read somewhere in the module."""
    cached = getattr(ctx, "_mlflow_upgrade_names", None)
    if cached is None:
        cached = {
            node.id
            for node in ast.walk(ctx.tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }
        ctx._mlflow_upgrade_names = cached  # type: ignore[attr-defined]
    return cached


def all_identifiers(ctx: PythonContext) -> set[str]:
    """Every identifier bound or read in the module (to invent names that clash with none)."""
    names: set[str] = set()
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def unique_name(wanted: str, taken: set[str]) -> str:
    name, counter = wanted, 2
    while name in taken:
        name, counter = f"{wanted}_{counter}", counter + 1
    taken.add(name)
    return name


def _catches(expr: ast.expr | None, names: frozenset[str]) -> bool:
    if expr is None:  # a bare `except:` handles every failure
        return True
    if isinstance(expr, ast.Tuple):
        return any(_catches(e, names) for e in expr.elts)
    name = expr.id if isinstance(expr, ast.Name) else getattr(expr, "attr", None)
    return name in names or name in ("Exception", "BaseException")


def in_try_body(ctx: PythonContext, node: ast.AST, exceptions: frozenset[str]) -> bool:
    """Inside the body of a `try` with a handler for one of `exceptions`: the code already
    expects that the MLflow object may be missing."""
    parent_of = ctx.model.parent_of
    child, parent = node, parent_of(node)
    while parent is not None:
        if (
            isinstance(parent, ast.Try | ast.TryStar)
            and any(statement is child for statement in parent.body)
            and any(_catches(handler.type, exceptions) for handler in parent.handlers)
        ):
            return True
        child, parent = parent, parent_of(parent)
    return False


def uses_mlflow(ctx: PythonContext) -> bool:
    """The module imports MLflow (directly or through a project module that re-exports it)."""
    for statement, scope in ctx.model.imports:
        if isinstance(statement, ast.Import):
            if any(api.is_mlflow(alias.name) for alias in statement.names):
                return True
        elif api.is_mlflow(statement.module) and not statement.level:
            return True
        else:
            for alias in statement.names:
                local = ast.Name(id=alias.asname or alias.name, ctx=ast.Load())
                if api.is_mlflow(ctx.qualname(local, scope)):
                    return True
    return False


def target_reached(ctx: PythonContext, version: str) -> bool:
    """The configured target MLflow version includes the change made in `version`."""
    return version_tuple(version) <= version_tuple(ctx.settings.target_version)


# Lines and statements --------------------------------------------------------
@dataclass(frozen=True)
class Lines:
    """Where a statement sits: its indentation, and the end of its last line."""

    indent: str
    line_end: int


def statement_lines(ctx: PythonContext, statement: ast.stmt) -> Lines | None:
    """The statement's layout when it is alone on its lines (a comment may follow), else None."""
    index = ctx.document.index
    start, end = ctx.start(statement), ctx.end(statement)
    first = index.position(start).line
    line_start = index.line_starts[first]
    indent = ctx.text[line_start:start]
    if indent.strip():
        return None
    last = index.position(end).line
    rest = index.line_text(last)[index.position(end).column :]
    if rest.strip() and not rest.lstrip().startswith("#"):
        return None
    return Lines(indent, index.line_starts[last] + len(index.line_text(last)))


def add_module_import(ctx: PythonContext, line: str) -> TextEdit:
    """An edit adding the import statement `line` at the head of the module: after its last
    leading import, else before its first statement that is not the docstring."""
    newline = ctx.document.newline
    last = None
    for statement in ctx.tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            last = statement
        elif last is not None or not _is_docstring(statement):
            break
    lines = statement_lines(ctx, last) if last is not None else None
    if lines is not None and not lines.indent:
        return TextEdit(lines.line_end, lines.line_end, newline + line)
    code = [s for s in ctx.tree.body if not _is_docstring(s)] or ctx.tree.body
    if not code:
        return TextEdit(0, 0, line + newline)
    if code[0] is ctx.tree.body[0] or not _is_docstring(ctx.tree.body[0]):
        at = ctx.document.index.line_starts[code[0].lineno - 1]
        return TextEdit(at, at, line + newline)
    docstring = statement_lines(ctx, ctx.tree.body[0])
    at = docstring.line_end if docstring is not None else ctx.end(ctx.tree.body[0])
    return TextEdit(at, at, newline + line)


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


# Imports -----------------------------------------------------------------------
def from_module_span(ctx: PythonContext, statement: ast.ImportFrom) -> tuple[int, int] | None:
    """The offsets of the module name in `from <module> import …`."""
    source = ctx.source(statement)
    match = _FROM_MODULE.match(source)
    if match is None:
        return None
    written = re.sub(r"[\s\\]", "", match.group(1))
    if written != "." * statement.level + (statement.module or ""):
        return None
    start = ctx.start(statement)
    return start + match.start(1), start + match.end(1)


def alias_name_end(ctx: PythonContext, alias: ast.alias) -> int | None:
    """End offset of the imported name of an alias, when it is written without spaces."""
    start = ctx.start(alias)
    end = start + len(alias.name)
    return end if ctx.text[start:end] == alias.name else None


def rename_alias(ctx: PythonContext, alias: ast.alias, new_name: str) -> TextEdit | None:
    """Replace the imported name of an alias (`old as x` → `new as x`)."""
    end = alias_name_end(ctx, alias)
    return TextEdit(ctx.start(alias), end, new_name) if end is not None else None


def move_import(
    ctx: PythonContext,
    statement: ast.ImportFrom,
    alias: ast.alias,
    new_module: str,
    new_name: str | None = None,
) -> list[TextEdit] | None:
    """Import `alias` from `new_module` instead (as `new_name`, keeping the local name).

    The only name of a `from` import has its module replaced; one of several moves to a new
    `from` import on the next line. None when the layout does not allow a clean edit.
    """
    local = alias.asname or alias.name
    name = new_name or alias.name
    imported = name if name == local else f"{name} as {local}"
    if len(statement.names) == 1:
        span = from_module_span(ctx, statement)
        if span is None:
            return None
        edits = [TextEdit(span[0], span[1], new_module)]
        if imported != ctx.source(alias):
            edits.append(TextEdit(ctx.start(alias), ctx.end(alias), imported))
        return edits
    lines = statement_lines(ctx, statement)
    if lines is None:
        return None
    newline = ctx.document.newline
    return [
        _remove_alias(ctx, statement, alias),
        TextEdit(
            lines.line_end,
            lines.line_end,
            f"{newline}{lines.indent}from {new_module} import {imported}",
        ),
    ]


def _remove_alias(ctx: PythonContext, statement: ast.ImportFrom, alias: ast.alias) -> TextEdit:
    names = statement.names
    index = next(i for i, other in enumerate(names) if other is alias)
    if index + 1 < len(names):
        return TextEdit(ctx.start(alias), ctx.start(names[index + 1]), "")
    return TextEdit(ctx.end(names[index - 1]), ctx.end(alias), "")


def rename_name_uses(ctx: PythonContext, name: str, qualname: str, new_name: str) -> list[TextEdit]:
    """Rename every read of `name` that refers to `qualname`."""
    return [
        TextEdit(ctx.start(node), ctx.end(node), new_name)
        for node, scope in ctx.model.name_loads(name)
        if ctx.qualname(node, scope) == qualname
    ]


def mlflow_reference(ctx: PythonContext, node: ast.AST, scope: Scope) -> str | None:
    """A name that refers to the `mlflow` package where `node` is, if one is bound."""
    for statement, _ in ctx.model.imports:
        if not isinstance(statement, ast.Import):
            continue
        for alias in statement.names:
            if alias.name == "mlflow" or (
                alias.asname is None and alias.name.startswith("mlflow.")
            ):
                local = alias.asname or "mlflow"
                if ctx.qualname(ast.Name(id=local, ctx=ast.Load()), scope) == "mlflow":
                    return local
    return None


# References to MLflow objects --------------------------------------------------
@dataclass(frozen=True)
class Site:
    """A place that refers to a matched MLflow object."""

    node: ast.AST  # ast.alias, ast.ImportFrom, ast.Attribute or ast.Name
    qualname: str
    scope: Scope | None = None
    statement: ast.Import | ast.ImportFrom | None = None  # for imports

    @property
    def is_import(self) -> bool:
        return self.statement is not None


def import_sites(
    ctx: PythonContext,
    matches: Callable[[str], bool],
    guard: frozenset[str] = IMPORT_ERRORS,
) -> Iterator[Site]:
    """Import statements (a whole `from` import of a matched module) or aliases that import a
    matched object; imports in a `try` that handles their failure are left alone."""
    for statement, scope in ctx.model.imports:
        if in_try_body(ctx, statement, guard):
            continue
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if matches(api.canonical(alias.name)):
                    yield Site(alias, api.canonical(alias.name), scope, statement)
            continue
        if statement.level or not statement.module:
            continue
        module = api.canonical(statement.module)
        if matches(module):
            yield Site(statement, module, scope, statement)
            continue
        for alias in statement.names:
            full = api.canonical(f"{statement.module}.{alias.name}")
            if matches(full):
                yield Site(alias, full, scope, statement)


def attribute_sites(
    ctx: PythonContext, matches: Callable[[str], bool], attributes: set[str]
) -> Iterator[Site]:
    """The attribute of a chain where it first reaches a matched object (`mlflow.fastai` in
    `mlflow.fastai.autolog()`), for chains whose last step is one of `attributes`."""
    for attribute in attributes:
        for node, scope in ctx.model.attribute_accesses(attribute):
            qualname = ctx.qualname(node, scope)
            if qualname is None or not matches(qualname):
                continue
            if matches(ctx.qualname(node.value, scope) or ""):
                continue
            yield Site(node, qualname, scope)


def name_sites(ctx: PythonContext, matches: Callable[[str], bool]) -> Iterator[Site]:
    """Reads of names that refer to a matched object (bound by an import or an assignment)."""
    for name in sorted(loaded_names(ctx)):
        for node, scope in ctx.model.name_loads(name):
            qualname = ctx.qualname(node, scope)
            if qualname is not None and matches(qualname):
                yield Site(node, qualname, scope)


def under(*prefixes: str) -> Callable[[str], bool]:
    """A matcher for the objects named `prefix` or inside it (`prefix.…`)."""
    return lambda name: any(name == p or name.startswith(p + ".") for p in prefixes)


def which(name: str, prefixes: tuple[str, ...] | list[str]) -> str | None:
    return next((p for p in prefixes if name == p or name.startswith(p + ".")), None)


# Text inside strings ---------------------------------------------------------------
def occurrences(ctx: PythonContext, node: ast.AST, text: str) -> Iterator[int]:
    """Offsets of `text` in the source of a string literal, as a whole word (the next and
    previous characters are no identifier characters)."""
    source = ctx.source(node)
    start = ctx.start(node)
    at = source.find(text)
    while at >= 0:
        before = source[at - 1] if at else ""
        after = source[at + len(text)] if at + len(text) < len(source) else ""
        if not _IDENTIFIER_CHAR.match(before) and not _IDENTIFIER_CHAR.match(after):
            yield start + at
        at = source.find(text, at + len(text))


# Environment variables -----------------------------------------------------------------
@dataclass(frozen=True)
class EnvKey:
    """An environment variable name used as a key: a string literal or a keyword argument."""

    name: str
    start: int
    end: int
    node: ast.AST


def env_keys(ctx: PythonContext, wanted: Callable[[str], bool]) -> Iterator[EnvKey]:
    """Environment variable names (accepted by `wanted`) used as keys of the environment:
    `os.environ[...]`, `os.environ.get/setdefault/pop(...)`, `os.getenv(...)`, `... in
    os.environ`, `monkeypatch.setenv/delenv(...)`, keys of a dict that extends `os.environ`,
    is passed as `env=` or to `os.environ.update`/`patch.dict(os.environ, ...)`, and keyword
    arguments of `os.environ.update(...)`."""
    for node, scope in ctx.model.strings:
        value = node.value
        if not wanted(value) or not _is_env_key(ctx, node, scope):
            continue
        at = ctx.source(node).find(value)
        if at >= 0:
            start = ctx.start(node) + at
            yield EnvKey(value, start, start + len(value), node)
    for call in ctx.model.calls_matching("update", lambda name: name == "os.environ.update"):
        for keyword in call.node.keywords:
            if keyword.arg is not None and wanted(keyword.arg):
                start = ctx.start(keyword)
                yield EnvKey(keyword.arg, start, start + len(keyword.arg), keyword)


def _is_environ(ctx: PythonContext, expr: ast.expr | None, scope: Scope) -> bool:
    if expr is None:
        return False
    if isinstance(expr, ast.Constant):
        return expr.value == "os.environ"
    return ctx.qualname(expr, scope) == "os.environ"


def _is_env_key(ctx: PythonContext, node: ast.expr, scope: Scope, depth: int = 0) -> bool:
    """`node` is used as the name of an environment variable (directly, or through a
    variable it is assigned to: `KEY = "..."; os.environ[KEY]`)."""
    parent = ctx.model.parent_of(node)
    if (
        depth == 0
        and isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        name = parent.targets[0].id
        return any(
            _is_env_key(ctx, load, load_scope, depth + 1)
            for load, load_scope in ctx.model.name_loads(name)
            if ctx.model.lookup(name, load_scope) is ctx.model.lookup(name, scope)
        )
    if isinstance(parent, ast.Subscript) and parent.slice is node:
        return _is_environ(ctx, parent.value, scope)
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is node:
        func = parent.func
        if ctx.qualname(func, scope) in _ENV_FUNCTIONS:
            return True
        if isinstance(func, ast.Attribute):
            if func.attr in _ENV_METHODS:
                return True
            return func.attr in {"get", "setdefault", "pop"} and _is_environ(ctx, func.value, scope)
        return False
    if isinstance(parent, ast.Compare) and parent.left is node:
        return isinstance(parent.ops[0], ast.In | ast.NotIn) and _is_environ(
            ctx, parent.comparators[0], scope
        )
    if isinstance(parent, ast.Dict) and any(key is node for key in parent.keys):
        return _is_env_dict(ctx, parent, scope)
    return False


def _is_env_dict(ctx: PythonContext, mapping: ast.Dict, scope: Scope) -> bool:
    if any(
        key is None and _is_environ(ctx, value, scope)
        for key, value in zip(mapping.keys, mapping.values, strict=True)
    ):
        return True
    if _in_env_position(ctx, mapping, scope):
        return True
    parent = ctx.model.parent_of(mapping)
    if (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        name = parent.targets[0].id
        return any(
            _in_env_position(ctx, load, load_scope)
            for load, load_scope in ctx.model.name_loads(name)
            if load_scope is scope
        )
    return False


def _in_env_position(ctx: PythonContext, expr: ast.expr, scope: Scope) -> bool:
    """`expr` is passed where a mapping of environment variables goes."""
    parent = ctx.model.parent_of(expr)
    if isinstance(parent, ast.keyword):
        return parent.arg in _ENV_KEYWORDS
    if isinstance(parent, ast.Dict):  # `{**os.environ, **expr}`
        splatted = any(
            key is None and value is expr
            for key, value in zip(parent.keys, parent.values, strict=True)
        )
        return splatted and _is_env_dict(ctx, parent, scope)
    if isinstance(parent, ast.Call) and any(arg is expr for arg in parent.args):
        if ctx.qualname(parent.func, scope) == "os.environ.update":
            return True
        return any(_is_environ(ctx, arg, scope) for arg in parent.args if arg is not expr)
    return False
