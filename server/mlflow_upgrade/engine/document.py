"""Documents: text in, positions and offsets out, and faithful bytes back.

Every finding is located in code points (what Python strings count); the adapters
convert to UTF-16 or UTF-8 columns for LSP clients and to 1-based columns for the CLI.
"""

from __future__ import annotations

import bisect
import codecs
import enum
import re
import tokenize
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from mlflow_upgrade.engine.findings import Position, Span, TextEdit

_NEWLINE = re.compile(r"\r\n|\r|\n")


class FileKind(str, enum.Enum):
    PYTHON = "python"
    NOTEBOOK = "notebook"
    GATEWAY_YAML = "gateway-yaml"
    YAML = "yaml"
    SHELL = "shell"
    DOCKERFILE = "dockerfile"
    MAKEFILE = "makefile"
    PROCFILE = "procfile"
    DOTENV = "dotenv"
    REQUIREMENTS = "requirements"
    PYPROJECT = "pyproject"
    SETUP_CFG = "setup-cfg"
    CONDA = "conda"
    MLPROJECT = "mlproject"


class LineIndex:
    """Maps between absolute character offsets and (line, column) positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        # ASCII text has the same columns in every encoding: no per-line conversion.
        self.is_ascii = text.isascii()

    def line_count(self) -> int:
        return len(self.line_starts)

    def line_text(self, line: int) -> str:
        """The line without its terminator."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, position: Position) -> int:
        line = min(position.line, len(self.line_starts) - 1)
        return min(self.line_starts[line] + position.column, len(self.text))

    def position(self, offset: int) -> Position:
        return Position(*self.line_column(offset))

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line, offset - self.line_starts[line]

    def span(self, start: int, end: int) -> Span:
        return Span(self.position(start), self.position(end))

    def offset_from_utf8(self, lineno: int, byte_col: int) -> int:
        """Offset of an ast position (1-based line, UTF-8 byte column)."""
        line = self.line_text(lineno - 1)
        column = (
            byte_col if line.isascii() else len(line.encode()[:byte_col].decode(errors="ignore"))
        )
        return self.line_starts[lineno - 1] + column

    def column_in(self, position: Position, encoding: str) -> int:
        """The column of a position counted in another encoding's units (LSP)."""
        if encoding == "utf-32" or self.is_ascii:
            return position.column
        prefix = self.line_text(position.line)[: position.column]
        if prefix.isascii():
            return len(prefix)
        if encoding == "utf-8":
            return len(prefix.encode())
        return len(prefix.encode("utf-16-le")) // 2

    def column_from(self, line: int, units: int, encoding: str) -> int:
        """Code-point column for a column given in an encoding's units (LSP)."""
        text = self.line_text(line) if line < len(self.line_starts) else ""
        if encoding == "utf-32" or text.isascii():
            return min(units, len(text))
        codec = "utf-8" if encoding == "utf-8" else "utf-16-le"
        width = 1 if encoding == "utf-8" else 2
        encoded = text.encode(codec)[: units * width]
        return len(encoded.decode(codec, errors="ignore"))


@dataclass
class Document:
    """A text being analysed, with where it came from and how to write it back."""

    text: str
    path: Path | None = None
    kind: FileKind = FileKind.PYTHON
    encoding: str = "utf-8"
    bom: bool = False
    _index: LineIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> LineIndex:
        if self._index is None or self._index.text is not self.text:
            self._index = LineIndex(self.text)
        return self._index

    @property
    def newline(self) -> str:
        match = _NEWLINE.search(self.text)
        return match.group() if match else "\n"

    def with_text(self, text: str) -> Document:
        return Document(text, self.path, self.kind, self.encoding, self.bom)

    def encode(self) -> bytes:
        data = self.text.encode(self.encoding)
        return (codecs.BOM_UTF8 + data) if self.bom else data


class UnreadableFile(Exception):
    """The file is binary or cannot be decoded; the message says why."""


def decode_source(data: bytes, path: Path | None = None) -> Document:
    """Decode bytes as Python does (BOM, PEP 263 cookie), keeping what is needed to write back."""
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file (contains NUL bytes)")
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    encoding = "utf-8"
    if path is None or path.suffix in {".py", ".pyi", ""}:
        try:
            encoding, _ = tokenize.detect_encoding(BytesIO(data).readline)
        except SyntaxError as error:  # undecodable without a PEP 263 declaration
            raise UnreadableFile(f"cannot decode as utf-8: {error}") from error
        encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise UnreadableFile(f"cannot decode as {encoding}: {error}") from error
    return Document(text, path, encoding=encoding, bom=bom)


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """Apply non-overlapping edits (the caller has removed overlaps)."""
    pieces: list[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)
