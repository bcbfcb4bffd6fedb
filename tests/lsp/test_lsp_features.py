"""Pull diagnostics, notebooks, syntax-error recovery, settings changes, cancellation and
the 100-edit burst, in every client profile."""

from __future__ import annotations

import asyncio

import pytest
from lsp_helpers import WORKSPACE, apply_text_edits, edits_by_uri, find_range, uri_of
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="session")

SOURCE = (WORKSPACE / "train.py").read_text(encoding="utf-8")


@pytest.fixture
def URI(request) -> str:
    return uri_of(WORKSPACE / f"{request.node.originalname}.py")


async def test_pull_diagnostics(lsp, URI):
    lsp.open(URI, SOURCE)
    first = await lsp.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(URI))
    )
    assert first.kind == "full" and [d.code for d in first.items] == ["MLF101"] * 3
    assert first.result_id
    same = await lsp.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            types.TextDocumentIdentifier(URI), previous_result_id=first.result_id
        )
    )
    assert same.kind == "unchanged" and same.result_id == first.result_id
    lsp.replace(URI, SOURCE.replace('artifact_path="model"', 'name="model"'))
    changed = await lsp.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            types.TextDocumentIdentifier(URI), previous_result_id=first.result_id
        )
    )
    assert changed.kind == "full" and len(changed.items) == 2
    report = await lsp.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_uri = {item.uri: item for item in report.items}
    assert len(by_uri[URI].items) == 2 and by_uri[URI].version == lsp.versions[URI]
    on_disk = by_uri[uri_of(WORKSPACE / "train.py")]
    assert on_disk.version is None and len(on_disk.items) == 3
    lsp.close(URI)


async def test_syntax_error_recovery(lsp, URI):
    """Half-typed code: the statement being typed fails to parse, the others still report."""
    typing = SOURCE + "\ndef half_typed(:\n    mlflow.sklearn.log_model(model, artifact_path=\n"
    lsp.open(URI, typing)
    diagnostics = await lsp.diagnostics(URI)
    assert [d.code for d in diagnostics] == ["MLF101"] * 3
    lsp.close(URI)


async def test_configuration_change(lsp, URI):
    lsp.open(URI, SOURCE)
    assert len(await lsp.diagnostics(URI)) == 3
    errors = [types.DiagnosticSeverity.Error] * 3
    after = len(lsp.recorder.published)
    await lsp.change_settings({"severity": {"MLF101": "error"}, "ignore": []})
    await lsp.diagnostics_until(URI, lambda ds: [d.severity for d in ds] == errors, after)
    after = len(lsp.recorder.published)
    await lsp.change_settings({"ignore": ["MLF101"]})
    await lsp.diagnostics_until(URI, lambda ds: ds == [], after)
    # Unknown or invalid settings: a warning each, defaults, and the server goes on.
    after = len(lsp.recorder.published)
    await lsp.change_settings({"unknownKey": 1, "severity": "loud"})
    await lsp.diagnostics_until(URI, lambda ds: len(ds) == 3, after)
    await lsp.wait_for_message("unknown setting `unknownKey`")
    await lsp.wait_for_message("`severity` must map rule codes")
    # Files over the size limit get one information diagnostic instead of analysis.
    after = len(lsp.recorder.published)
    await lsp.change_settings({"maxFileSize": 100})
    (note,) = await lsp.diagnostics_until(URI, lambda ds: len(ds) == 1, after)
    assert note.severity == types.DiagnosticSeverity.Information and "maxFileSize" in note.message
    after = len(lsp.recorder.published)
    await lsp.change_settings({})
    await lsp.diagnostics_until(URI, lambda ds: len(ds) == 3, after)
    lsp.close(URI)


async def test_hundred_edits_publish_once(lsp, URI):
    lsp.open(URI, SOURCE)
    await lsp.diagnostics(URI)
    await lsp.quiet()  # earlier tests' settings changes may still re-publish
    mark = len(lsp.recorder.published)
    text = SOURCE
    for number in range(100):
        text = text + f"# edit {number}\n"
        lsp.replace(URI, text)
    final = lsp.versions[URI]
    diagnostics = await lsp.diagnostics(URI, after=mark)
    assert len(diagnostics) == 3
    if not lsp.pull:
        await asyncio.sleep(0.3)  # a late publish for an older version would show here
        burst = [p for p in lsp.recorder.published[mark:] if p.uri == URI]
        assert [p.version for p in burst] == [final]
    lsp.close(URI)


