"""`# noqa` comments: per line, per code, and `# mlflow-upgrade: noqa` for a whole file."""

from __future__ import annotations

import re

from mlflow_upgrade.engine.document import LineIndex
from mlflow_upgrade.engine.findings import Finding

_NOQA = re.compile(r"#\s*noqa(?P<colon>:\s*(?P<codes>[A-Za-z]+\d+(?:[\s,]+[A-Za-z]+\d+)*))?", re.I)
_FILE_NOQA = re.compile(r"^\s*#\s*mlflow-upgrade:\s*noqa\s*$", re.I | re.M)


def file_suppressed(text: str) -> bool:
    return "mlflow-upgrade" in text and _FILE_NOQA.search(text) is not None


def line_codes(line: str) -> set[str] | None:
    """The codes a line's noqa comment names; an empty set means all; None: no comment."""
    match = _NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    return {c.upper() for c in re.split(r"[\s,]+", codes) if c} if codes else set()


def is_suppressed(finding: Finding, index: LineIndex) -> bool:
    for line in {finding.span.start.line, finding.span.end.line}:
        codes = line_codes(index.line_text(line))
        if codes is not None and (not codes or finding.code in codes):
            return True
    return False


def noqa_edit_text(line: str, code: str) -> str:
    """The line with `code` added to its noqa comment (or a new comment appended)."""
    match = _NOQA.search(line)
    if match is None:
        return f"{line.rstrip()}  # noqa: {code}"
    codes = match.group("codes")
    if not codes:
        return line
    return line[: match.end("codes")] + f", {code}" + line[match.end("codes") :]
