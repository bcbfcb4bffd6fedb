"""Building fixes: libcst rewrites of the smallest piece of code, as minimal text edits.

A fix parses only the call or statement it changes (not the whole module), applies
a libcst transformation that keeps comments and formatting, and turns the
difference into one text edit covering just the characters that changed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from mlflow_upgrade.engine.findings import TextEdit
from mlflow_upgrade.python.context import PythonContext

_NO_SPACE = cst.SimpleWhitespace("")


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


class _CallTransformer(cst.CSTTransformer):
    def __init__(self, change: CallChange) -> None:
        self.change = change
        self.depth = 0

    def visit_Call(self, node: cst.Call) -> bool:
        self.depth += 1
        return self.depth == 1  # only the outermost call: nested calls stay untouched

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        self.depth -= 1
        if self.depth:
            return updated
        return updated.with_changes(args=self._arguments(updated.args))

    def _arguments(self, args: tuple[cst.Arg, ...]) -> list[cst.Arg]:
        change = self.change
        result: list[cst.Arg] = []
        position = 0
        for arg in args:
            if arg.keyword is None and not arg.star:
                name = change.positional_to_keyword.get(position)
                position += 1
                if name is not None:
                    arg = arg.with_changes(
                        keyword=cst.Name(name),
                        equal=cst.AssignEqual(
                            whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE
                        ),
                    )
            if arg.keyword is not None and arg.keyword.value in change.remove:
                continue
            if arg.keyword is not None and arg.keyword.value in change.values:
                arg = arg.with_changes(value=cst.parse_expression(change.values[arg.keyword.value]))
            if arg.keyword is not None and arg.keyword.value in change.rename:
                arg = arg.with_changes(keyword=cst.Name(change.rename[arg.keyword.value]))
            result.append(arg)
        for name, value in change.add.items():
            result.append(
                cst.Arg(
                    value=cst.parse_expression(value),
                    keyword=cst.Name(name),
                    equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE),
                )
            )
        return _fix_commas(result, args)


def _fix_commas(result: list[cst.Arg], original: tuple[cst.Arg, ...]) -> list[cst.Arg]:
    """Keep the original comma and line layout after arguments were removed or added."""
    if not result or not original:
        return result
    closing = original[-1]  # how the original argument list ended
    trailing = not isinstance(closing.comma, cst.MaybeSentinel)
    separator = _separator(original)
    fixed = []
    for index, arg in enumerate(result):
        last = index == len(result) - 1
        if not last and (isinstance(arg.comma, cst.MaybeSentinel) or arg.comma is closing.comma):
            arg = arg.with_changes(comma=separator, whitespace_after_arg=_NO_SPACE)
        elif last and not trailing:
            arg = arg.with_changes(
                comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=closing.whitespace_after_arg
            )
        elif last and isinstance(arg.comma, cst.MaybeSentinel):
            arg = arg.with_changes(comma=closing.comma)
        elif last and arg.comma is not closing.comma:
            arg = arg.with_changes(comma=_ending_like(arg.comma, closing.comma))
        fixed.append(arg)
    return fixed


def _separator(original: tuple[cst.Arg, ...]) -> cst.Comma:
    """The comma between two arguments as the call writes it (without any comment)."""
    for arg in original[:-1]:
        if isinstance(arg.comma, cst.Comma):
            after = arg.comma.whitespace_after
            if isinstance(after, cst.ParenthesizedWhitespace):
                after = after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
            return arg.comma.with_changes(whitespace_after=after)
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _ending_like(own: cst.Comma, closing: cst.Comma) -> cst.Comma:
    """`own` comma (keeping its comment) followed by the closing comma's line break."""
    mine, theirs = own.whitespace_after, closing.whitespace_after
    if isinstance(mine, cst.ParenthesizedWhitespace) and isinstance(
        theirs, cst.ParenthesizedWhitespace
    ):
        return own.with_changes(
            whitespace_after=mine.with_changes(indent=theirs.indent, last_line=theirs.last_line)
        )
    return closing


def edit_call(ctx: PythonContext, call: ast.Call, change: CallChange) -> TextEdit:
    """Rewrite a call's arguments with libcst, keeping comments and layout."""
    source = ctx.source(call)
    return minimal_edit(ctx.start(call), source, rewrite_call_source(source, change))


def rewrite_call_source(source: str, change: CallChange) -> str:
    """The source of a call (given as text) with its arguments changed."""
    wrapped = cst.parse_expression(f"({source})")
    rewritten = wrapped.visit(_CallTransformer(change))
    return cst.Module(body=[]).code_for_node(rewritten)[1:-1]


def keyword_for_positional(
    call: ast.Call, parameters: list[str], first: int
) -> dict[int, str] | None:
    """Map positional arguments from index `first` to their parameter names.

    None when that is impossible (star-args, or more positionals than parameters).
    """
    if any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > len(parameters):
        return None
    return {i: parameters[i] for i in range(first, len(call.args))}
