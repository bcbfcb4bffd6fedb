"""Parsing Python with recovery, so half-typed code still yields findings, and
incrementally, so an edit re-parses only the top-level statements it touched.

When CPython's parser rejects a module, the top-level statement around the error
is blanked out (characters replaced by spaces, so offsets stay valid) and parsing
is retried. Findings in the statements that parse keep flowing while the user types.
"""

from __future__ import annotations

import ast
import bisect
import re
import warnings
from dataclasses import dataclass, field

_MAX_RECOVERIES = 25
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTINUATION = re.compile(r"(else|elif|except|finally|case)\b|[)\]}]")


@dataclass
class ParseResult:
    tree: ast.Module | None
    errors: list[SyntaxError] = field(default_factory=list)
    blanked_lines: set[int] = field(default_factory=set)
    reused: int = 0  # top-level statements taken over from an earlier parse (`reparse`)
    line_starts: list[int] | None = None  # of the parsed text, kept for the next `reparse`

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


def reparse(
    text: str,
    previous_text: str,
    previous: ParseResult | None,
    line_starts: list[int] | None = None,
) -> ParseResult:
    """`parse_python(text)`, reusing the top-level statements of `previous`, an earlier
    parse of `previous_text` (None: nothing to reuse), that the edit did not touch.
    `line_starts` are those of `text` if the caller has them; they are kept for the next
    call.

    Only the statements around the changed lines are parsed again. The result is the
    tree a full parse gives (`tests/test_incremental_parse.py` checks this on random
    edits): a region that parses on its own and lies between statement boundaries of
    the unchanged text parses the same inside the module. Reused nodes are shared with
    the earlier tree and never modified, so statements after the edit are reused only
    when it kept the line count (otherwise they are parsed again with their new lines).
    """
    if previous is not None and text == previous_text:
        return previous
    new_starts = line_starts if line_starts is not None else _line_starts(text)
    if previous is None or previous.tree is None or previous.errors:
        return _with_line_starts(parse_python(text), new_starts)
    old_starts = previous.line_starts or _line_starts(previous_text)
    region = _changed_region(previous_text, text, old_starts, new_starts, previous.tree)
    if region is None:
        return _with_line_starts(parse_python(text), new_starts)
    first, last, line_delta, before, after = region
    start = new_starts[first - 1]
    end = len(text) if line_delta or last >= len(new_starts) else new_starts[last]
    try:
        # Blank lines in front give the region's nodes their line numbers in the module.
        fresh = parse_quietly("\n" * (first - 1) + text[start:end])
    except (SyntaxError, ValueError):
        return parse_python(text)  # the full parse reports (and recovers from) the error
    body = previous.tree.body
    tail = body[len(body) - after :] if after and not line_delta else []
    tree = ast.Module(body=[*body[:before], *fresh.body, *tail], type_ignores=[])
    return ParseResult(tree, reused=before + len(tail), line_starts=new_starts)


def _with_line_starts(result: ParseResult, line_starts: list[int]) -> ParseResult:
    if not result.errors:
        result.line_starts = line_starts
    return result


def _changed_region(
    old: str, new: str, old_starts: list[int], new_starts: list[int], tree: ast.Module
) -> tuple[int, int, int, int, int] | None:
    """(first and last line to parse again, 1-based, in the old text's numbering; the
    change in line count; statements kept before; statements kept after), or None."""
    prefix = _common_prefix(old, new)
    suffix = _common_suffix(old, new, prefix)
    first_changed = bisect.bisect_right(old_starts, prefix)
    last_changed = bisect.bisect_right(old_starts, len(old) - suffix)
    line_delta = len(new_starts) - len(old_starts)
    statements = tree.body
    starts = [_first_line(statement) for statement in statements]
    # Statements ending before the change are kept. When it starts between statements,
    # the one before it is parsed again too: added lines (indented, `else:`) may
    # continue it, and parsing them alone would fail and cost a full parse.
    ends = [statement.end_lineno or 0 for statement in statements]
    before = bisect.bisect_left(ends, first_changed)
    if before == len(statements) or starts[before] > first_changed:
        before = max(0, before - 1)
    first = min(starts[before], first_changed) if before < len(statements) else first_changed
    while before > 0 and ends[before - 1] >= first:  # `a = 1; b = 2`: lines are the unit
        before -= 1
        first = min(first, starts[before])
    after_index = max(before, bisect.bisect_right(starts, last_changed))
    while 0 < after_index < len(statements) and starts[after_index] <= ends[after_index - 1]:
        after_index += 1
    last = starts[after_index] - 1 if after_index < len(statements) else len(old_starts)
    if after_index < before or last + line_delta < first - 1:
        return None
    return first, last, line_delta, before, len(statements) - after_index


def _line_starts(text: str) -> list[int]:
    """Offsets where lines start, with CPython's line breaks (\\n, \\r\\n and \\r)."""
    starts = [match.end() for match in _LINE_BREAK.finditer(text)]
    starts.insert(0, 0)
    return starts


def _first_line(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", ())
    return min([statement.lineno, *(d.lineno for d in decorators)])


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, by bisection on slices (compared at C speed)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, prefix: int) -> int:
    """Length of the common suffix that does not overlap the common prefix."""
    low, high = 0, min(len(a), len(b)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low
