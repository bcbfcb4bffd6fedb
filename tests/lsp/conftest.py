"""pytest-lsp fixtures: the server over stdio, under four client capability profiles.

VS Code 1.65 and Neovim 0.7 negotiate UTF-16, the newest Neovim UTF-8 (and pulls
diagnostics), Emacs 29 UTF-32.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsp_helpers import WORKSPACE, Session, uri_of
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

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


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER), params=CLIENTS, scope="session"
)
async def client(request, lsp_client: LanguageClient):
    """One server per client profile for the whole run (starting one costs about a second)."""
    lsp_client.session = await start(lsp_client, request.param)  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()
    # `shutdown` then `exit`: the process ends with 0 (1 without shutdown: test_lsp_lifecycle).
    assert lsp_client._server is not None and lsp_client._server.returncode == 0


@pytest.fixture(scope="session")
def lsp(client: LanguageClient) -> Session:
    """The started server as the tests drive it (see `lsp_helpers.Session`)."""
    return client.session  # type: ignore[attr-defined]
