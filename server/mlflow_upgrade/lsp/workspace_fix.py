"""`mlflow-upgrade.fixWorkspace`: safe fixes for every file of the workspace folders.

Files open in the editor are fixed from their in-memory text (so unsaved edits are
respected and the edit carries the document's version); closed files are read from
disk. The edits go to the client in one `workspace/applyEdit`, so one undo reverts them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path

from mlflow_upgrade.engine.document import FileKind, LineIndex, UnreadableFile, decode_source
from mlflow_upgrade.engine.fixer import fix_document
from mlflow_upgrade.lsp.config import ConfigState
from mlflow_upgrade.lsp.convert import diff_edits, to_range

log = logging.getLogger(__name__)

MAX_FILES = 5000


@dataclass
class FileFix:
    uri: str
    version: int | None
    edits: list[lsp.TextEdit]
    fixes: int


def workspace_files(config: ConfigState) -> list[tuple[Path, FileKind]]:
    from mlflow_upgrade.cli.walk import discover

    files: list[tuple[Path, FileKind]] = []
    seen: set[Path] = set()
    for folder in config.folders:
        if folder.path is None or not folder.path.is_dir():
            continue
        settings = config.resolve(folder.path).settings
        for path, kind in discover([folder.path], settings):
            if path not in seen:
                seen.add(path)
                files.append((path, kind))
            if len(files) >= MAX_FILES:
                log.warning("fixWorkspace: stopping at %s files", MAX_FILES)
                return files
    return files


def fix_closed_file(
    config: ConfigState, path: Path, kind: FileKind, encoding: str
) -> FileFix | None:
    """Safe fixes of a file on disk as client edits, or None when nothing changes."""
    if kind is FileKind.NOTEBOOK:
        return _fix_closed_notebook(config, path, encoding)
    try:
        document = decode_source(path.read_bytes(), path)
    except (OSError, UnreadableFile) as error:
        log.info("fixWorkspace: skipping %s: %s", path, error)
        return None
    document.kind = kind
    resolved = config.resolve(path)
    if resolved.settings.is_excluded(path):
        return None
    outcome = fix_document(resolved.engine, document, unsafe=False)
    if not outcome.changed:
        return None
    index = LineIndex(document.text)
    edits = [
        lsp.TextEdit(to_range(index, e.start, e.end, encoding), e.replacement)
        for e in diff_edits(document.text, outcome.document.text)
    ]
    return FileFix(from_fs_path(str(path)) or path.as_uri(), None, edits, len(outcome.applied))


def _fix_closed_notebook(config: ConfigState, path: Path, encoding: str) -> FileFix | None:
    """A closed .ipynb: its code cells fixed, as edits of the notebook's JSON text."""
    from mlflow_upgrade.files import notebook

    try:
        book = notebook.read_notebook(path.read_bytes())
    except (OSError, notebook.NotebookError) as error:
        log.info("fixWorkspace: skipping %s: %s", path, error)
        return None
    cells = book.code_cells
    resolved = config.resolve(path)
    if book.language != "python" or not cells or resolved.settings.is_excluded(path):
        return None
    sources = [cell.source for cell in cells]
    fixed, applied, _ = notebook.fix_sources(resolved.engine, sources, path, unsafe=False)
    changed = {
        cell.number: new for cell, old, new in zip(cells, sources, fixed, strict=True) if new != old
    }
    if not changed:
        return None
    new_text = notebook.write_notebook(book, changed).decode("utf-8").removeprefix("\ufeff")
    index = LineIndex(book.text)
    edits = [
        lsp.TextEdit(to_range(index, e.start, e.end, encoding), e.replacement)
        for e in diff_edits(book.text, new_text)
    ]
    return FileFix(from_fs_path(str(path)) or path.as_uri(), None, edits, applied)
