"""Findings as the CLI reports them: 1-based rows and columns, cell numbers for notebooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mlflow_upgrade.docs_gen import rule_url
from mlflow_upgrade.engine.document import LineIndex
from mlflow_upgrade.engine.findings import Finding
from mlflow_upgrade.engine.rule import all_rules


@dataclass
class Location:
    row: int  # 1-based
    column: int  # 1-based, in characters

    def as_json(self) -> dict[str, int]:
        return {"row": self.row, "column": self.column}


@dataclass
class ReportedFinding:
    code: str
    message: str
    severity: str
    path: Path
    location: Location
    end_location: Location
    source_line: str
    cell: int | None = None  # 1-based notebook cell
    fix_applicability: str | None = None
    fix_message: str | None = None
    fix_edits: list[dict] = field(default_factory=list)
    works_on_2x: bool = False
    has_edits: bool = False

    @property
    def display_path(self) -> str:
        return f"{self.path}:cell {self.cell}" if self.cell is not None else str(self.path)

    @property
    def fixable(self) -> bool:
        return self.fix_applicability in ("safe", "unsafe") and self.has_edits


@dataclass
class FileReport:
    path: Path
    findings: list[ReportedFinding] = field(default_factory=list)
    error: str | None = None  # could not read, decode or parse
    original: str | None = None
    fixed: str | None = None  # new text when `fix` changed the file
    new_bytes: bytes | None = None  # what to write: the new text in the file's encoding
    fixed_count: int = 0


def edit_json(index: LineIndex, start: int, end: int, content: str) -> dict:
    a, b = index.position(start), index.position(end)
    return {
        "content": content,
        "location": {"row": a.line + 1, "column": a.column + 1},
        "end_location": {"row": b.line + 1, "column": b.column + 1},
    }


def report_finding(
    finding: Finding, index: LineIndex, path: Path, cell: int | None = None, with_edits: bool = True
) -> ReportedFinding:
    start, end = finding.span.start, finding.span.end
    fix = finding.fix
    edits = (
        [edit_json(index, e.start, e.end, e.replacement) for e in fix.edits]
        if fix is not None and with_edits and fix.is_editing
        else []
    )
    return ReportedFinding(
        code=finding.code,
        message=finding.message,
        severity=finding.severity.value,
        path=path,
        location=Location(start.line + 1, start.column + 1),
        end_location=Location(end.line + 1, end.column + 1),
        source_line=index.line_text(start.line),
        cell=cell,
        fix_applicability=fix.applicability.value if fix else None,
        fix_message=fix.message if fix else None,
        fix_edits=edits,
        works_on_2x=bool(fix and fix.works_on_2x),
        has_edits=bool(fix and fix.is_editing),
    )


def rule_name(code: str) -> str:
    rule = all_rules().get(code)
    return rule.name if rule else code


def as_json(finding: ReportedFinding) -> dict:
    fix = None
    if finding.fix_applicability is not None:
        fix = {
            "applicability": finding.fix_applicability,
            "message": finding.fix_message,
            "edits": finding.fix_edits,
            "works_on_2x": finding.works_on_2x,
        }
    return {
        "code": finding.code,
        "name": rule_name(finding.code),
        "message": finding.message,
        "severity": finding.severity,
        "filename": str(finding.path),
        "cell": finding.cell,
        "location": finding.location.as_json(),
        "end_location": finding.end_location.as_json(),
        "fix": fix,
        "url": rule_url(finding.code),
    }
