"""Hover over a reported range: what changed, in which release, before/after, fix safety."""

from __future__ import annotations

from lsprotocol import types as lsp

from mlflow_upgrade.docs_gen import rule_url
from mlflow_upgrade.engine.findings import Applicability, Finding
from mlflow_upgrade.engine.rule import Rule, all_rules

_SAFETY = {
    Applicability.SAFE: "safe fix",
    Applicability.UNSAFE: "unsafe fix (review the result)",
    Applicability.DISPLAY_ONLY: "no automatic fix",
}


def _fix_line(finding: Finding) -> str:
    fix = finding.fix
    if fix is None or not fix.is_editing:
        message = f": {fix.message}" if fix is not None else ""
        return f"no automatic fix{message}"
    label = _SAFETY[fix.applicability]
    compatible = "; the result also runs on MLflow 2.22" if fix.works_on_2x else ""
    return f"{label}: {fix.message}{compatible} (quick fix available)"


def markdown(finding: Finding, rule: Rule | None) -> str:
    if rule is None:
        return f"**{finding.code}** {finding.message}"
    docs = rule.docs
    lang = docs.example_language
    url = rule_url(rule.code)
    lines = [
        f"**{rule.code}** `{rule.name}` · {rule.kind.value} in MLflow {rule.since}",
        "",
        finding.message,
        "",
        f"**What changed:** {docs.what_changed}",
        "",
        "MLflow 2:",
        f"```{lang}",
        docs.example,
        "```",
        "MLflow 3:",
        f"```{lang}",
        docs.use_instead,
        "```",
        "",
        f"**Fix:** {_fix_line(finding)}. {docs.fix_safety}",
    ]
    if url:
        lines += ["", f"[{rule.code} documentation]({url})"]
    return "\n".join(lines)


def plaintext(finding: Finding, rule: Rule | None) -> str:
    if rule is None:
        return f"{finding.code}: {finding.message}"
    docs = rule.docs

    def indent(text: str) -> str:
        return "\n".join("    " + line for line in text.splitlines())

    text = "\n".join(
        [
            f"{rule.code} {rule.name} ({rule.kind.value} in MLflow {rule.since})",
            finding.message,
            "",
            f"What changed: {docs.what_changed}",
            "",
            "MLflow 2:",
            indent(docs.example),
            "MLflow 3:",
            indent(docs.use_instead),
            "",
            f"Fix: {_fix_line(finding)}. {docs.fix_safety}",
        ]
    )
    return text.replace("`", "")


def wants_markdown(capabilities: lsp.ClientCapabilities) -> bool:
    hover = capabilities.text_document.hover if capabilities.text_document else None
    formats = list(hover.content_format or []) if hover else []
    if not formats:
        return True  # the LSP default for clients that do not say
    return formats[0] == lsp.MarkupKind.Markdown or (
        lsp.MarkupKind.PlainText not in formats and lsp.MarkupKind.Markdown in formats
    )


def hover_contents(findings: list[Finding], use_markdown: bool) -> lsp.MarkupContent:
    rules = all_rules()
    if use_markdown:
        body = "\n\n---\n\n".join(markdown(f, rules.get(f.code)) for f in findings)
        return lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=body)
    body = "\n\n".join(plaintext(f, rules.get(f.code)) for f in findings)
    return lsp.MarkupContent(kind=lsp.MarkupKind.PlainText, value=body)
