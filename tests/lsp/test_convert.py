"""The hand-written wire form of diagnostics must equal lsprotocol's own."""

from __future__ import annotations

from lsprotocol import types as lsp
from pygls.protocol import default_converter

from mlflow_upgrade.lsp.convert import diagnostic_json


def _range(line: int) -> lsp.Range:
    return lsp.Range(lsp.Position(line, 4), lsp.Position(line, 17))


def test_diagnostic_json_matches_lsprotocol() -> None:
    full = lsp.Diagnostic(
        range=_range(3),
        message="`artifact_path` is deprecated",
        severity=lsp.DiagnosticSeverity.Warning,
        code="MLF101",
        code_description=lsp.CodeDescription(href="file:///docs/rules/MLF101.md"),
        source="mlflow-upgrade",
        tags=[lsp.DiagnosticTag.Deprecated],
        related_information=[
            lsp.DiagnosticRelatedInformation(
                lsp.Location("file:///a.py", _range(1)), "the model is logged here"
            )
        ],
        data={"code": "MLF101", "offsets": [3, 9], "fix": None},
    )
    bare = lsp.Diagnostic(range=_range(0), message="too large", source="mlflow-upgrade")
    converter = default_converter()
    for diagnostic in (full, bare):
        assert diagnostic_json(diagnostic) == converter.unstructure(diagnostic)
