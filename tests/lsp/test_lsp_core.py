"""Diagnostics, hover, quick fix, fix-all and suppression, in every client profile."""

from __future__ import annotations

import pytest
from lsp_helpers import EXPECTED, WORKSPACE, find_range, uri_of
from lsprotocol import types

# One server per client profile for the whole run; each test opens its own document.
pytestmark = pytest.mark.asyncio(loop_scope="session")

TRAIN = WORKSPACE / "train.py"


def text() -> str:
    return TRAIN.read_text(encoding="utf-8")


@pytest.fixture
def URI(request) -> str:
    """A document of its own per test (not on disk; the workspace's settings apply)."""
    return uri_of(WORKSPACE / f"{request.node.originalname}.py")


async def opened(lsp, uri: str) -> list[types.Diagnostic]:
    lsp.open(uri, text())
    return await lsp.diagnostics(uri)


async def test_diagnostics(lsp, URI):
    diagnostics = await opened(lsp, URI)
    source = text()
    assert [d.code for d in diagnostics] == ["MLF101"] * 3
    for d in diagnostics:
        assert d.source == "mlflow-upgrade"
        assert d.severity == types.DiagnosticSeverity.Warning
        assert list(d.tags) == [types.DiagnosticTag.Deprecated]
        assert d.code_description is not None and d.code_description.href.endswith("MLF101.md")
        assert d.data["fix"]["applicability"] == "safe"
    # Columns in the negotiated encoding, also after an emoji and an accented letter.
    expected = [
        find_range(source, 'artifact_path="model"', lsp.encoding),
        find_range(source, 'artifact_path="emoji"', lsp.encoding),
        find_range(source, '"positional"', lsp.encoding),
    ]
    assert [d.range for d in diagnostics] == expected
    if not lsp.pull:
        assert [p.version for p in lsp.recorder.for_uri(URI)] == [1]


async def test_hover(lsp, URI):
    await opened(lsp, URI)
    source = text()
    where = find_range(source, 'artifact_path="emoji"', lsp.encoding)
    inside = types.Position(where.start.line, where.start.character + 3)
    hover = await lsp.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(URI), inside)
    )
    assert hover is not None and hover.range == where
    content = hover.contents
    assert isinstance(content, types.MarkupContent)
    assert content.kind == types.MarkupKind.Markdown  # every profile lists markdown first
    assert "MLF101" in content.value and "artifact-path-to-name" in content.value
    assert "MLflow 3.0" in content.value
    assert 'artifact_path="model"' in content.value and 'name="model"' in content.value
    assert "safe fix" in content.value
    # Nothing to say outside a reported range.
    nothing = await lsp.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(URI), types.Position(0, 0))
    )
    assert nothing is None


async def test_quickfix(lsp, URI):
    diagnostics = await opened(lsp, URI)
    first = diagnostics[0]
    actions = await lsp.code_actions(URI, first.range, [types.CodeActionKind.QuickFix], [first])
    fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [a.title for a in fixes] == ["Rename `artifact_path=` to `name=`"]
    assert fixes[0].is_preferred
    # Nothing but quick fixes when the client asks for quick fixes.
    assert all(a.kind.startswith("quickfix") for a in actions)
    action = await lsp.resolved(fixes[0])
    assert lsp.apply(action.edit, URI) == (EXPECTED / "train_first_fix.py").read_text("utf-8")


async def test_fix_all(lsp, URI):
    await opened(lsp, URI)
    whole = find_range(text(), "import", lsp.encoding)
    actions = await lsp.code_actions(URI, whole, [types.CodeActionKind.SourceFixAll])
    assert [a.kind for a in actions] == ["source.fixAll.mlflow-upgrade"]
    action = await lsp.resolved(actions[0])
    assert lsp.apply(action.edit, URI) == (EXPECTED / "train_all_fixes.py").read_text("utf-8")
    # The exact kind works too (Eglot filters kinds by equality).
    again = await lsp.code_actions(URI, whole, ["source.fixAll.mlflow-upgrade"])
    assert len(again) == 1
    assert await lsp.code_actions(URI, whole, ["refactor"]) == []


async def test_suppression_action(lsp, URI):
    diagnostics = await opened(lsp, URI)
    emoji = diagnostics[1]
    actions = await lsp.code_actions(URI, emoji.range, [types.CodeActionKind.QuickFix], [emoji])
    noqa = [a for a in actions if a.title == "Suppress with `# noqa: MLF101`"]
    assert len(noqa) == 1 and noqa[0].kind == "quickfix.noqa"
    fixed = lsp.apply(noqa[0].edit, URI)
    assert (
        'mlflow.sklearn.log_model("🚀é" and model, artifact_path="emoji")  # noqa: MLF101\n'
        in fixed
    )
    lsp.replace(URI, fixed)
    after = await lsp.diagnostics(URI)
    assert len(after) == 2 and emoji.range not in [d.range for d in after]