async def test_cancel_request(lsp, URI):
    lsp.open(URI, SOURCE)
    await lsp.diagnostics(URI)
    # A long version, so its analysis is surely still running when the cancel arrives.
    calls = "".join(
        f'    mlflow.sklearn.log_model(model, artifact_path="m{n}")\n' for n in range(4000)
    )
    lsp.replace(URI, SOURCE + "with mlflow.start_run():\n" + calls)
    # The hover waits for the new version's analysis; cancel it while it waits.
    request = asyncio.ensure_future(
        lsp.client.protocol.send_request_async(
            types.TEXT_DOCUMENT_HOVER,
            types.HoverParams(types.TextDocumentIdentifier(URI), types.Position(6, 40)),
            msg_id="cancel-me",
        )
    )
    await asyncio.sleep(0.02)  # the request is written when its coroutine runs
    lsp.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="cancel-me"))
    with pytest.raises(Exception, match=r"(?i)cancel"):  # the server answered "cancelled"
        await asyncio.wait_for(request, 10)
    # The server is still fine.
    hover = await lsp.client.text_document_hover_async(
        types.HoverParams(
            types.TextDocumentIdentifier(URI),
            find_range(SOURCE, 'artifact_path="model"', lsp.encoding).start,
        )
    )
    assert hover is not None
    lsp.close(URI)


NOTEBOOK_CELLS = [
    (types.NotebookCellKind.Code, "import mlflow\n%matplotlib inline\n"),
    (types.NotebookCellKind.Code, "!pip install scikit-learn\nmodel = object()\n"),
    (types.NotebookCellKind.Markup, "# Train\nmlflow.sklearn.log_model(artifact_path='x')"),
    (
        types.NotebookCellKind.Code,
        'with mlflow.start_run():\n    mlflow.sklearn.log_model(model, artifact_path="🚀")\n',
    ),
]


async def test_notebook(lsp):
    notebook = uri_of(WORKSPACE / "analysis.ipynb")
    cells = [f"vscode-notebook-cell:{WORKSPACE / 'analysis.ipynb'}#cell{n}" for n in range(4)]
    lsp.client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            types.NotebookDocument(
                uri=notebook,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(kind=kind, document=uri)
                    for (kind, _), uri in zip(NOTEBOOK_CELLS, cells, strict=True)
                ],
            ),
            [
                types.TextDocumentItem(uri, "python" if kind == 2 else "markdown", 1, text)
                for (kind, text), uri in zip(NOTEBOOK_CELLS, cells, strict=True)
            ],
        )
    )
    for uri, (_, text) in zip(cells, NOTEBOOK_CELLS, strict=True):
        lsp.versions[uri] = 1
        lsp.texts[uri] = text
    assert await lsp.diagnostics(cells[0]) == []
    (finding,) = await lsp.diagnostics(cells[3])
    cell_text = NOTEBOOK_CELLS[3][1]
    assert finding.code == "MLF101"
    assert finding.range == find_range(cell_text, 'artifact_path="🚀"', lsp.encoding)
    # Hover and the quick fix work on the cell.
    hover = await lsp.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(cells[3]), finding.range.start)
    )
    assert hover is not None and "MLF101" in hover.contents.value
    (fix,) = [
        a
        for a in await lsp.code_actions(cells[3], finding.range, ["quickfix"], [finding])
        if a.kind == "quickfix"
    ]
    fix = await lsp.resolved(fix)
    assert list(edits_by_uri(fix.edit)) == [cells[3]]
    assert lsp.apply(fix.edit, cells[3]) == cell_text.replace("artifact_path=", "name=")
    # Fix-all edits only the cell that needs it; magics stay.
    (fix_all,) = await lsp.code_actions(cells[3], finding.range, ["source.fixAll"])
    fix_all = await lsp.resolved(fix_all)
    assert list(edits_by_uri(fix_all.edit)) == [cells[3]]
    # Editing a cell re-analyses the notebook.
    fixed = lsp.apply(fix_all.edit, cells[3])
    lsp.versions[cells[3]] = 2
    lsp.versions[notebook] = 2
    end = types.Position(2, 0)
    lsp.client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            types.VersionedNotebookDocumentIdentifier(version=2, uri=notebook),
            types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            types.VersionedTextDocumentIdentifier(uri=cells[3], version=2),
                            [
                                types.TextDocumentContentChangePartial(
                                    types.Range(types.Position(0, 0), end), fixed
                                )
                            ],
                        )
                    ]
                )
            ),
        )
    )
    lsp.texts[cells[3]] = fixed
    assert await lsp.diagnostics(cells[3]) == []
    lsp.client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            types.NotebookDocumentIdentifier(notebook),
            [types.TextDocumentIdentifier(uri) for uri in cells],
        )
    )


