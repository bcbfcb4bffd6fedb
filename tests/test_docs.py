"""Generated documentation must match the rule declarations."""

from __future__ import annotations

import ast

import pytest

from mlflow_upgrade.docs_gen import DOCS_DIR, README, rendered_pages, rendered_readme
from mlflow_upgrade.engine.rule import all_rules

RULES = all_rules()


def test_rule_pages_are_current() -> None:
    stale = [
        path.name
        for path, text in rendered_pages().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    extra = {p.name for p in DOCS_DIR.glob("MLF*.md")} - {p.name for p in rendered_pages()}
    assert not stale and not extra, "run `make docs` to regenerate docs/rules"


def test_readme_rules_table_is_current() -> None:
    current = README.read_text(encoding="utf-8")
    assert rendered_readme(current) == current, "run `make docs` to refresh the README table"


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_is_fully_declared(code: str) -> None:
    rule = RULES[code]
    assert rule.code == code
    assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary and rule.since and rule.tier in (1, 2)
    docs = rule.docs
    for section in ("what_changed", "why", "example", "use_instead", "fix_safety"):
        assert getattr(docs, section).strip(), f"{code}: empty {section}"
    if docs.example_language == "python":
        ast.parse(docs.example)
        ast.parse(docs.use_instead)
