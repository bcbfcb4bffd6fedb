"""Parsing Python with recovery, so half-typed code still yields findings.

When CPython's parser rejects a module, the top-level statement around the error
is blanked out (characters replaced by spaces, so offsets stay valid) and parsing
is retried. Findings in the statements that parse keep flowing while the user types.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field

_MAX_RECOVERIES = 25
_CONTINUATION = re.compile(r"(else|elif|except|finally|case)\b|[)\]}]")


@dataclass
class ParseResult:
    tree: ast.Module | None
    errors: list[SyntaxError] = field(default_factory=list)
    blanked_lines: set[int] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_quietly(text: str | bytes) -> ast.Module:
    """`ast.parse` without the warnings (invalid escapes, …) a user's code may raise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences and the like
        return ast.parse(text)


def parses(text: str) -> bool:
    try:
        parse_quietly(text)
    except (SyntaxError, ValueError):
        return False
    return True


def parse_python(text: str) -> ParseResult:
    try:
        return ParseResult(parse_quietly(text))
    except (SyntaxError, ValueError) as error:
        first = error if isinstance(error, SyntaxError) else SyntaxError(str(error))
    result = ParseResult(None, [first])
    lines = text.splitlines(keepends=True)
    current: SyntaxError = first
    for _ in range(_MAX_RECOVERIES):
        start, end = _statement_around(lines, (current.lineno or 1) - 1)
        if all(not line.strip() for line in lines[start:end]):
            break
        for index in range(start, end):
            body = lines[index].rstrip("\r\n")
            lines[index] = " " * len(body) + lines[index][len(body) :]
            result.blanked_lines.add(index)
        try:
            result.tree = parse_quietly("".join(lines))
            return result
        except (SyntaxError, ValueError) as error:
            current = error if isinstance(error, SyntaxError) else SyntaxError(str(error))
    return result


def _is_statement_start(line: str) -> bool:
    return (
        bool(line)
        and not line[0].isspace()
        and not line.startswith("#")
        and not (_CONTINUATION.match(line))
    )


def _statement_around(lines: list[str], error_line: int) -> tuple[int, int]:
    """The line range of the top-level statement that holds `error_line`."""
    error_line = max(0, min(error_line, len(lines) - 1))
    start = error_line
    while start > 0 and not _is_statement_start(lines[start]):
        start -= 1
    while start > 0 and lines[start - 1].startswith("@"):
        start -= 1
    end = error_line + 1
    while end < len(lines) and not _is_statement_start(lines[end]):
        end += 1
    return start, end
