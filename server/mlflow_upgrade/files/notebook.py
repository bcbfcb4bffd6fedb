"""Jupyter notebooks in the CLI: check and fix `.ipynb` files cell by cell.

The code cells are analysed together, in order, as one Python module (an import in
cell 1 resolves a call in cell 3): `files.cells.join_cells` joins them with IPython
syntax blanked, so offsets in the joined text are offsets in the cells. Shell escapes
(`!cmd`, `x = !cmd`, `%sx`, `%%bash`/`%%sh` cells, Databricks `%sh` cells) and the
`%pip`/`%conda`/`%env` magics are collected into a second document of the same layout
that the shell-command rules read (MLF503-MLF506).

Findings are reported per cell: `notebook.ipynb:cell N:row:col`, where N counts every
cell of the notebook (markdown included, as editors number them) from 1 and row/col
are within the cell. Fixes rewrite only the `source` of the cells they change, in place
in the JSON text: outputs, metadata, cell ids, key order, indentation and the
list-of-lines or single-string form of `source` stay exactly as they were.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field, replace
from json.decoder import scanstring
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlflow_upgrade.cli.report import FileReport, report_finding
from mlflow_upgrade.engine.analyze import Engine
from mlflow_upgrade.engine.document import Document, FileKind, LineIndex, apply_edits
from mlflow_upgrade.engine.findings import Finding, TextEdit
from mlflow_upgrade.engine.fixer import MAX_PASSES, choose_edits, wanted
from mlflow_upgrade.engine.suppression import file_suppressed
from mlflow_upgrade.files.cells import JoinedCells, Magic, edits_per_cell, join_cells
from mlflow_upgrade.python.parse import parses

if TYPE_CHECKING:
    from mlflow_upgrade.cli.process import Job


class NotebookError(ValueError):
    """The file is not a notebook this module can read; the message says why."""


# Reading the JSON with positions ----------------------------------------------------------

_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, i: int) -> int:
    return _WHITESPACE.match(text, i).end()  # type: ignore[union-attr]


def _members(text: str, i: int) -> list[tuple[str, int, int]]:
    """(key, value start, value end) of the JSON object starting at `text[i]`."""
    if text[i] != "{":
        raise NotebookError("expected a JSON object")
    i = _skip(text, i + 1)
    out: list[tuple[str, int, int]] = []
    if text[i] == "}":
        return out
    while True:
        if text[i] != '"':
            raise NotebookError("expected a key")
        key, i = scanstring(text, i + 1)
        i = _skip(text, i)
        if text[i] != ":":
            raise NotebookError("expected ':'")
        start = _skip(text, i + 1)
        _, end = _DECODER.raw_decode(text, start)
        out.append((key, start, end))
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)
        elif text[i] == "}":
            return out
        else:
            raise NotebookError("expected ',' or '}'")


def _elements(text: str, i: int) -> list[tuple[int, int]]:
    """(start, end) of each element of the JSON array starting at `text[i]`."""
    if text[i] != "[":
        raise NotebookError("expected a JSON array")
    i = _skip(text, i + 1)
    out: list[tuple[int, int]] = []
    if text[i] == "]":
        return out
    while True:
        _, end = _DECODER.raw_decode(text, i)
        out.append((i, end))
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)
        elif text[i] == "]":
            return out
        else:
            raise NotebookError("expected ',' or ']'")


@dataclass
class Cell:
    number: int  # 1-based position among all cells
    cell_type: str
    source: str
    span: tuple[int, int] | None  # where the `source` value sits in the JSON text
    as_list: bool  # `source` is a list of lines (else one string)


@dataclass
class Notebook:
    text: str  # the JSON text (BOM removed)
    bom: bool
    cells: list[Cell]
    language: str

    @property
    def code_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.cell_type == "code"]


def read_notebook(data: bytes) -> Notebook:
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotebookError(f"not UTF-8: {error}") from error
    try:
        start = _skip(text, 0)
        members = {key: (s, e) for key, s, e in _members(text, start)}
        metadata = json.loads(text[slice(*members["metadata"])]) if "metadata" in members else {}
        cells = []
        if "cells" in members:
            for number, (s, _) in enumerate(_elements(text, members["cells"][0]), start=1):
                cells.append(_cell(text, s, number))
    except (IndexError, ValueError) as error:  # JSONDecodeError is a ValueError
        raise NotebookError(f"not a readable notebook: {error}") from error
    return Notebook(text, bom, cells, _language(metadata))


def _cell(text: str, start: int, number: int) -> Cell:
    fields = {key: (s, e) for key, s, e in _members(text, start)}
    cell_type = json.loads(text[slice(*fields["cell_type"])]) if "cell_type" in fields else ""
    span = fields.get("source")
    value: Any = json.loads(text[slice(*span)]) if span else ""
    as_list = isinstance(value, list)
    source = "".join(value) if as_list else str(value)
    return Cell(number, str(cell_type), source, span, as_list)


def _language(metadata: Any) -> str:
    if not isinstance(metadata, dict):
        return "python"
    for key, field_name in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field_name), str):
            return section[field_name].lower()
    return "python"


# Writing sources back --------------------------------------------------------------------


def _split_lines(source: str) -> list[str]:
    return [line for line in re.split(r"(?<=\n)", source) if line]


def _dump_source(original: str, source: str, as_list: bool, ensure_ascii: bool) -> str:
    """The JSON of a new `source` value, laid out like the original value."""
    if not as_list:
        return json.dumps(source, ensure_ascii=ensure_ascii)
    items = [json.dumps(line, ensure_ascii=ensure_ascii) for line in _split_lines(source)]
    if not items:
        return "[]"
    layout = re.match(r"\[(?P<lead>\s*)", original)
    lead = layout.group("lead") if layout else ""
    if "\n" not in lead:
        return "[" + ", ".join(items) + "]"
    closing = re.search(r"(?P<trail>\s*)\]$", original)
    trail = closing.group("trail") if closing else "\n"
    return "[" + lead + ("," + lead).join(items) + trail + "]"


def write_notebook(notebook: Notebook, sources: dict[int, str]) -> bytes:
    """The notebook's bytes with the given cells' sources (by cell number) replaced."""
    text = notebook.text
    ensure_ascii = text.isascii() and "\\u" in text
    edits = []
    for cell in notebook.cells:
        if cell.number not in sources or cell.span is None:
            continue
        original = text[slice(*cell.span)]
        new = _dump_source(original, sources[cell.number], cell.as_list, ensure_ascii)
        edits.append(TextEdit(cell.span[0], cell.span[1], new))
    data = apply_edits(text, edits).encode("utf-8")
    return (codecs.BOM_UTF8 + data) if notebook.bom else data


# Analysis --------------------------------------------------------------------------------

# Databricks notebooks exported as .ipynb start shell / non-Python cells with a line magic.
_DATABRICKS_CELL = re.compile(r"^[ \t]*%(?P<name>sh|bash|md|sql|scala|r|fs|python)\b")
_SHELL_LINE_MAGIC = re.compile(r"^[ \t]*%(?P<name>pip|conda|mamba|env|set_env|sh|sx|system)\b")
_ESCAPE_PREFIX = re.compile(r"^(?:[ \t]*[\w.,\[\] \t]+=)?[ \t]*(?:!!?|%%?(?:sx|system)\b)")


@dataclass
class NotebookAnalysis:
    joined: JoinedCells
    python: Document
    shell: Document
    findings: list[Finding] = field(default_factory=list)
    python_findings: set[int] = field(default_factory=set)  # ids of findings from `python`
    syntax_error: SyntaxError | None = None
    internal_errors: list[str] = field(default_factory=list)
    magic_ranges: list[tuple[int, int]] = field(default_factory=list)


def _blank(text: str) -> str:
    return re.sub(r"[^\r\n]", " ", text)


def build_documents(
    sources: list[str], path: Path | None
) -> tuple[JoinedCells, Document, Document, list[tuple[int, int]]]:
    """The joined Python document, the shell document of the same layout, and the
    offset ranges of the lines blanked in the Python one."""
    joined = join_cells(sources)
    text = joined.text
    index = LineIndex(text)
    shell = list(_blank(text))
    python = list(text)
    ranges: list[tuple[int, int]] = []

    def line_span(cell: int, line: int) -> tuple[int, int]:
        first = joined.range_of(cell).first_line + line
        start = index.line_starts[first]
        return start, start + len(index.line_text(first))

    def put_shell(start: int, content: str) -> None:
        shell[start : start + len(content)] = content

    for magic in joined.magics:
        start, end = line_span(magic.cell, magic.line)
        ranges.append((start, end))
        content = _shell_content(magic)
        if content is not None:
            put_shell(start, content)
    # Databricks `%sh` / `%md` / `%sql` cells: the whole cell is not Python.
    for cell in joined.cells:
        source = sources[cell.index]
        first_line = source.split("\n", 1)[0]
        match = _DATABRICKS_CELL.match(first_line)
        if match is None or first_line.lstrip().startswith("%%"):
            continue
        lines = source.splitlines()
        for number, line in enumerate(lines):
            start, end = line_span(cell.index, number)
            python[start:end] = " " * (end - start)
            ranges.append((start, end))
            if match.group("name") in {"sh", "bash"}:
                content = line
                if number == 0:
                    content = " " * match.end() + line[match.end() :]
                put_shell(start, content)
    python_text = "".join(python)
    if python_text != text:
        joined = JoinedCells(python_text, joined.cells, joined.magics)
    python_doc = Document(python_text, path, FileKind.PYTHON)
    shell_doc = Document("".join(shell), path, FileKind.SHELL)
    return joined, python_doc, shell_doc, sorted(ranges)


def _shell_content(magic: Magic) -> str | None:
    """A blanked line as the shell sees it (prefix blanked), or None if it is not shell."""
    line = magic.text
    if magic.kind == "shell":
        prefix = _ESCAPE_PREFIX.match(line)
        if prefix is None:
            return line  # a `%%bash` body line or a continuation line
        return " " * prefix.end() + line[prefix.end() :]
    if magic.kind == "line-magic":
        match = _SHELL_LINE_MAGIC.match(line)
        if match is None:
            return None
        keep_name = match.group("name") in {"pip", "conda", "mamba"}
        cut = match.start("name") if keep_name else match.end()
        return " " * cut + line[cut:]
    return None


def analyse(engine: Engine, sources: list[str], path: Path | None) -> NotebookAnalysis:
    joined, python_doc, shell_doc, ranges = build_documents(sources, path)
    result = NotebookAnalysis(joined, python_doc, shell_doc, magic_ranges=ranges)
    if file_suppressed("".join(sources)):
        return result
    python = engine.analyze(python_doc)
    result.syntax_error = python.syntax_error
    result.internal_errors += python.internal_errors
    result.findings += python.findings
    result.python_findings = {id(f) for f in python.findings}
    if shell_doc.text.strip():
        shell = engine.analyze(shell_doc)
        result.internal_errors += shell.internal_errors
        result.findings += shell.findings
    result.findings.sort(key=Finding.sort_key)
    return result


def _python_fix_fits(analysis: NotebookAnalysis, finding: Finding) -> bool:
    """A Python fix may not touch a blanked magic line nor cross a cell boundary."""
    for edit in finding.fix.edits if finding.fix else []:
        cell = analysis.joined.cell_at_offset(edit.start)
        if edit.end > cell.end:
            return False
        if any(edit.start < end and start < edit.end for start, end in analysis.magic_ranges):
            return False
    return True


def fix_sources(
    engine: Engine,
    sources: list[str],
    path: Path | None,
    unsafe: bool = False,
    compatible_only: bool = False,
) -> tuple[list[str], int, NotebookAnalysis]:
    """Apply fixes to the code cells' sources until stable: (new sources, fixes, analysis)."""
    applied = 0
    analysis = analyse(engine, sources, path)
    for _ in range(MAX_PASSES):
        candidates = [
            f
            for f in analysis.findings
            if wanted(f, unsafe, compatible_only)
            and (
                id(f) not in analysis.python_findings
                or (analysis.syntax_error is None and _python_fix_fits(analysis, f))
            )
        ]
        chosen, edits = choose_edits(candidates)
        if not edits:
            break
        python_chosen = [f for f in chosen if id(f) in analysis.python_findings]
        if python_chosen and not parses(
            apply_edits(analysis.python.text, [e for f in python_chosen for e in f.fix.edits])
        ):
            chosen = [f for f in chosen if id(f) not in analysis.python_findings]
            _, edits = choose_edits(chosen)
            if not edits:
                break
        new_sources = _split_edits(analysis.joined, sources, edits)
        if new_sources == sources:
            break
        sources = new_sources
        applied += len(chosen)
        analysis = analyse(engine, sources, path)
    return sources, applied, analysis


