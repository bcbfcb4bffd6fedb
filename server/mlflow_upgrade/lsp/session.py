"""The server's state and behaviour behind each LSP message (see `server.py` for wiring)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import platform
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path

from mlflow_upgrade import __version__
from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.engine.interpreter import describe
from mlflow_upgrade.lsp import actions, logs
from mlflow_upgrade.lsp.analysis import Analyzer, Located, Result
from mlflow_upgrade.lsp.config import SECTION, ConfigState, Folder, unwrap
from mlflow_upgrade.lsp.convert import diagnostic_json, range_json, typed_diagnostic, typed_range
from mlflow_upgrade.lsp.documents import DocumentStore, offset_at, uri_to_path
from mlflow_upgrade.lsp.hover import hover_contents, wants_markdown

log = logging.getLogger(__name__)

WARM_UP_AFTER_IDLE = 0.3  # seconds without analyses before jedi is loaded
COLLECT_AFTER_IDLE = 2.0  # seconds without analyses before a full cycle collection

COMMAND_FIX_WORKSPACE = "mlflow-upgrade.fixWorkspace"
COMMAND_SHOW_LOG = "mlflow-upgrade.showLog"
CONFIG_TIMEOUT = 5.0
MAX_WORKSPACE_PULL_FILES = 2000

_LEVEL_TO_MESSAGE = {
    logging.ERROR: lsp.MessageType.Error,
    logging.WARNING: lsp.MessageType.Warning,
    logging.INFO: lsp.MessageType.Info,
    logging.DEBUG: lsp.MessageType.Log,
}


class Session:
    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.store = DocumentStore()
        self.config = ConfigState()
        self.profile = actions.ClientProfile()
        self.analyzer = Analyzer(
            self.store,
            self.config,
            lambda: self.profile.encoding,
            self.publish,
            self._error_message,
        )
        self.fix_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fixes")
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-up")
        self.loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._ready: asyncio.Event | None = None
        self._changed: asyncio.Event | None = None
        self._cancelled_progress: set[Any] = set()
        self._disk_cache: dict[tuple[Path, int, int, int], list[dict]] = {}
        self._closed = False
        self._background_tasks: set[asyncio.Future] = set()

    # Plumbing -------------------------------------------------------------------
    @staticmethod
    def action_kinds() -> list[str]:
        return list(actions.ADVERTISED_KINDS)

    def _on_loop(self) -> bool:
        return self._loop_thread == threading.get_ident()

    def _call_on_loop(self, function, *args) -> None:
        if self.loop is None or self._closed:
            return
        if self._on_loop():
            function(*args)
        else:
            self.loop.call_soon_threadsafe(function, *args)

    def _send_log(self, level: int, text: str) -> None:
        # The transport may be gone while shutting down.
        with contextlib.suppress(Exception):
            self.server.window_log_message(
                lsp.LogMessageParams(_LEVEL_TO_MESSAGE.get(level, lsp.MessageType.Log), text)
            )

    def _error_message(self, text: str) -> None:
        self._call_on_loop(self._send_log, logging.ERROR, text)

    def _show(self, kind: lsp.MessageType, text: str) -> None:
        self._call_on_loop(
            lambda: self.server.window_show_message(lsp.ShowMessageParams(kind, text))
        )

    def spawn(self, coroutine, name: str) -> None:
        """Run a notification's async work; failures are logged like handler failures."""
        task = asyncio.ensure_future(coroutine)
        self._background_tasks.add(task)

        def done(task: asyncio.Future) -> None:
            self._background_tasks.discard(task)
            if not task.cancelled() and task.exception() is not None:
                self.handler_failed(name, task.exception())  # type: ignore[arg-type]

        task.add_done_callback(done)

    def handler_failed(self, name: str, error: Exception) -> None:
        log.error("%s failed: %s: %s", name, type(error).__name__, error, exc_info=error)

    def flush_warnings(self) -> None:
        for warning in self.config.take_warnings():
            log.warning("settings: %s", warning)
            self._show(lsp.MessageType.Warning, f"mlflow-upgrade: {warning}")

    @property
    def push(self) -> bool:
        return not self.profile.pull_diagnostics

    def _notify_changed(self) -> None:
        if self._changed is not None:
            self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_ready(self) -> None:
        if self._ready is not None and not self._ready.is_set():
            try:
                await asyncio.wait_for(self._ready.wait(), CONFIG_TIMEOUT)
            except asyncio.TimeoutError:
                self._ready.set()

    # Lifecycle ------------------------------------------------------------------
    def initialize(self, params: lsp.InitializeParams) -> None:
        self.loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._ready = asyncio.Event()
        self._changed = asyncio.Event()
        logs.HANDLER.sender = lambda level, text: self._call_on_loop(self._send_log, level, text)
        negotiated = self.server.workspace.position_encoding or "utf-16"
        encoding = str(getattr(negotiated, "value", negotiated))
        self.profile = actions.ClientProfile.of(
            params.capabilities, encoding, wants_markdown(params.capabilities)
        )
        folders = [
            Folder(f.uri, uri_to_path(f.uri), f.name) for f in params.workspace_folders or []
        ]
        if not folders and (params.root_uri or params.root_path):
            uri = params.root_uri or from_fs_path(params.root_path)  # type: ignore[arg-type]
            folders = [Folder(uri, uri_to_path(uri), "root")]
        self.config.folders = folders
        raw = params.initialization_options
        options = unwrap(raw) if raw is not None else {}
        if raw is not None and options is None:
            self.config.pending_warnings.append(
                "initializationOptions must be an object of mlflowUpgrade settings; ignored"
            )
        self.config.init_options = options or {}
        logs.HANDLER.set_level(self.config.options().log_level)
        client = params.client_info.name if params.client_info else "unknown client"
        log.info(
            "mlflow-upgrade %s for %s: %s, %s diagnostics, folders %s",
            __version__,
            client,
            encoding,
            "push" if self.push else "pull",
            [f.uri for f in folders] or "none",
        )

    async def initialized(self) -> None:
        await self._register_capabilities()
        if self.profile.configuration:
            await self._fetch_configuration()
        self.config.invalidate()
        assert self._ready is not None
        self._ready.set()
        self._check_settings()
        for key in self._open_units():
            self.analyzer.schedule(key, 0)
        self.spawn(self._warm_up(), "warm-up")
        self.spawn(self.analyzer.collect_when_idle(COLLECT_AFTER_IDLE), "idle collection")

    async def _register_capabilities(self) -> None:
        registrations = []
        if self.profile.watched_files_registration:
            registrations.append(
                lsp.Registration(
                    id=str(uuid.uuid4()),
                    method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[
                            lsp.FileSystemWatcher(glob_pattern="**/pyproject.toml"),
                            lsp.FileSystemWatcher(glob_pattern="**/*.py"),
                        ]
                    ),
                )
            )
        if self.profile.configuration_registration:
            registrations.append(
                lsp.Registration(
                    id=str(uuid.uuid4()),
                    method=lsp.WORKSPACE_DID_CHANGE_CONFIGURATION,
                    register_options=lsp.DidChangeConfigurationRegistrationOptions(section=SECTION),
                )
            )
        if not registrations:
            return
        try:
            await asyncio.wait_for(
                self.server.client_register_capability_async(
                    lsp.RegistrationParams(registrations=registrations)
                ),
                CONFIG_TIMEOUT,
            )
        except Exception as error:
            log.info("the client did not accept dynamic registrations: %s", error)

    async def _fetch_configuration(self) -> None:
        folders = self.config.folders
        items = [lsp.ConfigurationItem(scope_uri=f.uri, section=SECTION) for f in folders] or [
            lsp.ConfigurationItem(section=SECTION)
        ]
        try:
            answer = await asyncio.wait_for(
                self.server.workspace_configuration_async(lsp.ConfigurationParams(items=items)),
                CONFIG_TIMEOUT,
            )
        except Exception as error:
            log.info("workspace/configuration failed: %s", error)
            return
        answer = list(answer or [])
        for position, value in enumerate(answer):
            settings = unwrap(value) if value is not None else None
            if value is not None and settings is None:
                self.config.pending_warnings.append(
                    f"the `{SECTION}` settings must be an object, not {type(value).__name__}; "
                    "using defaults"
                )
            if folders and position < len(folders):
                folders[position].configuration = settings
            elif not folders:
                self.config.global_settings = settings or {}

    async def _warm_up(self) -> None:
        """Load jedi's environment and the engine's imports before the first request that
        needs them, in a pause: loading holds the interpreter for about a second, which
        would otherwise delay the diagnostics of the files being opened and edited."""
        loop = asyncio.get_running_loop()
        targets = [f.path for f in self.config.folders if f.path is not None] or [None]
        for path in targets:
            await self.analyzer.wait_idle(WARM_UP_AFTER_IDLE)
            try:
                await loop.run_in_executor(self.background, self._warm_one, path)
            except Exception as error:  # warming up is an optimisation only
                log.info("warm-up failed: %s", error)

    def _warm_one(self, path: Path | None) -> None:
        resolved = self.config.resolve(path)
        sample = 'import mlflow\nmlflow.sklearn.log_model(model, artifact_path="model")\n'
        analysis = resolved.engine.analyze(Document(sample, None))
        for finding in analysis.findings:
            if finding.fix is not None:
                _ = finding.fix.edits
        jedi = resolved.engine.jedi
        if jedi is not None:
            jedi.warm_up()  # type: ignore[attr-defined]
        log.info("jedi ready for %s (%s)", path or "files", describe(resolved.interpreter))

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        for task in list(self._background_tasks):
            task.cancel()
        self.analyzer.shutdown()
        self.fix_pool.shutdown(wait=False, cancel_futures=True)
        self.background.shutdown(wait=False, cancel_futures=True)
        logs.HANDLER.sender = None

    # Documents ------------------------------------------------------------------
    def _open_units(self) -> list[str]:
        units = [uri for uri, state in self.store.texts.items() if state.notebook is None]
        return units + list(self.store.notebooks)

    def _debounce(self, key: str) -> float:
        return self.config.options(uri_to_path(key)).debounce

    def did_open(self, params: lsp.DidOpenTextDocumentParams) -> None:
        state = self.store.open_text(params.text_document)
        self._schedule(state.uri, 0)

    def did_change(self, params: lsp.DidChangeTextDocumentParams) -> None:
        state = self.store.change_text(
            params.text_document, list(params.content_changes), self.profile.encoding
        )
        if state is None:
            return
        key = state.notebook or state.uri
        self._schedule(key, self._debounce(key))

    def did_save(self, uri: str) -> None:
        key = self.store.unit_of(uri)
        if key is None:
            return
        cached = self.analyzer.cached(key)
        if cached is not None and self.push:
            self.publish(cached)
        else:
            self._schedule(key, 0)

    def did_close(self, uri: str) -> None:
        state = self.store.close_text(uri)
        self.analyzer.forget(uri)
        if self.push and state is not None and state.notebook is None:
            self._publish_empty(uri)
        self._notify_changed()

    def notebook_open(self, params: lsp.DidOpenNotebookDocumentParams) -> None:
        state = self.store.open_notebook(params)
        self._schedule(state.uri, 0)

    def notebook_change(self, params: lsp.DidChangeNotebookDocumentParams) -> None:
        structure = params.change.cells.structure if params.change.cells else None
        state = self.store.change_notebook(params, self.profile.encoding)
        if state is None:
            return
        if self.push and structure is not None:
            for closed in structure.did_close or []:
                self._publish_empty(closed.uri)
        self._schedule(state.uri, self._debounce(state.uri))

    def notebook_close(self, params: lsp.DidCloseNotebookDocumentParams) -> None:
        state = self.store.close_notebook(params.notebook_document.uri)
        self.analyzer.forget(params.notebook_document.uri)
        if self.push and state is not None:
            for cell in state.cells:
                self._publish_empty(cell.uri)
        self._notify_changed()

    def _schedule(self, key: str, delay: float) -> None:
        self.analyzer.schedule(key, delay)
        if not self.push:
            self._notify_changed()

    # Diagnostics ----------------------------------------------------------------
    def publish(self, result: Result) -> None:
        """Push a fresh result (the analyzer checked that it is for the current version)."""
        self.flush_warnings()
        if result.analysis is not None and result.analysis.internal_errors:
            for problem in result.analysis.internal_errors:
                log.error("internal error while analysing %s: %s", result.snapshot.key, problem)
        if not self.push:
            self._notify_changed()
            return
        for part in result.snapshot.parts:
            self._send_diagnostics(part.uri, part.version, result.diagnostics(part.uri))

    def _send_diagnostics(self, uri: str, version: int | None, diagnostics: list[dict]) -> None:
        """Publish wire diagnostics (see `convert.diagnostic_json`) through pygls' raw
        send; the typed path stays as the fallback."""
        send = getattr(self.server.protocol, "_send_data", None)
        if send is None:
            typed = [typed_diagnostic(wire) for wire in diagnostics]
            self.server.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=typed, version=version)
            )
            return
        params: dict = {"uri": uri, "diagnostics": diagnostics}
        if version is not None:
            params["version"] = version
        send({"jsonrpc": "2.0", "method": lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, "params": params})

    def _publish_empty(self, uri: str) -> None:
        self.server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    async def _result_for(self, uri: str) -> Result | None:
        await self._wait_ready()
        key = self.store.unit_of(uri)
        if key is None:
            return None
        result = await self.analyzer.result(key)
        self.flush_warnings()
        return result

    @staticmethod
    def _result_id(result: Result, uri: str) -> str:
        part = result.snapshot.part(uri)
        return (
            f"{result.snapshot.generation}:{result.snapshot.version}:{part.version if part else ''}"
        )

    async def pull(self, params: lsp.DocumentDiagnosticParams) -> dict:
        """The report as JSON: its items are wire diagnostics (see `_send_diagnostics`)."""
        uri = params.text_document.uri
        result = await self._result_for(uri)
        if result is None or result.snapshot.part(uri) is None:
            return {"kind": "full", "items": []}
        result_id = self._result_id(result, uri)
        if params.previous_result_id == result_id:
            return {"kind": "unchanged", "resultId": result_id}
        return {"kind": "full", "resultId": result_id, "items": result.diagnostics(uri)}

    async def workspace_pull(self, params: lsp.WorkspaceDiagnosticParams) -> dict:
        """Open documents and workspace files; held open while nothing changed (long poll)."""
        previous = {item.uri: item.value for item in params.previous_result_ids or []}
        while True:
            assert self._changed is not None
            changed = self._changed
            items = await self._workspace_items(previous)
            if not previous or any(item["kind"] == "full" for item in items):
                return {"items": items}
            await changed.wait()
            await asyncio.sleep(self.config.options().debounce)

    async def _workspace_items(self, previous: dict[str, str]) -> list[dict]:
        await self._wait_ready()
        reports: list[tuple[str, int | None, str, list[dict]]] = []
        covered: set[Path] = set()
        for key in self._open_units():
            result = await self.analyzer.result(key)
            if result is None:
                continue
            if result.snapshot.path is not None:
                covered.add(result.snapshot.path)
            for part in result.snapshot.parts:
                result_id = self._result_id(result, part.uri)
                reports.append((part.uri, part.version, result_id, result.diagnostics(part.uri)))
        loop = asyncio.get_running_loop()
        disk = await loop.run_in_executor(self.fix_pool, self._disk_reports, covered)
        reports.extend((uri, None, result_id, items) for uri, result_id, items in disk)
        return [
            _workspace_report(uri, version, result_id, items, previous.get(uri) == result_id)
            for uri, version, result_id, items in reports
        ]

    def _disk_reports(self, covered: set[Path]) -> list[tuple[str, str, list[dict]]]:
        from mlflow_upgrade.engine.document import UnreadableFile, decode_source
        from mlflow_upgrade.lsp.workspace_fix import workspace_files

        out = []
        generation = self.config.generation
        for path, kind in workspace_files(self.config)[:MAX_WORKSPACE_PULL_FILES]:
            if path in covered or kind.value == "notebook":
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            key = (path, stat.st_mtime_ns, stat.st_size, generation)
            diagnostics = self._disk_cache.get(key)
            if diagnostics is None:
                try:
                    document = decode_source(path.read_bytes(), path)
                except (OSError, UnreadableFile):
                    continue
                document.kind = kind
                diagnostics = self._diagnostics_of_file(document)
                self._disk_cache[key] = diagnostics
            uri = from_fs_path(str(path)) or path.as_uri()
            out.append((uri, f"disk:{generation}:{stat.st_mtime_ns}:{stat.st_size}", diagnostics))
        return out

    def _diagnostics_of_file(self, document: Document) -> list[dict]:
        resolved = self.config.resolve(document.path)
        if document.path is not None and resolved.settings.is_excluded(document.path):
            return []
        analysis = resolved.engine.analyze(document)
        index = document.index
        out = []
        for finding in analysis.findings:
            data = {
                "code": finding.code,
                "offsets": [finding.start_offset, finding.end_offset],
                "version": None,
                "fix": None,
            }
            range_ = range_json(
                index, finding.start_offset, finding.end_offset, self.profile.encoding
            )
            out.append(diagnostic_json(finding, range_, data))
        return out

    # Hover ----------------------------------------------------------------------
    async def hover(self, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        result = await self._result_for(uri)
        part = result.snapshot.part(uri) if result else None
        if result is None or part is None:
            return None
        offset = offset_at(part.index, params.position, self.profile.encoding)
        items = [i for i in result.located if i.part.uri == uri and i.start <= offset <= i.end]
        if not items:
            return None
        items.sort(key=lambda i: i.end - i.start)
        return lsp.Hover(
            contents=hover_contents([i.finding for i in items], self.profile.markdown),
            range=typed_range(items[0].wire["range"]),
        )

    # Code actions ---------------------------------------------------------------
    def _action_data(self, result: Result, item: Located | None, action: str) -> dict:
        data = {
            "action": action,
            "key": result.snapshot.key,
            "version": result.snapshot.version,
            "uri": item.part.uri if item else result.snapshot.parts[0].uri,
        }
        if item is not None:
            data.update(code=item.finding.code, start=item.start, end=item.end)
        return data

    async def _off_loop(self, function, *args):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.fix_pool, function, *args)

    async def code_actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        result = await self._result_for(uri)
        part = result.snapshot.part(uri) if result else None
        if result is None or part is None:
            return []
        encoding = self.profile.encoding
        start = offset_at(part.index, params.range.start, encoding)
        end = offset_at(part.index, params.range.end, encoding)
        only = list(params.context.only) if params.context.only else None
        items = result.overlapping(uri, start, end)
        eager = not self.profile.resolve_edits
        out: list[lsp.CodeAction] = []

        if actions.kind_allowed(actions.KIND_QUICKFIX, only):
            for item in items:
                fix = item.finding.fix
                if fix is None or not item.finding.fixable:
                    continue
                action = lsp.CodeAction(
                    title=actions.fix_title(item),
                    kind=actions.KIND_QUICKFIX,
                    diagnostics=[item.diagnostic],
                    is_preferred=fix.applicability.value == "safe",
                    data=self._action_data(result, item, "fix"),
                )
                if eager:
                    try:
                        action.edit = await self._off_loop(
                            actions.quickfix_edit, result, item, self.profile
                        )
                    except Exception as error:
                        self.handler_failed(f"fix {item.finding.code}", error)
                        continue
                out.append(action)

        if actions.kind_allowed(actions.KIND_NOQA, only) and actions.supports_noqa(result):
            seen: set[tuple[str, int]] = set()
            for item in items:
                line = item.part.index.position(item.start).line
                if (item.finding.code, line) in seen:
                    continue
                seen.add((item.finding.code, line))
                edit = actions.noqa_edit(result, item, self.profile)
                if edit is None:
                    continue
                out.append(
                    lsp.CodeAction(
                        title=f"Suppress with `# noqa: {item.finding.code}`",
                        kind=actions.KIND_NOQA,
                        diagnostics=[item.diagnostic],
                        edit=edit,
                    )
                )

        if actions.kind_allowed(actions.KIND_FIX_ALL, only) and result.resolved is not None:
            unsafe = result.resolved.settings.unsafe_fixes
            if actions.fixable_in(result, unsafe):
                action = lsp.CodeAction(
                    title=actions.fix_all_title(unsafe),
                    kind=actions.KIND_FIX_ALL,
                    data=self._action_data(result, None, "fixAll"),
                )
                if eager:
                    action.edit = await self._fix_all_edit(result, unsafe)
                if action.edit is not None or not eager:
                    out.append(action)
        return out

    async def _fix_all_edit(self, result: Result, unsafe: bool) -> lsp.WorkspaceEdit | None:
        """Fix-all of one analysed version, computed once (clients may ask repeatedly)."""
        key = ("fixAll", unsafe)
        if key not in result.memo:
            result.memo[key] = await self._off_loop(
                actions.fix_all_edit, result, self.profile, unsafe
            )
        return result.memo[key]

    async def resolve(self, action: lsp.CodeAction) -> lsp.CodeAction:
        data = action.data if isinstance(action.data, dict) else None
        if not data or action.edit is not None or "key" not in data:
            return action
        result = await self._result_for(data.get("uri") or data["key"])
        if result is None:
            return action
        if data.get("action") == "fixAll":
            unsafe = bool(result.resolved and result.resolved.settings.unsafe_fixes)
            action.edit = await self._fix_all_edit(result, unsafe)
            return action
        item = self._find(result, data)
        if item is not None:
            action.edit = await self._off_loop(actions.quickfix_edit, result, item, self.profile)
        return action

    @staticmethod
    def _find(result: Result, data: dict) -> Located | None:
        candidates = [
            i
            for i in result.located
            if i.finding.code == data.get("code")
            and i.part.uri == data.get("uri")
            and i.finding.fixable
        ]
        if not candidates:
            return None
        start, end = data.get("start", 0), data.get("end", 0)
        exact = [i for i in candidates if (i.start, i.end) == (start, end)]
        if exact and result.snapshot.version == data.get("version"):
            return exact[0]
        return min(candidates, key=lambda i: abs(i.start - start)) if exact or candidates else None

    # Settings and files ---------------------------------------------------------
    async def configuration_changed(self, settings: Any) -> None:
        raw = unwrap(settings) if isinstance(settings, dict) else None
        if isinstance(settings, dict) and (SECTION in settings or not self.profile.configuration):
            self.config.global_settings = raw or {}
        if self.profile.configuration:
            await self._fetch_configuration()
        self.settings_changed()

    def settings_changed(self) -> None:
        self.config.invalidate()
        logs.HANDLER.set_level(self.config.options().log_level)
        self._check_settings()
        self._disk_cache.clear()
        for key in self._open_units():
            self.analyzer.schedule(key, 0)
        if not self.push and self.profile.diagnostic_refresh:
            self.server.workspace_diagnostic_refresh(None)
        self._notify_changed()

    def _check_settings(self) -> None:
        """Read every folder's settings now, so problems are reported right away."""
        for folder in self.config.folders or []:
            try:
                self.config.resolve(folder.path)
            except Exception as error:
                self.handler_failed("reading settings", error)
        self.flush_warnings()

    async def files_changed(self, changes: list[lsp.FileEvent]) -> None:
        names = [Path(uri_to_path(c.uri) or c.uri).name for c in changes]
        if any(name == "pyproject.toml" for name in names):
            log.info("pyproject.toml changed: reloading settings")
            self.settings_changed()
        elif names:
            self.config.touch()
            self._disk_cache.clear()
            for key in self._open_units():
                self.analyzer.schedule(key, self._debounce(key))
            self._notify_changed()

    async def folders_changed(self, event: lsp.WorkspaceFoldersChangeEvent) -> None:
        removed = {f.uri for f in event.removed or []}
        folders = [f for f in self.config.folders if f.uri not in removed]
        folders += [Folder(f.uri, uri_to_path(f.uri), f.name) for f in event.added or []]
        self.config.folders = folders
        if self.profile.configuration:
            await self._fetch_configuration()
        self.settings_changed()
        self.spawn(self._warm_up(), "warm-up")

    # Commands -------------------------------------------------------------------
    def progress_cancelled(self, token: Any) -> None:
        self._cancelled_progress.add(token)

    async def fix_workspace(self) -> dict:
        from mlflow_upgrade.lsp.workspace_fix import fix_closed_file, workspace_files

        await self._wait_ready()
        token: str | None = None
        progress = self.server.work_done_progress
        if self.profile.progress:
            token = f"mlflow-upgrade-fix-{uuid.uuid4()}"
            try:
                await asyncio.wait_for(progress.create_async(token), CONFIG_TIMEOUT)
                progress.begin(
                    token,
                    lsp.WorkDoneProgressBegin(
                        title="mlflow-upgrade: fixing the workspace",
                        cancellable=True,
                        percentage=0,
                    ),
                )
            except Exception as error:
                log.info("no progress reporting: %s", error)
                token = None
        files = await self._off_loop(workspace_files, self.config)
        open_paths: dict[Path, str] = {}
        for key in self._open_units():
            path = uri_to_path(key)
            if path is not None:
                open_paths[path] = key
        per_uri: actions.PartEdits = {}
        fixes = 0
        fixed_files = 0
        cancelled = False
        for number, (path, kind) in enumerate(files, start=1):
            if token is not None and (
                token in self._cancelled_progress
                or (progress.tokens.get(token) and progress.tokens[token].cancelled())
            ):
                cancelled = True
                break
            if token is not None and (number % 10 == 0 or number == len(files)):
                progress.report(
                    token,
                    lsp.WorkDoneProgressReport(
                        message=f"{number}/{len(files)} files",
                        percentage=int(100 * number / max(len(files), 1)),
                    ),
                )
            key = open_paths.get(path)
            if key is not None:
                result = await self.analyzer.result(key)
                if result is None or result.resolved is None:
                    continue
                edit_map = await self._off_loop(self._open_fix, result)
                if edit_map:
                    per_uri.update(edit_map[0])
                    fixes += edit_map[1]
                    fixed_files += 1
                continue
            file_fix = await self._off_loop(
                fix_closed_file, self.config, path, kind, self.profile.encoding
            )
            if file_fix is not None:
                per_uri[file_fix.uri] = (file_fix.version, file_fix.edits)
                fixes += file_fix.fixes
                fixed_files += 1
        applied = False
        failure = None
        if per_uri and not cancelled:
            edit = actions.workspace_edit(self.profile, per_uri)
            response = await self.server.workspace_apply_edit_async(
                lsp.ApplyWorkspaceEditParams(edit=edit, label="mlflow-upgrade: fix workspace")
            )
            applied = bool(response and response.applied)
            failure = response.failure_reason if response else None
        if token is not None:
            message = (
                "cancelled"
                if cancelled
                else f"{fixes} fixes in {fixed_files} files"
                + ("" if applied or not per_uri else " (not applied)")
            )
            progress.end(token, lsp.WorkDoneProgressEnd(message=message))
            self._cancelled_progress.discard(token)
        log.info("fixWorkspace: %s fixes in %s files, applied=%s", fixes, fixed_files, applied)
        return {
            "files": fixed_files,
            "fixes": fixes,
            "applied": applied,
            "cancelled": cancelled,
            "failureReason": failure,
        }

    def _open_fix(self, result: Result) -> tuple[actions.PartEdits, int] | None:
        from mlflow_upgrade.engine.fixer import fix_document
        from mlflow_upgrade.lsp.convert import diff_edits

        if result.document is None or result.resolved is None:
            return None
        if result.snapshot.notebook:
            edits, applied = actions.notebook_fix_edits(result, self.profile.encoding, False)
            return (edits, applied) if edits else None
        outcome = fix_document(result.resolved.engine, result.document, unsafe=False)
        if not outcome.changed:
            return None
        edits = diff_edits(result.document.text, outcome.document.text)
        return actions.part_edits(result, edits, self.profile.encoding), len(outcome.applied)

    def show_log(self) -> str:
        lines = [
            f"mlflow-upgrade {__version__} language server",
            f"Python {platform.python_version()} at {sys.executable}",
            f"position encoding {self.profile.encoding}; diagnostics by "
            f"{'push' if self.push else 'pull'}; code action resolve "
            f"{'on' if self.profile.resolve_edits else 'off'}",
        ]
        for folder in self.config.folders or [Folder("", None, "(no folder)")]:
            try:
                resolved = self.config.resolve(folder.path)
            except Exception as error:
                lines.append(f"folder {folder.uri}: settings failed: {error}")
                continue
            settings = resolved.settings
            lines.append(
                f"folder {folder.uri or '(none)'}: interpreter {describe(resolved.interpreter)}; "
                f"pyproject {resolved.pyproject or 'none'}; select {','.join(settings.select)}; "
                f"ignore {','.join(settings.ignore) or '-'}; unsafeFixes {settings.unsafe_fixes}"
            )
        lines.append(f"open documents: {len(self._open_units())}")
        lines.append("recent log:")
        lines.extend(list(logs.HANDLER.records)[-200:])
        text = "\n".join(lines)
        self._send_log(logging.INFO, text)
        return text


def _workspace_report(
    uri: str, version: int | None, result_id: str, items: list[dict], unchanged: bool
) -> dict:
    """One entry of a workspace diagnostic report, in its wire form."""
    if unchanged:
        return {"kind": "unchanged", "uri": uri, "version": version, "resultId": result_id}
    return {"kind": "full", "uri": uri, "version": version, "resultId": result_id, "items": items}
