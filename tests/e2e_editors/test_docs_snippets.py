"""docs/lsp.md shows exactly the editor configuration that the end-to-end tests run."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from e2e_harness import CONFIG, ROOT, require_binary

DOC = ROOT / "docs" / "lsp.md"
FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)


def _blocks(language: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [body for lang, body in FENCE.findall(text) if lang.lower() == language]


@pytest.mark.parametrize(
    ("config", "languages"),
    [
        ("init.lua", ("lua",)),
        ("init-0.11.lua", ("lua",)),
        ("eglot-init.el", ("elisp", "emacs-lisp", "lisp")),
    ],
)
def test_doc_shows_the_tested_configuration(config: str, languages: tuple[str, ...]) -> None:
    assert DOC.exists(), f"{DOC} is missing"
    tested = (CONFIG / config).read_text(encoding="utf-8")
    shown = [block for language in languages for block in _blocks(language)]
    assert tested in shown, (
        f"docs/lsp.md must show tests/e2e_editors/config/{config} verbatim in a "
        f"```{languages[0]} block (the editor tests run that file); blocks found: {shown}"
    )


def _write_blocks(tmp_path: Path, languages: tuple[str, ...], suffix: str) -> list[Path]:
    blocks = [block for language in languages for block in _blocks(language)]
    assert blocks, f"docs/lsp.md has no {languages[0]} block"
    paths = []
    for number, block in enumerate(blocks):
        path = tmp_path / f"block{number}{suffix}"
        path.write_text(block, encoding="utf-8")
        paths.append(path)
    return paths


def test_doc_lua_blocks_compile(tmp_path: Path) -> None:
    """Every Lua block in the doc (lspconfig and 0.11 variants too) is valid Lua."""
    nvim = require_binary("nvim", "neovim")
    paths = _write_blocks(tmp_path, ("lua",), ".lua")
    check = "; ".join(f"assert(loadfile({json.dumps(str(p))}))" for p in paths)
    result = subprocess.run(
        [nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"lua {check}", "-c", "qa!"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "XDG_STATE_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_doc_elisp_blocks_read(tmp_path: Path) -> None:
    """Every Emacs Lisp block in the doc reads as complete, balanced forms."""
    emacs = require_binary("emacs", "emacs-nox")
    for path in _write_blocks(tmp_path, ("elisp", "emacs-lisp"), ".el"):
        program = (
            f"(with-temp-buffer (insert-file-contents {json.dumps(str(path))})"
            " (emacs-lisp-mode) (check-parens) (goto-char (point-min))"
            " (condition-case nil (while t (read (current-buffer))) (end-of-file nil)))"
        )
        result = subprocess.run(
            [emacs, "--batch", "--eval", program],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "HOME": str(tmp_path)},
        )
        assert result.returncode == 0, f"{path.read_text()}\n{result.stderr}"
