"""docs/lsp.md shows exactly the editor configuration that the end-to-end tests run."""

from __future__ import annotations

import re

import pytest
from e2e_harness import CONFIG, ROOT

DOC = ROOT / "docs" / "lsp.md"
FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)


def _blocks(language: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [body for lang, body in FENCE.findall(text) if lang.lower() == language]


@pytest.mark.parametrize(
    ("config", "languages"),
    [("init.lua", ("lua",)), ("eglot-init.el", ("elisp", "emacs-lisp", "lisp"))],
)
def test_doc_shows_the_tested_configuration(config: str, languages: tuple[str, ...]) -> None:
    assert DOC.exists(), f"{DOC} is missing"
    tested = (CONFIG / config).read_text(encoding="utf-8")
    shown = [block for language in languages for block in _blocks(language)]
    assert tested in shown, (
        f"docs/lsp.md must show tests/e2e_editors/config/{config} verbatim in a "
        f"```{languages[0]} block (the editor tests run that file); blocks found: {shown}"
    )