def _split_edits(joined: JoinedCells, sources: list[str], edits: list[TextEdit]) -> list[str]:
    """Apply joined-text edits to the cells' own sources (offsets carry over unchanged)."""
    per_cell = edits_per_cell(joined, [(e.start, e.end, e.replacement) for e in edits])
    return [
        apply_edits(source, [TextEdit(*edit) for edit in per_cell[i]]) if i in per_cell else source
        for i, source in enumerate(sources)
    ]


# The CLI entry point ------------------------------------------------------------------------


def _cell_finding(finding: Finding, joined: JoinedCells, cell_index: LineIndex) -> Finding:
    """The finding with offsets and positions relative to its cell."""
    cell = joined.cell_at_offset(finding.start_offset)
    shift = cell.start
    start = finding.start_offset - shift
    end = min(finding.end_offset, cell.end) - shift
    fix = finding.fix
    if fix is not None and fix.compute is not None:
        original = fix
        fix = replace(
            original,
            compute=lambda: [
                TextEdit(e.start - shift, e.end - shift, e.replacement) for e in original.edits
            ],
        )
    return replace(
        finding,
        span=cell_index.span(start, end),
        start_offset=start,
        end_offset=end,
        fix=fix,
    )


def _readable(notebook: Notebook, sources: dict[int, str]) -> str:
    """The code cells as text, for `fix --diff`."""
    parts = []
    for cell in notebook.code_cells:
        source = sources.get(cell.number, cell.source)
        parts.append(f"# cell {cell.number}\n{source}{'' if source.endswith(chr(10)) else chr(10)}")
    return "".join(parts)


