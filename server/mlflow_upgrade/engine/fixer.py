"""Applying fixes: pick non-overlapping edits, re-analyse, repeat until stable.

Overlapping fixes (two rules on one call) are resolved by applying the first and
letting the next pass recompute the other on the changed text. The loop is
bounded, and a pass whose result no longer parses is undone fix by fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlflow_upgrade.engine.analyze import Analysis, Engine
from mlflow_upgrade.engine.document import Document, FileKind, apply_edits
from mlflow_upgrade.engine.findings import Applicability, Finding, TextEdit
from mlflow_upgrade.python.parse import parses

MAX_PASSES = 12


@dataclass
class FixOutcome:
    document: Document
    applied: list[Finding] = field(default_factory=list)
    remaining: Analysis | None = None

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def wanted(finding: Finding, unsafe: bool, compatible_only: bool = False) -> bool:
    fix = finding.fix
    if fix is None or not fix.is_editing:
        return False
    if fix.applicability is Applicability.UNSAFE and not unsafe:
        return False
    return not compatible_only or fix.works_on_2x


def choose_edits(findings: list[Finding]) -> tuple[list[Finding], list[TextEdit]]:
    """The findings whose edits overlap nothing chosen before them, and their edits."""
    chosen: list[Finding] = []
    edits: list[TextEdit] = []
    for finding in findings:
        candidate = finding.fix.edits if finding.fix else []
        if not candidate:
            continue
        if any(_overlaps(a, b) for a in candidate for b in edits):
            continue
        chosen.append(finding)
        edits.extend(candidate)
    return chosen, edits


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one point: order would be arbitrary
    return a.start < b.end and b.start < a.end


def _parses(document: Document, text: str) -> bool:
    return document.kind is not FileKind.PYTHON or parses(text)


def fix_document(
    engine: Engine, document: Document, unsafe: bool = False, compatible_only: bool = False
) -> FixOutcome:
    outcome = FixOutcome(document)
    current = document
    for _ in range(MAX_PASSES):
        analysis = engine.analyze(current)
        if analysis.syntax_error is not None:
            outcome.remaining = analysis
            break  # never rewrite a file that does not parse
        candidates = [f for f in analysis.findings if wanted(f, unsafe, compatible_only)]
        chosen, edits = choose_edits(candidates)
        text = apply_edits(current.text, edits) if edits else current.text
        if edits and not _parses(current, text):
            chosen, text = _apply_one_by_one(current, chosen)
        if not chosen or text == current.text:
            outcome.remaining = analysis
            break
        outcome.applied.extend(chosen)
        current = current.with_text(text)
    else:
        outcome.remaining = engine.analyze(current)
    outcome.document = current
    return outcome


def _apply_one_by_one(document: Document, findings: list[Finding]) -> tuple[list[Finding], str]:
    """Keep only the fixes whose own result parses (a bug guard; logged by tests)."""
    kept = [f for f in findings if _parses(document, apply_edits(document.text, f.fix.edits))]
    _, edits = choose_edits(kept)
    text = apply_edits(document.text, edits)
    return (kept, text) if _parses(document, text) else ([], document.text)
