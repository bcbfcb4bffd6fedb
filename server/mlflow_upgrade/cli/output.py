"""Output formats: text (like ruff's), json, sarif, github annotations, statistics."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from typing import TextIO

from mlflow_upgrade import __version__
from mlflow_upgrade.cli.report import FileReport, ReportedFinding, as_json, rule_name
from mlflow_upgrade.docs_gen import rule_url
from mlflow_upgrade.engine.rule import all_rules

_SARIF_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def _findings(reports: list[FileReport]) -> list[ReportedFinding]:
    return [f for r in reports for f in r.findings]


def write_text(reports: list[FileReport], out: TextIO, color: bool = False) -> None:
    for finding in _findings(reports):
        marker = " [*]" if finding.fix_applicability == "safe" and finding.fixable else ""
        marker = (
            " [unsafe fix]" if finding.fix_applicability == "unsafe" and finding.fixable else marker
        )
        code = f"\033[1;31m{finding.code}\033[0m" if color else finding.code
        loc = finding.location
        out.write(
            f"{finding.display_path}:{loc.row}:{loc.column}: {code}{marker} {finding.message}\n"
        )
        gutter = len(str(loc.row))
        out.write(f"{' ' * gutter} |\n{loc.row} | {finding.source_line}\n")
        width = (
            finding.end_location.column - loc.column
            if finding.end_location.row == loc.row
            else len(finding.source_line) - loc.column + 1
        )
        out.write(f"{' ' * gutter} | {' ' * (loc.column - 1)}{'^' * max(width, 1)}\n\n")


def write_summary(reports: list[FileReport], out: TextIO, fixing: bool, unsafe: bool) -> None:
    findings = _findings(reports)
    errors = [r for r in reports if r.error]
    for report in errors:
        out.write(f"{report.path}: {report.error}\n")
    fixed = sum(r.fixed_count for r in reports)
    if fixing and fixed:
        files = sum(1 for r in reports if r.fixed is not None)
        out.write(
            f"Fixed {fixed} finding{'s' * (fixed != 1)} in {files} file{'s' * (files != 1)}.\n"
        )
    if not findings:
        if not fixing or not fixed:
            out.write("All checks passed!\n")
        return
    safe = sum(1 for f in findings if f.fixable and f.fix_applicability == "safe")
    risky = sum(1 for f in findings if f.fixable and f.fix_applicability == "unsafe")
    noun = "remaining" if fixing else "found"
    out.write(
        f"{len(findings)} finding{'s' * (len(findings) != 1)} {noun} in {len({f.path for f in findings})} file(s).\n"
    )
    if safe:
        out.write(f"[*] {safe} fixable with `mlflow-upgrade fix`.\n")
    if risky and not unsafe:
        out.write(f"{risky} more fixable with `mlflow-upgrade fix --unsafe-fixes`.\n")
    manual = len(findings) - safe - risky
    if manual > 0:
        out.write(f"{manual} need a manual change: each message says what to write instead.\n")


def write_statistics(reports: list[FileReport], out: TextIO) -> None:
    counts = Counter(f.code for f in _findings(reports))
    fixable = {f.code for f in _findings(reports) if f.fixable and f.fix_applicability == "safe"}
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        marker = "[*]" if code in fixable else "   "
        out.write(f"{count:5d}  {code}  {marker} {rule_name(code)}\n")


def write_json(reports: list[FileReport], out: TextIO) -> None:
    json.dump([as_json(f) for f in _findings(reports)], out, indent=2)
    out.write("\n")


def write_github(reports: list[FileReport], out: TextIO) -> None:
    for f in _findings(reports):
        level = _GITHUB_LEVEL[f.severity]
        message = f.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        out.write(
            f"::{level} title=mlflow-upgrade ({f.code}),file={f.path},line={f.location.row},"
            f"col={f.location.column},endLine={f.end_location.row},"
            f"endColumn={f.end_location.column}::{f.code} {message}\n"
        )


def write_sarif(reports: list[FileReport], out: TextIO) -> None:
    rules = all_rules()
    used = sorted({f.code for f in _findings(reports)})
    driver_rules = [
        {
            "id": code,
            "name": rules[code].name,
            "shortDescription": {"text": rules[code].summary},
            "fullDescription": {"text": rules[code].docs.what_changed},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rules[code].severity.value]},
            "properties": {"tier": rules[code].tier, "kind": rules[code].kind.value},
            **({"helpUri": rule_url(code)} if rule_url(code) else {}),
        }
        for code in used
        if code in rules
    ]
    results = [
        {
            "ruleId": f.code,
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path.as_posix()},
                        "region": {
                            "startLine": f.location.row,
                            "startColumn": f.location.column,
                            "endLine": f.end_location.row,
                            "endColumn": f.end_location.column,
                        },
                    },
                    **({"message": {"text": f"cell {f.cell}"}} if f.cell is not None else {}),
                }
            ],
        }
        for f in _findings(reports)
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlflow-upgrade",
                        "version": __version__,
                        "rules": driver_rules,
                    }
                },
                "results": results,
            }
        ],
    }
    json.dump(log, out, indent=2)
    out.write("\n")


def write_diff(reports: list[FileReport], out: TextIO) -> None:
    for report in reports:
        if report.fixed is None or report.original is None:
            continue
        out.writelines(
            difflib.unified_diff(
                report.original.splitlines(keepends=True),
                report.fixed.splitlines(keepends=True),
                fromfile=f"a/{report.path}",
                tofile=f"b/{report.path}",
            )
        )
