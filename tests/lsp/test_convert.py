"""The hand-built wire form of diagnostics must be exactly what lsprotocol would send."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pygls.protocol import default_converter

from mlflow_upgrade.engine.document import LineIndex
from mlflow_upgrade.engine.findings import Finding, Severity
from mlflow_upgrade.lsp.convert import (
    diagnostic_json,
    info_diagnostic,
    range_json,
    related_json,
    to_range,
    typed_diagnostic,
)

TEXT = 'import mlflow\nx = "🚀é"; mlflow.log_model(m, artifact_path="a")\n'


def _finding(deprecated: bool) -> Finding:
    index = LineIndex(TEXT)
    start = TEXT.index("artifact_path")
    end = start + len("artifact_path")
    return Finding(
        code="MLF101",
        message="`artifact_path` is deprecated",
        span=index.span(start, end),
        start_offset=start,
        end_offset=end,
        severity=Severity.WARNING,
        deprecated=deprecated,
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_range_json_equals_the_typed_range(encoding: str) -> None:
    index = LineIndex(TEXT)
    converter = default_converter()
    for start in range(len(TEXT)):
        end = min(len(TEXT), start + 7)
        expected = converter.unstructure(to_range(index, start, end, encoding))
        assert range_json(index, start, end, encoding) == expected


@pytest.mark.parametrize("deprecated", [True, False])
def test_wire_diagnostic_round_trips_through_lsprotocol(deprecated: bool) -> None:
    index = LineIndex(TEXT)
    finding = _finding(deprecated)
    range_ = range_json(index, finding.start_offset, finding.end_offset, "utf-16")
    related = [related_json("file:///a.py", range_json(index, 0, 6, "utf-16"), "logged here")]
    data = {"code": "MLF101", "offsets": [finding.start_offset, finding.end_offset], "fix": None}
    converter = default_converter()
    for wire in (
        diagnostic_json(finding, range_, data, related),
        diagnostic_json(finding, range_, None),
        info_diagnostic("too large"),
    ):
        typed = typed_diagnostic(wire)
        assert converter.unstructure(typed) == wire
        assert converter.unstructure(converter.structure(wire, lsp.Diagnostic)) == wire
    full = typed_diagnostic(diagnostic_json(finding, range_, data, related))
    assert full.severity == lsp.DiagnosticSeverity.Warning
    assert (lsp.DiagnosticTag.Deprecated in (full.tags or [])) == deprecated
    assert full.related_information and full.related_information[0].message == "logged here"
