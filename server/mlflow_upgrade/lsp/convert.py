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


def diagnostic(
    finding: Finding,
    range_: lsp.Range,
    data: dict,
    related: list[lsp.DiagnosticRelatedInformation] | None = None,
) -> lsp.Diagnostic:
    href = rule_url(finding.code)
    return lsp.Diagnostic(
        range=range_,
        message=finding.message,
        severity=SEVERITY[finding.severity],
        code=finding.code,
        code_description=lsp.CodeDescription(href=href) if href else None,
        source=SOURCE,
        tags=[lsp.DiagnosticTag.Deprecated] if finding.deprecated else None,
        related_information=related or None,
        data=data,
    )


def _range_json(range_: lsp.Range) -> dict:
    return {
        "start": {"line": range_.start.line, "character": range_.start.character},
        "end": {"line": range_.end.line, "character": range_.end.character},
    }


def diagnostic_json(diagnostic: lsp.Diagnostic) -> dict:
    """The wire form of a diagnostic, written out by hand.

    lsprotocol's generic (cattrs) serialisation costs about 0.1 ms a diagnostic, which
    on a file with hundreds of findings is most of the time between an edit and its
    squiggles; this does the same in a few microseconds.
    """
    payload: dict = {
        "range": _range_json(diagnostic.range),
        "message": diagnostic.message,
        "source": diagnostic.source,
    }
    if diagnostic.severity is not None:
        payload["severity"] = int(diagnostic.severity)
    if diagnostic.code is not None:
        payload["code"] = diagnostic.code
    if diagnostic.code_description is not None:
        payload["codeDescription"] = {"href": diagnostic.code_description.href}
    if diagnostic.tags:
        payload["tags"] = [int(tag) for tag in diagnostic.tags]
    if diagnostic.related_information:
        payload["relatedInformation"] = [
            {
                "location": {"uri": info.location.uri, "range": _range_json(info.location.range)},
                "message": info.message,
            }
            for info in diagnostic.related_information
        ]
    if diagnostic.data is not None:
        payload["data"] = diagnostic.data
    return payload


def info_diagnostic(message: str) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
        message=message,
        severity=lsp.DiagnosticSeverity.Information,
        source=SOURCE,
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
