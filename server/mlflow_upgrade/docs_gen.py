"""Documentation generated from the rule declarations.

`python -m mlflow_upgrade.docs_gen` writes docs/rules/<CODE>.md and the rules table
between the markers in README.md; `tests/test_docs.py` fails when they are stale.
Hover text and `explain` use the same functions.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from mlflow_upgrade.engine.rule import Rule, all_rules

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = REPO_ROOT / "docs" / "rules"
README = REPO_ROOT / "README.md"
TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"


@cache
def rule_url(code: str) -> str | None:
    """A link to the rule's page: the docs shipped beside this checkout, when present."""
    page = DOCS_DIR / f"{code}.md"
    return page.as_uri() if page.is_file() else None


def _fix_line(rule: Rule) -> str:
    if not rule.fixable:
        return "display-only: the message says what to write; no automatic edit"
    label = rule.fix_label
    compatible = (
        "the result also runs on MLflow 2.22" if rule.works_on_2x else "the result needs MLflow 3"
    )
    return f"{label} ({compatible})"


def rule_markdown(rule: Rule, heading: str = "#") -> str:
    docs = rule.docs
    lang = docs.example_language
    return "\n".join(
        [
            f"{heading} {rule.code} {rule.name}",
            "",
            f"**{rule.summary}**",
            "",
            f"Tier {rule.tier} · {rule.kind.value} in MLflow {rule.since} · default severity "
            f"{rule.severity.value} · fix: {_fix_line(rule)}"
            + (f" · catalogue {rule.catalogue}" if rule.catalogue else ""),
            "",
            f"{heading}# What changed",
            "",
            docs.what_changed,
            "",
            f"{heading}# Why",
            "",
            docs.why,
            "",
            f"{heading}# Example",
            "",
            f"```{lang}",
            docs.example,
            "```",
            "",
            f"{heading}# Use instead",
            "",
            f"```{lang}",
            docs.use_instead,
            "```",
            "",
            f"{heading}# Fix safety",
            "",
            docs.fix_safety,
            "",
        ]
    )


def rule_plaintext(rule: Rule) -> str:
    """The rule's page for terminals and plain-text hover."""
    docs = rule.docs
    indent = lambda text: "\n".join("    " + line for line in text.splitlines())  # noqa: E731
    return "\n".join(
        [
            f"{rule.code} {rule.name}: {rule.summary}",
            f"{rule.kind.value} in MLflow {rule.since}; severity {rule.severity.value}; fix: {_fix_line(rule)}",
            "",
            "What changed:",
            docs.what_changed,
            "",
            "Why:",
            docs.why,
            "",
            "Example (MLflow 2):",
            indent(docs.example),
            "",
            "Use instead:",
            indent(docs.use_instead),
            "",
            "Fix safety:",
            docs.fix_safety,
            "",
        ]
    ).replace("`", "")


def rules_table() -> str:
    lines = [
        "| code | name | tier | kind | since | fix | works on 2.22 |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in all_rules().values():
        compatible = "yes" if rule.fixable and rule.works_on_2x else ("no" if rule.fixable else "—")
        lines.append(
            f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} | {rule.tier} | "
            f"{rule.kind.value} | {rule.since} | {rule.fix_label} | {compatible} |"
        )
    return "\n".join(lines)


def rendered_pages() -> dict[Path, str]:
    return {DOCS_DIR / f"{code}.md": rule_markdown(rule) for code, rule in all_rules().items()}


def rendered_readme(current: str) -> str:
    start, end = current.find(TABLE_START), current.find(TABLE_END)
    if start < 0 or end < 0:
        return current
    return current[: start + len(TABLE_START)] + "\n" + rules_table() + "\n" + current[end:]


def write_all() -> list[Path]:
    changed = []
    DOCS_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in rendered_pages().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for stale in set(DOCS_DIR.glob("MLF*.md")) - set(rendered_pages()):
        stale.unlink()
        changed.append(stale)
    if README.exists():
        current = README.read_text(encoding="utf-8")
        updated = rendered_readme(current)
        if updated != current:
            README.write_text(updated, encoding="utf-8")
            changed.append(README)
    return changed


if __name__ == "__main__":
    for path in write_all():
        print(f"wrote {path}", file=sys.stderr)
