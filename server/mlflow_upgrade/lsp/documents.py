"""The editor's view of open files: text documents, notebook documents and their versions.

pygls keeps its own copies too, but splits lines with `str.splitlines`, which also
breaks on form feeds and Unicode separators that LSP does not count as line ends.
This store applies incremental changes with the engine's `LineIndex`, so the text
we analyse and the positions we report agree with the client in every encoding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import to_fs_path

from mlflow_upgrade.engine.document import LineIndex


@dataclass
class TextState:
    uri: str
    text: str
    version: int | None
    language_id: str = ""
    notebook: str | None = None  # the notebook's uri when this document is a cell
    _index: LineIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> LineIndex:
        if self._index is None or self._index.text is not self.text:
            self._index = LineIndex(self.text)
        return self._index

    @property
    def path(self) -> Path | None:
        return uri_to_path(self.uri)


@dataclass
class CellState:
    uri: str
    kind: lsp.NotebookCellKind


@dataclass
class NotebookState:
    uri: str
    version: int
    notebook_type: str
    cells: list[CellState]

    @property
    def path(self) -> Path | None:
        return uri_to_path(self.uri)


def uri_to_path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    try:
        path = to_fs_path(uri)
    except Exception:  # a malformed uri is not a file
        return None
    return Path(path) if path else None


def offset_at(index: LineIndex, position: lsp.Position, encoding: str) -> int:
    """Absolute code-point offset of a client position (clamped into the text)."""
    if position.line >= index.line_count():
        return len(index.text)
    column = index.column_from(position.line, position.character, encoding)
    return index.line_starts[position.line] + column


def apply_change(text: str, change: lsp.TextDocumentContentChangeEvent, encoding: str) -> str:
    if not isinstance(change, lsp.TextDocumentContentChangePartial):
        return change.text
    index = LineIndex(text)
    start = offset_at(index, change.range.start, encoding)
    end = max(start, offset_at(index, change.range.end, encoding))
    return text[:start] + change.text + text[end:]


class DocumentStore:
    def __init__(self) -> None:
        self.texts: dict[str, TextState] = {}
        self.notebooks: dict[str, NotebookState] = {}

    # Text documents ---------------------------------------------------------
    def open_text(self, item: lsp.TextDocumentItem, notebook: str | None = None) -> TextState:
        state = TextState(item.uri, item.text, item.version, item.language_id or "", notebook)
        self.texts[item.uri] = state
        return state

    def change_text(
        self,
        document: lsp.VersionedTextDocumentIdentifier,
        changes: list[lsp.TextDocumentContentChangeEvent],
        encoding: str,
    ) -> TextState | None:
        state = self.texts.get(document.uri)
        if state is None:
            return None
        text = state.text
        for change in changes:
            text = apply_change(text, change, encoding)
        state.text = text
        state.version = document.version
        return state

    def close_text(self, uri: str) -> TextState | None:
        return self.texts.pop(uri, None)

    def get(self, uri: str) -> TextState | None:
        return self.texts.get(uri)

    # Notebooks --------------------------------------------------------------
    def open_notebook(self, params: lsp.DidOpenNotebookDocumentParams) -> NotebookState:
        notebook = params.notebook_document
        state = NotebookState(
            notebook.uri,
            notebook.version,
            notebook.notebook_type,
            [CellState(cell.document, cell.kind) for cell in notebook.cells],
        )
        self.notebooks[notebook.uri] = state
        for item in params.cell_text_documents:
            self.open_text(item, notebook.uri)
        return state

    def change_notebook(
        self, params: lsp.DidChangeNotebookDocumentParams, encoding: str
    ) -> NotebookState | None:
        state = self.notebooks.get(params.notebook_document.uri)
        if state is None:
            return None
        state.version = params.notebook_document.version
        cells = params.change.cells
        if cells is None:
            return state
        if cells.structure is not None:
            array = cells.structure.array
            added = [CellState(cell.document, cell.kind) for cell in array.cells or []]
            state.cells[array.start : array.start + array.delete_count] = added
            for item in cells.structure.did_open or []:
                self.open_text(item, state.uri)
            for identifier in cells.structure.did_close or []:
                self.close_text(identifier.uri)
        by_uri = {cell.uri: cell for cell in state.cells}
        for data in cells.data or []:
            if data.document in by_uri:
                by_uri[data.document].kind = data.kind
        for content in cells.text_content or []:
            self.change_text(content.document, list(content.changes), encoding)
        return state

    def close_notebook(self, uri: str) -> NotebookState | None:
        state = self.notebooks.pop(uri, None)
        if state is not None:
            for cell in state.cells:
                self.close_text(cell.uri)
        return state

    def code_cells(self, notebook: NotebookState) -> list[TextState]:
        """The notebook's Python code cells, in order."""
        out = []
        for cell in notebook.cells:
            text = self.texts.get(cell.uri)
            if (
                cell.kind == lsp.NotebookCellKind.Code
                and text is not None
                and text.language_id in ("python", "", "ipython", "py")
            ):
                out.append(text)
        return out

    def unit_of(self, uri: str) -> str | None:
        """The key of what gets analysed for a uri: the notebook for a cell, else itself."""
        if uri in self.notebooks:
            return uri
        state = self.texts.get(uri)
        if state is None:
            return None
        return state.notebook or uri
