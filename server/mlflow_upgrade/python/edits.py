"""Building fixes: libcst rewrites of the smallest piece of code, as minimal text edits.

A fix parses only the call or statement it changes (not the whole module), applies
a libcst transformation that keeps comments and formatting, and turns the
difference into one text edit covering just the characters that changed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from mlflow_upgrade.engine.findings import TextEdit
from mlflow_upgrade.python.context import PythonContext


def minimal_edit(start: int, old: str, new: str) -> TextEdit:
    """One edit that replaces only the differing middle of `old` with that of `new`."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return TextEdit(start + prefix, start + len(old) - suffix, new[prefix : len(new) - suffix])


def replace_node(ctx: PythonContext, node: ast.AST, replacement: str) -> TextEdit:
    return minimal_edit(ctx.start(node), ctx.source(node), replacement)


def rename_keyword(ctx: PythonContext, keyword: ast.keyword, new_name: str) -> TextEdit:
    start = ctx.start(keyword)
    return TextEdit(start, start + len(keyword.arg or ""), new_name)


def rename_attribute(ctx: PythonContext, attribute: ast.Attribute, new_name: str) -> TextEdit:
    end = ctx.end(attribute)
    return TextEdit(end - len(attribute.attr), end, new_name)


def replace_in_string(ctx: PythonContext, node: ast.AST, old: str, new: str) -> TextEdit | None:
    """Replace text inside a string literal's source, whatever its quoting."""
    source = ctx.source(node)
    at = source.find(old)
    if at < 0:
        return None
    start = ctx.start(node) + at
    return TextEdit(start, start + len(old), new)


@dataclass
class CallChange:
    """What to do to a call's arguments."""

    positional_to_keyword: dict[int, str] = field(default_factory=dict)
    rename: dict[str, str] = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)
    add: dict[str, str] = field(default_factory=dict)  # keyword -> source code of the value
    values: dict[str, str] = field(default_factory=dict)  # keyword -> new source of its value


def edit_call(ctx: PythonContext, call: ast.Call, change: CallChange) -> TextEdit:
    """Rewrite a call's arguments with libcst, keeping comments and layout."""
    source = ctx.source(call)
    return minimal_edit(ctx.start(call), source, rewrite_call_source(source, change))


def rewrite_call_source(source: str, change: CallChange) -> str:
    """The source of a call (given as text) with its arguments changed."""
    # libcst loads only when a fix is actually built: it costs half a second at start-up.
    from mlflow_upgrade.python.cst_rewrite import rewrite_call

    return rewrite_call(source, change)


def without_comments(expression: str) -> str:
    """An expression's source without its comments (libcst, loaded on demand)."""
    from mlflow_upgrade.python import cst_rewrite

    return cst_rewrite.without_comments(expression)


def extend_dict_source(source: str, entries: dict[str, str], quote: str) -> str:
    """A dictionary literal's source with entries added, keeping its layout."""
    from mlflow_upgrade.python import cst_rewrite

    return cst_rewrite.extend_dict_source(source, entries, quote)


def keyword_for_positional(
    call: ast.Call, parameters: list[str], first: int
) -> dict[int, str] | None:
    """Map positional arguments from index `first` to their parameter names.

    None when that is impossible (star-args, or more positionals than parameters).
    """
    if any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > len(parameters):
        return None
    return {i: parameters[i] for i in range(first, len(call.args))}
