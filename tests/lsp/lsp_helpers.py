"""Helpers for the language-server tests: open files, wait for diagnostics, apply edits.

The tests convert positions and apply edits themselves, in the negotiated encoding,
because pytest-lsp's client (like a real editor's core) does not do it for them.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE / "workspace"
EXPECTED = HERE / "expected"
TIMEOUT = 20.0


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def offset(text: str, position: types.Position, encoding: str) -> int:
    """Code-point offset of an LSP position, computed independently of the server."""
    lines = text.splitlines(keepends=True)
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line].rstrip("\r\n")
    count = 0
    for column, char in enumerate(line):
        if count >= position.character:
            return start + column
        count += units(char, encoding)
    return start + len(line)


def position(text: str, index: int, encoding: str) -> types.Position:
    before = text[:index]
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    return types.Position(line, units(column_text, encoding))


def find_range(text: str, needle: str, encoding: str, nth: int = 0) -> types.Range:
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    return types.Range(
        position(text, index, encoding), position(text, index + len(needle), encoding)
    )


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = sorted(
        (
            (offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text)
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def edits_by_uri(edit: types.WorkspaceEdit) -> dict[str, list[types.TextEdit]]:
    out: dict[str, list[types.TextEdit]] = {}
    for uri, edits in (edit.changes or {}).items():
        out.setdefault(uri, []).extend(edits)
    for change in edit.document_changes or []:
        assert isinstance(change, types.TextDocumentEdit), change
        out.setdefault(change.text_document.uri, []).extend(change.edits)  # type: ignore[arg-type]
    return out


class Recorder:
    """Every publishDiagnostics with its version (pytest-lsp keeps only the last list)."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: list[types.PublishDiagnosticsParams] = []
        client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = self._on_publish

    def _on_publish(self, params: types.PublishDiagnosticsParams) -> None:
        self.published.append(params)
        self.client.diagnostics[params.uri] = params.diagnostics

    def for_uri(self, uri: str) -> list[types.PublishDiagnosticsParams]:
        return [p for p in self.published if p.uri == uri]

    async def wait(
        self, uri: str, version: int | None, after: int = 0
    ) -> types.PublishDiagnosticsParams:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for params in self.published[after:]:
                if params.uri == uri and (version is None or params.version == version):
                    return params
            await asyncio.sleep(0.01)
        raise AssertionError(f"no diagnostics for {uri} version {version}: {self.published}")


