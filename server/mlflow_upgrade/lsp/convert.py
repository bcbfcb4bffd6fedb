"""Engine values → LSP values: ranges in the negotiated encoding, diagnostics, edits."""

from __future__ import annotations

import difflib

from lsprotocol import types as lsp

from mlflow_upgrade.docs_gen import rule_url
from mlflow_upgrade.engine.document import LineIndex
from mlflow_upgrade.engine.findings import Finding, Position, Severity, TextEdit

SOURCE = "mlflow-upgrade"

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFORMATION: lsp.DiagnosticSeverity.Information,
    Severity.HINT: lsp.DiagnosticSeverity.Hint,
}


def to_position(index: LineIndex, position: Position, encoding: str) -> lsp.Position:
    return lsp.Position(position.line, index.column_in(position, encoding))


def to_range(index: LineIndex, start: int, end: int, encoding: str) -> lsp.Range:
    """The client range of two code-point offsets of `index.text`."""
    return lsp.Range(
        to_position(index, index.position(start), encoding),
        to_position(index, index.position(end), encoding),
    )


def position_json(index: LineIndex, offset: int, encoding: str) -> dict:
    line, column = index.line_column(offset)
    if encoding != "utf-32" and not index.is_ascii:
        column = index.column_in(Position(line, column), encoding)
    return {"line": line, "character": column}


def range_json(index: LineIndex, start: int, end: int, encoding: str) -> dict:
    """The wire form of `to_range`: diagnostics are built as JSON directly (see below)."""
    return {
        "start": position_json(index, start, encoding),
        "end": position_json(index, end, encoding),
    }


def diagnostic_json(
    finding: Finding, range_: dict, data: dict | None, related: list[dict] | None = None
) -> dict:
    """A finding's diagnostic, in its wire form.

    Diagnostics are published as plain JSON: building lsprotocol objects and
    serialising them through cattrs costs about 0.1 ms a diagnostic, which on a file
    with hundreds of findings was most of the time between an edit and its squiggles.
    The typed form (`typed_diagnostic`) is made only for the few a code action names.
    """
    payload: dict = {
        "range": range_,
        "message": finding.message,
        "severity": int(SEVERITY[finding.severity]),
        "code": finding.code,
        "source": SOURCE,
    }
    href = rule_url(finding.code)
    if href:
        payload["codeDescription"] = {"href": href}
    if finding.deprecated:
        payload["tags"] = [int(lsp.DiagnosticTag.Deprecated)]
    if related:
        payload["relatedInformation"] = related
    if data is not None:
        payload["data"] = data
    return payload


def related_json(uri: str, range_: dict, message: str) -> dict:
    return {"location": {"uri": uri, "range": range_}, "message": message}


def info_diagnostic(message: str) -> dict:
    zero = {"line": 0, "character": 0}
    return {
        "range": {"start": zero, "end": zero},
        "message": message,
        "severity": int(lsp.DiagnosticSeverity.Information),
        "source": SOURCE,
    }


def typed_range(wire: dict) -> lsp.Range:
    start, end = wire["start"], wire["end"]
    return lsp.Range(
        lsp.Position(start["line"], start["character"]), lsp.Position(end["line"], end["character"])
    )


def typed_diagnostic(wire: dict) -> lsp.Diagnostic:
    """The lsprotocol object for a wire diagnostic (code actions carry typed ones)."""
    description = wire.get("codeDescription")
    return lsp.Diagnostic(
        range=typed_range(wire["range"]),
        message=wire["message"],
        severity=lsp.DiagnosticSeverity(wire["severity"]) if "severity" in wire else None,
        code=wire.get("code"),
        code_description=lsp.CodeDescription(href=description["href"]) if description else None,
        source=wire.get("source"),
        tags=[lsp.DiagnosticTag(tag) for tag in wire["tags"]] if "tags" in wire else None,
        related_information=[
            lsp.DiagnosticRelatedInformation(
                lsp.Location(info["location"]["uri"], typed_range(info["location"]["range"])),
                info["message"],
            )
            for info in wire["relatedInformation"]
        ]
        if "relatedInformation" in wire
        else None,
        data=wire.get("data"),
    )


def diff_edits(old: str, new: str) -> list[TextEdit]:
    """Small edits (in code-point offsets of `old`) that turn `old` into `new`.

    Lines are matched first, then each changed block is trimmed to the characters
    that differ, so the editor keeps cursors, folds and undo steps where they were.
    """
    if old == new:
        return []
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits: list[TextEdit] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start, end = starts[i1], starts[i2]
        replacement = "".join(new_lines[j1:j2])
        original = old[start:end]
        prefix = _common_prefix(original, replacement)
        suffix = _common_suffix(original[prefix:], replacement[prefix:])
        edits.append(
            TextEdit(start + prefix, end - suffix, replacement[prefix : len(replacement) - suffix])
        )
    return edits


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    n = 0
    while n < limit and a[n] == b[n]:
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    n = 0
    while n < limit and a[-1 - n] == b[-1 - n]:
        n += 1
    return n
