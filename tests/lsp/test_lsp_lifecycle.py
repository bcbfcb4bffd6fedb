"""Process lifecycle, transports, fault tolerance, workspace fix, watched files, showLog."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsp_helpers import (
    HERE,
    SERVER,
    TIMEOUT,
    WORKSPACE,
    apply_text_edits,
    capabilities,
    edits_by_uri,
    start,
    uri_of,
)
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SOURCE = (WORKSPACE / "train.py").read_text(encoding="utf-8")


# Exit codes and transports, with a raw JSON-RPC client --------------------------------
def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _read(stream) -> dict:
    length = 0
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("server closed the stream")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))


def _until_response(stream, number: int) -> dict:
    while True:
        message = _read(stream)
        if message.get("id") == number and "method" not in message:
            return message


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"processId": None, "rootUri": None, "capabilities": {}},
}


def _session(command: list[str], shutdown: bool) -> int:
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(_frame(INITIALIZE))
        process.stdin.flush()
        reply = _until_response(process.stdout, 1)
        assert reply["result"]["serverInfo"]["name"] == "mlflow-upgrade"
        process.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        if shutdown:
            process.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
            process.stdin.flush()
            assert _until_response(process.stdout, 2).get("result", "missing") is None
        process.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
        process.stdin.flush()
        return process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()


def test_exit_code_one_without_shutdown():
    # stdio is the default: no --stdio flag here.
    assert _session([sys.executable, "-m", "mlflow_upgrade", "lsp"], shutdown=False) == 1


def test_tcp_transport():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [*SERVER[:-1], "--tcp", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command)
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with connection:
            stream = connection.makefile("rwb")
            stream.write(_frame(INITIALIZE))
            stream.flush()
            assert "capabilities" in _until_response(stream, 1)["result"]
            stream.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
            stream.flush()
            _until_response(stream, 2)
            stream.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
            stream.flush()
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()


# Faults ------------------------------------------------------------------------------
FAULTY = [sys.executable, str(HERE / "faulty_server.py")]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=FAULTY))
async def faulty(lsp_client: LanguageClient):
    lsp_client.session = await start(lsp_client, "visual_studio_code")  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _error_logged(client: LanguageClient, needle: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if any(
            needle in m.message and m.type == types.MessageType.Error for m in client.log_messages
        ):
            return
        await asyncio_sleep()
    raise AssertionError(f"no error log with {needle!r}")


async def asyncio_sleep() -> None:
    import asyncio

    await asyncio.sleep(0.02)


async def test_faults_are_logged_and_answered(faulty):
    lsp = faulty.session
    # A rule that raises: logged, the server keeps going.
    boom = uri_of(WORKSPACE / "boom.py")
    lsp.open(boom, SOURCE + "# BOOM\n")
    assert await lsp.diagnostics(boom) == []
    await _error_logged(faulty, "injected rule failure")
    # An analysis that raises: logged, empty diagnostics published, no crash.
    crash = uri_of(WORKSPACE / "crash.py")
    lsp.open(crash, SOURCE)
    assert await lsp.diagnostics(crash) == []
    await _error_logged(faulty, "injected analysis failure")
    # A handler that raises: the request is answered (null) and the error logged.
    fine = uri_of(WORKSPACE / "fine.py")
    lsp.open(fine, SOURCE)
    (first, *_) = await lsp.diagnostics(fine)
    hover = await faulty.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(fine), first.range.start)
    )
    assert hover is None
    await _error_logged(faulty, "injected hover failure")
    actions = await lsp.code_actions(fine, first.range, ["quickfix"], [first])
    assert any(a.kind == "quickfix" for a in actions)


# Workspace fix, watched files, interpreter and showLog on a scratch workspace ---------
@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("workspace")
    (root / "pyproject.toml").write_text((WORKSPACE / "pyproject.toml").read_text())
    (root / "train.py").write_text(SOURCE, encoding="utf-8")
    (root / "pkg").mkdir()
    (root / "pkg" / "more.py").write_text(
        'import mlflow\n\nmlflow.pyfunc.log_model(artifact_path="agent", python_model=None)\n'
    )
    (root / "ignored").mkdir()
    (root / "ignored" / "old.py").write_text(SOURCE)
    (root / ".gitignore").write_text("ignored/\n")
    notebook = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": ["import mlflow\n", "%pip list\n"]},
            {
                "cell_type": "code",
                "metadata": {},
                "source": ['mlflow.sklearn.log_model(m, artifact_path="nb")\n'],
            },
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / "analysis.ipynb").write_text(json.dumps(notebook, indent=1) + "\n")
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "python").symlink_to(sys.executable)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def scratch_client(request, lsp_client: LanguageClient):
    root: Path = request.getfixturevalue("scratch")
    applied: list[types.ApplyWorkspaceEditParams] = []

    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        applied.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    lsp_client.feature(types.WORKSPACE_APPLY_EDIT)(apply_edit)
    lsp_client.applied = applied  # type: ignore[attr-defined]
    session = await start(lsp_client, "visual_studio_code", root=root)
    lsp_client.session = session  # type: ignore[attr-defined]
    lsp_client.root = root  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_fix_workspace_show_log_and_watched_files(scratch_client):
    lsp = scratch_client.session
    root: Path = scratch_client.root
    open_uri = uri_of(root / "train.py")
    unsaved = SOURCE.replace("model = LinearRegression()", "model = LinearRegression()  # edited")
    lsp.open(open_uri, unsaved)
    assert len(await lsp.diagnostics(open_uri)) == 3

    result = await scratch_client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="mlflow-upgrade.fixWorkspace")
    )
    assert result["applied"] is True and result["files"] == 3 and result["fixes"] == 5
    (params,) = scratch_client.applied
    by_uri = edits_by_uri(params.edit)
    assert set(by_uri) == {
        open_uri,
        uri_of(root / "pkg" / "more.py"),
        uri_of(root / "analysis.ipynb"),
    }
    versions = {c.text_document.uri: c.text_document.version for c in params.edit.document_changes}
    assert versions[open_uri] == 1 and versions[uri_of(root / "pkg" / "more.py")] is None
    # The open document is fixed from its unsaved text.
    fixed = apply_text_edits(unsaved, by_uri[open_uri], lsp.encoding)
    assert "# edited" in fixed and "artifact_path" not in fixed
    more = apply_text_edits(
        (root / "pkg" / "more.py").read_text(),
        by_uri[uri_of(root / "pkg" / "more.py")],
        lsp.encoding,
    )
    assert 'log_model(name="agent", python_model=None)' in more
    notebook_text = (root / "analysis.ipynb").read_text()
    notebook = json.loads(
        apply_text_edits(notebook_text, by_uri[uri_of(root / "analysis.ipynb")], lsp.encoding)
    )
    assert notebook["cells"][1]["source"] == ['mlflow.sklearn.log_model(m, name="nb")\n']
    assert notebook["cells"][0]["source"] == ["import mlflow\n", "%pip list\n"]
    # Progress was reported from begin to end.
    reports = [r for values in scratch_client.progress_reports.values() for r in values]
    assert reports[0].kind == "begin" and reports[-1].kind == "end"
    assert "5 fixes in 3 files" in reports[-1].message

    # The workspace's .venv is the interpreter jedi reads; showLog says so.
    log_text = await scratch_client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="mlflow-upgrade.showLog")
    )
    assert str(root / ".venv" / "bin" / "python") in log_text
    assert "position encoding utf-16" in log_text

    # pyproject.toml changes are picked up through watched files.
    registered = [r.method for p in scratch_client.registrations for r in p.registrations]
    assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES in registered
    mark = len(lsp.recorder.published)
    (root / "pyproject.toml").write_text('[tool.mlflow-upgrade]\nselect = ["MLF9"]\n')
    scratch_client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri_of(root / "pyproject.toml"), types.FileChangeType.Changed)]
        )
    )
    await lsp.diagnostics_until(open_uri, lambda ds: ds == [], mark)
    lsp.close(open_uri)
    shutil.rmtree(root / ".venv")


# Eglot 1.9 without markdown-mode: utf-16, plain-text hover, no resolve -----------------
@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def eglot19(lsp_client: LanguageClient):
    caps = capabilities("emacs")
    caps.general = None  # Eglot 1.9 states no position encodings
    caps.text_document.hover.content_format = [types.MarkupKind.PlainText]
    options = {"bogus": 1, "interpreter": "/nonexistent/bin/python"}
    lsp_client.session = await start(lsp_client, "emacs", options, caps=caps)  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_plaintext_client_gets_plaintext_and_eager_edits(eglot19):
    lsp = eglot19.session
    assert lsp.encoding == "utf-16"
    # Bad initializationOptions: a warning each, defaults, and the server works.
    await lsp.wait_for_message("unknown setting `bogus`")
    await lsp.wait_for_message("interpreter '/nonexistent/bin/python' does not exist")
    uri = uri_of(WORKSPACE / "eglot.py")
    lsp.open(uri, SOURCE)
    diagnostics = await lsp.diagnostics(uri)
    hover = await eglot19.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), diagnostics[1].range.start)
    )
    assert hover.contents.kind == types.MarkupKind.PlainText
    assert "MLF101" in hover.contents.value and "```" not in hover.contents.value
    actions = await lsp.code_actions(uri, diagnostics[1].range, ["quickfix"], [diagnostics[1]])
    assert all(a.edit is not None for a in actions)  # no codeAction/resolve in Eglot
    (fix,) = [a for a in actions if a.kind == "quickfix"]
    assert 'name="emoji"' in lsp.apply(fix.edit, uri)