class Session:
    """A test's view of one server: client, encoding, profile and helpers."""

    def __init__(
        self, client: LanguageClient, result: types.InitializeResult, profile: str
    ) -> None:
        self.client = client
        self.profile = profile
        self.encoding = str(result.capabilities.position_encoding or "utf-16")
        self.capabilities = result.capabilities
        self.recorder = Recorder(client)
        caps = client.capabilities
        assert caps is not None
        self.pull = caps.text_document is not None and caps.text_document.diagnostic is not None
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    def open(self, uri: str, text: str, language: str = "python") -> None:
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language, 1, text))
        )

    def replace(self, uri: str, text: str) -> int:
        """Replace the whole text through an incremental change (keeps versions)."""
        old = self.texts[uri]
        end = position(old, len(old), self.encoding)
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [
                    types.TextDocumentContentChangePartial(
                        types.Range(types.Position(0, 0), end), text
                    )
                ],
            )
        )
        return self.versions[uri]

    async def change_settings(self, settings: dict) -> None:
        """New editor settings, the way each client delivers them."""
        caps = self.client.capabilities
        if caps and caps.workspace and caps.workspace.configuration:
            self.client.set_configuration(settings, section="mlflowUpgrade")
            self.client.workspace_did_change_configuration(
                types.DidChangeConfigurationParams(settings=None)
            )
        else:  # Neovim 0.7 cannot answer workspace/configuration: settings come inline
            self.client.workspace_did_change_configuration(
                types.DidChangeConfigurationParams(settings={"mlflowUpgrade": settings})
            )
        await asyncio.sleep(0)

    async def quiet(self, seconds: float = 0.4) -> None:
        """Wait until the server has published nothing for a while."""
        deadline = time.monotonic() + TIMEOUT
        count = -1
        while count != len(self.recorder.published) and time.monotonic() < deadline:
            count = len(self.recorder.published)
            await asyncio.sleep(seconds)

    async def wait_for_message(self, needle: str) -> types.ShowMessageParams:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for message in self.client.messages:
                if needle in message.message:
                    return message
            await asyncio.sleep(0.01)
        raise AssertionError(f"no message with {needle!r}: {self.client.messages}")

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )

    async def diagnostics(self, uri: str, after: int = 0) -> list[types.Diagnostic]:
        """The diagnostics of the current version: pulled or pushed, as the client would get them."""
        if self.pull:
            report = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
            )
            return list(report.items)
        params = await self.recorder.wait(uri, self.versions.get(uri), after)
        return list(params.diagnostics)

    async def diagnostics_until(self, uri: str, check, after: int = 0) -> list[types.Diagnostic]:
        """Diagnostics once `check` accepts them: waits for publishes, or re-pulls (a pull
        client learns about a settings change only when it asks again)."""
        deadline = time.monotonic() + TIMEOUT
        last: list[types.Diagnostic] = []
        while time.monotonic() < deadline:
            if self.pull:
                last = await self.diagnostics(uri)
            else:
                found = [p for p in self.recorder.published[after:] if p.uri == uri]
                last = list(found[-1].diagnostics) if found else []
                if not found:
                    await asyncio.sleep(0.01)
                    continue
            if check(last):
                return last
            await asyncio.sleep(0.02)
        raise AssertionError(f"diagnostics never matched: {last}")

    async def code_actions(
        self,
        uri: str,
        range_: types.Range,
        only: list[str] | None,
        diagnostics: list[types.Diagnostic] = (),
    ) -> list[types.CodeAction]:
        actions = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                range_,
                types.CodeActionContext(diagnostics=list(diagnostics), only=only),
            )
        )
        return [a for a in actions or [] if isinstance(a, types.CodeAction)]

    async def resolved(self, action: types.CodeAction) -> types.CodeAction:
        """The action with its edit: resolved when the client supports resolve, else as sent."""
        if action.edit is None:
            caps = self.client.capabilities
            support = (
                caps.text_document.code_action.resolve_support
                if caps and caps.text_document
                else None
            )
            assert support is not None and "edit" in support.properties, "eager edit expected"
            action = await self.client.code_action_resolve_async(action)
        assert action.edit is not None
        return action

    def apply(self, edit: types.WorkspaceEdit, uri: str) -> str:
        by_uri = edits_by_uri(edit)
        if (
            self.client.capabilities.workspace.workspace_edit
            and self.client.capabilities.workspace.workspace_edit.document_changes
        ):  # type: ignore[union-attr]
            assert edit.document_changes is not None and edit.changes is None
        else:
            assert edit.changes is not None and edit.document_changes is None
        return apply_text_edits(self.texts[uri], by_uri[uri], self.encoding)


SERVER = [sys.executable, "-m", "mlflow_upgrade", "lsp", "--stdio"]
CLIENTS = ["visual_studio_code", "neovim@v0.7.0", "neovim", "emacs"]


def capabilities(profile: str) -> types.ClientCapabilities:
    caps = client_capabilities(profile)
    # No snapshot advertises notebooks; VS Code >= 1.72 does. Add it so notebook sync is on.
    caps.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()
    )
    return caps


async def start(
    lsp_client: LanguageClient,
    profile: str,
    options: dict | None = None,
    root: Path = WORKSPACE,
    caps: types.ClientCapabilities | None = None,
) -> Session:
    registrations: list[types.RegistrationParams] = []
    lsp_client.registrations = registrations  # type: ignore[attr-defined]

    def register(params: types.RegistrationParams) -> None:
        registrations.append(params)

    lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)(register)
    params = types.InitializeParams(
        capabilities=caps or capabilities(profile),
        root_uri=uri_of(root),
        workspace_folders=[types.WorkspaceFolder(uri_of(root), root.name)],
        initialization_options={"debounce": 30, **(options or {})},
    )
    result = await lsp_client.initialize_session(params)
    return Session(lsp_client, result, profile)
