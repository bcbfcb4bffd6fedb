"""Joining notebook cells into one Python text, and mapping positions back to cells.

A Jupyter notebook is analysed as one module: the code cells in order, so an import
in cell 1 resolves a call in cell 3. IPython syntax that is not Python (line magics
`%…`, cell magics `%%…`, shell escapes `!…`, `x = !cmd`, help lines `obj?`) is
blanked: its characters become spaces, so every offset of the joined text still
points at the same character of the cell it came from. The blanked lines are kept
in `JoinedCells.magics` for rules that read shell commands.

Pure functions and plain data: the CLI's `.ipynb` support and the language server's
notebook sync both build on this module.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_NEWLINE = re.compile(r"\r\n|\r|\n")

# Cell magics whose body is still Python: only their first line is blanked.
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "autoreload", "python"}
)
# `x = !ls`, `x = %env`: an assignment whose value is an IPython escape.
_ASSIGNED_ESCAPE = re.compile(r"^[ \t]*[\w.,\[\] \t]+=[ \t]*[!%]")
# `obj?`, `obj??`, `?obj`, `??obj`: help lines.
_HELP = re.compile(r"^[ \t]*(\?{1,2}[\w.*]+|[\w.*]+\?{1,2})[ \t]*$")


@dataclass(frozen=True)
class Magic:
    """A line of IPython syntax that was blanked in the joined text."""

    cell: int
    line: int  # 0-based line within the cell
    text: str  # the original line, without its terminator
    kind: str  # "shell" (`!cmd`, `%%bash` bodies, `%sx`), "line-magic", "cell-magic", "help"


@dataclass(frozen=True)
class CellRange:
    """Where one cell sits in the joined text."""

    index: int  # the position of the cell in the list given to `join_cells`
    start: int  # offset of the cell's first character in the joined text
    end: int  # offset just past the cell's own text (before any added newline)
    first_line: int  # line of the joined text where the cell begins
    line_count: int  # number of lines of the cell (at least 1)


@dataclass
class JoinedCells:
    """The joined Python text plus the maps between it and the cells."""

    text: str
    cells: list[CellRange]
    magics: list[Magic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [cell.start for cell in self.cells]
        self._first_lines = [cell.first_line for cell in self.cells]

    # Joined → cell ---------------------------------------------------------
    def cell_at_offset(self, offset: int) -> CellRange:
        """The cell holding a joined offset (the separator newline belongs to the cell before)."""
        position = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        return self.cells[position]

    def cell_at_line(self, line: int) -> CellRange:
        position = max(bisect.bisect_right(self._first_lines, line) - 1, 0)
        return self.cells[position]

    def to_cell_offset(self, offset: int) -> tuple[int, int]:
        """(cell index, offset within the cell's text) of a joined offset."""
        cell = self.cell_at_offset(offset)
        return cell.index, min(offset - cell.start, cell.end - cell.start)

    def to_cell_position(self, line: int, column: int) -> tuple[int, int, int]:
        """(cell index, line within the cell, column) of a joined line and column.

        Every cell starts at the beginning of a line, so columns carry over unchanged.
        """
        cell = self.cell_at_line(line)
        return cell.index, line - cell.first_line, column

    # Cell → joined ---------------------------------------------------------
    def range_of(self, cell_index: int) -> CellRange:
        for cell in self.cells:
            if cell.index == cell_index:
                return cell
        raise KeyError(cell_index)

    def to_joined_offset(self, cell_index: int, offset: int) -> int:
        cell = self.range_of(cell_index)
        return cell.start + max(0, min(offset, cell.end - cell.start))

    def to_joined_position(self, cell_index: int, line: int, column: int) -> tuple[int, int]:
        cell = self.range_of(cell_index)
        return cell.first_line + line, column


def _lines(text: str) -> list[str]:
    """Lines with their terminators; a trailing empty line is not counted."""
    return text.splitlines(keepends=True)


def _body(line: str) -> str:
    return line.rstrip("\r\n")


def _blank(line: str, keep_indent_pass: bool = False) -> str:
    """The line with its characters replaced by spaces (terminator kept).

    An indented escape inside a block becomes `pass` when it fits, so a block whose
    only statement was a magic still parses.
    """
    body = _body(line)
    ending = line[len(body) :]
    if keep_indent_pass:
        stripped = body.lstrip(" \t")
        indent = body[: len(body) - len(stripped)]
        if indent and len(stripped) >= 4:
            return indent + "pass" + " " * (len(stripped) - 4) + ending
    return " " * len(body) + ending


def _escape_kind(stripped: str) -> str | None:
    if stripped.startswith("!"):
        return "shell"
    if stripped.startswith("%%"):
        return "cell-magic"
    if stripped.startswith("%"):
        return "shell" if stripped[1:].startswith(("sx", "system")) else "line-magic"
    if _HELP.match(stripped):
        return "help"
    return None


def blank_ipython(source: str, cell: int = 0) -> tuple[str, list[Magic]]:
    """A cell's source with IPython-only syntax blanked, and the blanked lines."""
    lines = _lines(source)
    magics: list[Magic] = []
    if not lines:
        return source, magics
    first = _body(lines[0]).strip()
    if first.startswith("%%"):
        name = first[2:].split(maxsplit=1)[0] if len(first) > 2 else ""
        magics.append(Magic(cell, 0, _body(lines[0]), "cell-magic"))
        lines[0] = _blank(lines[0])
        if name not in PYTHON_CELL_MAGICS:
            kind = "shell" if name in {"bash", "sh", "script", "system"} else "cell-magic"
            for number in range(1, len(lines)):
                magics.append(Magic(cell, number, _body(lines[number]), kind))
                lines[number] = _blank(lines[number])
            return "".join(lines), magics
    number = 1 if first.startswith("%%") else 0
    while number < len(lines):
        body = _body(lines[number])
        stripped = body.strip()
        kind = _escape_kind(stripped)
        if kind is None and _ASSIGNED_ESCAPE.match(body):
            kind = "shell" if body.split("=", 1)[1].lstrip().startswith("!") else "line-magic"
        if kind is None:
            number += 1
            continue
        # An escape continues over lines ending in a backslash.
        while True:
            magics.append(Magic(cell, number, _body(lines[number]), kind))
            continued = _body(lines[number]).endswith("\\")
            lines[number] = _blank(lines[number], keep_indent_pass=True)
            number += 1
            if not continued or number >= len(lines):
                break
    return "".join(lines), magics


def join_cells(sources: Sequence[str], blank_magics: bool = True) -> JoinedCells:
    """Join cell sources in order into one text; each cell starts on a fresh line."""
    pieces: list[str] = []
    cells: list[CellRange] = []
    magics: list[Magic] = []
    offset = 0
    line = 0
    for index, source in enumerate(sources):
        text = source
        if blank_magics:
            text, found = blank_ipython(source, index)
            magics.extend(found)
        line_count = max(len(_NEWLINE.findall(text)) + (0 if _ends_with_newline(text) else 1), 1)
        cells.append(CellRange(index, offset, offset + len(text), line, line_count))
        pieces.append(text)
        offset += len(text)
        if not _ends_with_newline(text):
            pieces.append("\n")
            offset += 1
        line += line_count
    return JoinedCells("".join(pieces), cells, magics)


def _ends_with_newline(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def edits_per_cell(
    joined: JoinedCells, edits: Sequence[tuple[int, int, str]]
) -> dict[int, list[tuple[int, int, str]]]:
    """Split joined-text edits `(start, end, replacement)` into per-cell offset edits.

    An edit must lie within one cell (findings never span cells); edits that cross a
    cell boundary are dropped, because applying them would merge cells.
    """
    out: dict[int, list[tuple[int, int, str]]] = {}
    for start, end, replacement in edits:
        cell = joined.cell_at_offset(start)
        if end > cell.end and not (end == cell.end + 1 and start == end):
            continue
        out.setdefault(cell.index, []).append(
            (start - cell.start, min(end, cell.end) - cell.start, replacement)
        )
    return out
