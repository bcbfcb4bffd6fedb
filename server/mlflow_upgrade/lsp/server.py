"""`mlflow-upgrade lsp`: the pygls wiring. Each handler delegates to `Session`.

Everything a handler computes comes from the engine through `Analyzer` (one cached
analysis per document version); this module only translates between LSP and that.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from mlflow_upgrade import __version__
from mlflow_upgrade.lsp import logs
from mlflow_upgrade.lsp.session import COMMAND_FIX_WORKSPACE, COMMAND_SHOW_LOG, Session

log = logging.getLogger(__name__)

NAME = "mlflow-upgrade"

NOTEBOOK_SYNC = lsp.NotebookDocumentSyncOptions(
    notebook_selector=[
        lsp.NotebookDocumentFilterWithCells(
            cells=[lsp.NotebookCellLanguage(language="python")],
            notebook="jupyter-notebook",
        )
    ],
    save=True,
)


def _guarded(session: Session, default: Callable[[], Any] = lambda: None):
    """Log any exception of a handler to the client and answer with a default."""

    def decorate(function):
        @functools.wraps(function)
        async def wrapper(ls, params=None):
            try:
                return await function(ls, params)
            except Exception as error:
                session.handler_failed(function.__name__, error)
                return default()

        return wrapper

    return decorate


def _notification(session: Session):
    """A plain (not async) handler: pygls keeps every async notification's future
    forever, and with it each didChange's text. Coroutines run as tasks instead."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(ls, params=None):
            try:
                outcome = function(ls, params)
            except Exception as error:
                session.handler_failed(function.__name__, error)
                return
            if asyncio.iscoroutine(outcome):
                session.spawn(outcome, function.__name__)

        return wrapper

    return decorate


def build_server() -> tuple[LanguageServer, Session]:
    server = LanguageServer(
        NAME,
        __version__,
        text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
        notebook_document_sync=NOTEBOOK_SYNC,
    )
    session = Session(server)
    guarded = functools.partial(_guarded, session)
    notification = functools.partial(_notification, session)

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: LanguageServer, params: lsp.InitializeParams) -> None:
        session.initialize(params)

    @server.feature(lsp.INITIALIZED)
    @notification()
    def initialized(ls, params):
        return session.initialized()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @notification()
    def did_open(ls, params: lsp.DidOpenTextDocumentParams):
        session.did_open(params)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @notification()
    def did_change(ls, params: lsp.DidChangeTextDocumentParams):
        session.did_change(params)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @notification()
    def did_save(ls, params: lsp.DidSaveTextDocumentParams):
        session.did_save(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @notification()
    def did_close(ls, params: lsp.DidCloseTextDocumentParams):
        session.did_close(params.text_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    @notification()
    def notebook_open(ls, params: lsp.DidOpenNotebookDocumentParams):
        session.notebook_open(params)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)
    @notification()
    def notebook_change(ls, params: lsp.DidChangeNotebookDocumentParams):
        session.notebook_change(params)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_SAVE)
    @notification()
    def notebook_save(ls, params: lsp.DidSaveNotebookDocumentParams):
        session.did_save(params.notebook_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)
    @notification()
    def notebook_close(ls, params: lsp.DidCloseNotebookDocumentParams):
        session.notebook_close(params)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded()
    async def hover(ls, params: lsp.HoverParams):
        return await session.hover(params)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(
            code_action_kinds=session.action_kinds(),
            resolve_provider=True,
        ),
    )
    @guarded(list)
    async def code_action(ls, params: lsp.CodeActionParams):
        return await session.code_actions(params)

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls, params: lsp.CodeAction):
        try:
            return await session.resolve(params)
        except Exception as error:
            session.handler_failed("codeAction/resolve", error)
            return params

    @server.feature(
        lsp.TEXT_DOCUMENT_DIAGNOSTIC,
        lsp.DiagnosticOptions(
            identifier=NAME, inter_file_dependencies=False, workspace_diagnostics=True
        ),
    )
    @guarded(lambda: lsp.RelatedFullDocumentDiagnosticReport(items=[]))
    async def pull_diagnostics(ls, params: lsp.DocumentDiagnosticParams):
        return await session.pull(params)

    @server.feature(lsp.WORKSPACE_DIAGNOSTIC)
    @guarded(lambda: lsp.WorkspaceDiagnosticReport(items=[]))
    async def workspace_diagnostics(ls, params: lsp.WorkspaceDiagnosticParams):
        return await session.workspace_pull(params)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @notification()
    def did_change_configuration(ls, params: lsp.DidChangeConfigurationParams):
        return session.configuration_changed(params.settings)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @notification()
    def did_change_watched_files(ls, params: lsp.DidChangeWatchedFilesParams):
        return session.files_changed(params.changes)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @notification()
    def did_change_folders(ls, params: lsp.DidChangeWorkspaceFoldersParams):
        return session.folders_changed(params.event)

    @server.feature(lsp.WINDOW_WORK_DONE_PROGRESS_CANCEL)
    @notification()
    def progress_cancel(ls, params: lsp.WorkDoneProgressCancelParams):
        session.progress_cancelled(params.token)

    @server.command(COMMAND_FIX_WORKSPACE)
    async def fix_workspace(ls: LanguageServer, *args):
        try:
            return await session.fix_workspace()
        except Exception as error:
            session.handler_failed(COMMAND_FIX_WORKSPACE, error)
            return {"applied": False, "error": f"{type(error).__name__}: {error}"}

    @server.command(COMMAND_SHOW_LOG)
    async def show_log(ls: LanguageServer, *args):
        return session.show_log()

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: LanguageServer, params: None) -> None:
        session.shutdown()

    return server, session


def serve(tcp: bool = False, host: str = "127.0.0.1", port: int = 2087) -> int:
    """Run the server until the client exits it; 0 after `shutdown`, else 1 (LSP spec)."""
    logs.configure()
    server, session = build_server()
    _tune_gc()
    try:
        if tcp:
            server.start_tcp(host, port)
        else:
            server.start_io()
    finally:
        session.shutdown()
    code = 0 if server.protocol._shutdown else 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        # Worker threads (a jedi subprocess, a long analysis) must not hold the exit.
        if not os.environ.get("MLFLOW_UPGRADE_LSP_NO_HARD_EXIT"):
            os._exit(code)
    return code


def _tune_gc() -> None:
    """Fewer, cheaper cycle collections for a long-running process.

    What is loaded at start-up never dies: freezing it keeps it out of every
    collection. Analysis results are frozen the same way as they are made
    (`analysis.analyse_frozen`); the higher first threshold spares the objects that
    requests and notifications allocate between analyses from frequent passes.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def main() -> int:  # pragma: no cover - `python -m mlflow_upgrade.lsp.server`
    return serve(tcp="--tcp" in sys.argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
