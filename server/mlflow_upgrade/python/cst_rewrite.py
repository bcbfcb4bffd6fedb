"""Every libcst transformation the fixes use, in one module that loads only on demand.

Detection never needs libcst; importing it costs about half a second, so the CLI and
the language server start without it and the first fix pays for it once.
"""

from __future__ import annotations

import libcst as cst

from mlflow_upgrade.python.edits import CallChange

_NO_SPACE = cst.SimpleWhitespace("")


def rewrite_call(source: str, change: CallChange) -> str:
    """The source of a call (given as text) with its arguments changed."""
    return _transformed(source, _CallTransformer(change))


def without_comments(expression: str) -> str:
    """An expression's source without its comments."""
    return _transformed(expression, _DropComments())


def _transformed(expression: str, transformer: cst.CSTTransformer) -> str:
    # Parenthesised, so that an expression spanning lines parses on its own.
    wrapped = cst.parse_expression(f"({expression})").visit(transformer)
    return cst.Module(body=[]).code_for_node(wrapped)[1:-1]


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


class _DropComments(cst.CSTTransformer):
    def leave_TrailingWhitespace(
        self, original: cst.TrailingWhitespace, updated: cst.TrailingWhitespace
    ) -> cst.TrailingWhitespace:
        if updated.comment is None:
            return updated
        return updated.with_changes(comment=None, whitespace=cst.SimpleWhitespace(""))

    def leave_EmptyLine(
        self, original: cst.EmptyLine, updated: cst.EmptyLine
    ) -> cst.EmptyLine | cst.RemovalSentinel:
        return cst.RemoveFromParent() if updated.comment is not None else updated


def extend_dict_source(source: str, entries: dict[str, str], quote: str) -> str:
    """A dictionary literal's source with entries added at the end, keeping its layout."""
    parsed = cst.parse_expression(source)
    assert isinstance(parsed, cst.Dict)
    elements = list(parsed.elements)
    new = [
        cst.DictElement(cst.SimpleString(f"{quote}{k}{quote}"), cst.parse_expression(v))
        for k, v in entries.items()
    ]
    if not elements:
        updated = parsed.with_changes(elements=new)
        return cst.Module(body=[]).code_for_node(updated)
    closing = elements[-1].comma
    separator = _dict_separator(parsed)
    combined = [
        element.with_changes(comma=separator) if index == len(elements) - 1 else element
        for index, element in enumerate(elements)
    ]
    for index, element in enumerate(new):
        last = index == len(new) - 1
        combined.append(element.with_changes(comma=closing if last else separator))
    updated = parsed.with_changes(elements=combined)
    return cst.Module(body=[]).code_for_node(updated)


def _dict_separator(mapping: cst.Dict) -> cst.Comma:
    """The comma between two entries as the literal writes it (without any comment)."""
    elements = mapping.elements
    for element in elements[:-1]:
        if isinstance(element.comma, cst.Comma):
            return element.comma.with_changes(
                whitespace_after=_no_comment(element.comma.whitespace_after)
            )
    opening = mapping.lbrace.whitespace_after
    if isinstance(opening, cst.ParenthesizedWhitespace):  # one entry per line
        return cst.Comma(whitespace_after=_no_comment(opening))
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _no_comment(whitespace: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return whitespace