async def test_apply_helper_is_independent():
    """The tests' own edit application (not the server's) handles every encoding."""
    text = 'x = "🚀é"; y = 1\n'
    for encoding in ("utf-8", "utf-16", "utf-32"):
        where = find_range(text, "y", encoding)
        assert (
            apply_text_edits(text, [types.TextEdit(where, "z")], encoding) == 'x = "🚀é"; z = 1\n'
        )


async def test_other_file_kinds(lsp):
    """Gateway YAML by name and content; a shell script known only by its languageId."""
    configs = WORKSPACE / "configs"
    gateway = uri_of(configs / "gateway.yaml")
    text = (configs / "gateway.yaml").read_text(encoding="utf-8")
    lsp.open(gateway, text, language="yaml")
    diagnostics = await lsp.diagnostics(gateway)
    assert [d.code for d in diagnostics] == ["MLF501", "MLF502"]
    (fix_all,) = await lsp.code_actions(gateway, diagnostics[0].range, ["source.fixAll"])
    fixed = lsp.apply((await lsp.resolved(fix_all)).edit, gateway)
    assert fixed.startswith("endpoints:\n") and "endpoint_type: llm/v1/chat" in fixed
    script = uri_of(configs / "serve")  # no suffix, no shebang: the languageId decides
    shell = 'echo "🚀 starting"\nmlflow deployments start-server --port 7000\n'
    lsp.open(script, shell, language="shellscript")
    (finding,) = await lsp.diagnostics(script)
    assert finding.code == "MLF503"
    assert finding.range == find_range(shell, "mlflow deployments start-server", lsp.encoding)
    lsp.close(gateway)
    lsp.close(script)


RELATED = """import mlflow

with mlflow.start_run():
    mlflow.sklearn.log_model(model, name="model")
    model_uri = mlflow.get_artifact_uri("model")
    loaded = mlflow.pyfunc.load_model(model_uri)
"""


async def test_related_information(lsp):
    """A finding that depends on another place points there."""
    uri = uri_of(WORKSPACE / "uris" / "related.py")
    lsp.open(uri, RELATED)
    (finding,) = await lsp.diagnostics(uri)
    assert finding.code == "MLF103"
    places = {(r.location.uri, r.location.range.start.line) for r in finding.related_information}
    assert (uri, 3) in places  # where the model is logged
    lsp.close(uri)


UNSAFE = """import mlflow

with mlflow.start_run():
    mlflow.sklearn.log_model(model, name="model")
"""


async def test_unsafe_fixes(lsp):
    uri = uri_of(WORKSPACE / "unsafe" / "pinned.py")
    lsp.open(uri, UNSAFE)
    (finding,) = await lsp.diagnostics(uri)
    (fix,) = [
        a
        for a in await lsp.code_actions(uri, finding.range, ["quickfix"], [finding])
        if a.kind == "quickfix"
    ]
    assert fix.title.endswith(" (unsafe)") and not fix.is_preferred
    # Fix-all leaves unsafe fixes out unless `unsafeFixes` is on.
    assert await lsp.code_actions(uri, finding.range, ["source.fixAll"]) == []
    await lsp.change_settings({"unsafeFixes": True})
    deadline = asyncio.get_running_loop().time() + 20
    while not (actions := await lsp.code_actions(uri, finding.range, ["source.fixAll"])):
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)
    (fix_all,) = actions
    assert "unsafe" in fix_all.title
    fixed = lsp.apply((await lsp.resolved(fix_all)).edit, uri)
    assert 'serialization_format="cloudpickle"' in fixed
    await lsp.change_settings({})
    lsp.close(uri)
