"""pytest-lsp fixtures: the server over stdio, under four client capability profiles.

VS Code 1.65 and Neovim 0.7 negotiate UTF-16, the newest Neovim UTF-8 (and pulls
diagnostics), Emacs 29 UTF-32.
"""

from __future__ import annotations

import pytest
import pytest_lsp
from lsp_helpers import CLIENTS, SERVER, Session, start
from pytest_lsp import ClientServerConfig, LanguageClient


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