def process_notebook(engine: Engine, job: Job, path: Path, data: bytes) -> FileReport:
    """Check (and with `job.fix`, fix) one notebook."""
    try:
        notebook = read_notebook(data)
    except NotebookError as error:
        return FileReport(path, error=str(error))
    code_cells = notebook.code_cells
    report = FileReport(path, original=_readable(notebook, {}))
    if notebook.language != "python" or not code_cells:
        return report
    sources = [cell.source for cell in code_cells]
    if job.fix:
        new_sources, applied, analysis = fix_sources(
            engine, sources, path, job.unsafe, job.compatible_only
        )
        changed = {
            cell.number: new
            for cell, old, new in zip(code_cells, sources, new_sources, strict=True)
            if new != old
        }
        if changed:
            report.fixed = _readable(notebook, changed)
            report.new_bytes = write_notebook(notebook, changed)
            report.fixed_count = applied
        sources = new_sources
    else:
        analysis = analyse(engine, sources, path)
    if analysis.syntax_error is not None:
        error = analysis.syntax_error
        line = (error.lineno or 1) - 1
        position = analysis.joined.to_cell_position(line, (error.offset or 1) - 1)
        number = code_cells[position[0]].number
        report.error = (
            f"syntax error at cell {number}:{position[1] + 1}:{position[2] + 1}: {error.msg}"
            + (" (Python fixes not applied)" if job.fix else "")
        )
    for problem in analysis.internal_errors:
        report.error = (
            report.error + "; " if report.error else ""
        ) + f"internal error in {problem}"
    indexes = [LineIndex(source) for source in sources]
    for finding in analysis.findings:
        cell = analysis.joined.cell_at_offset(finding.start_offset)
        relative = _cell_finding(finding, analysis.joined, indexes[cell.index])
        report.findings.append(
            report_finding(
                relative,
                indexes[cell.index],
                path,
                cell=code_cells[cell.index].number,
                with_edits=job.with_edits,
            )
        )
    return report
