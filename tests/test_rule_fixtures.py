"""Per-rule fixtures: reported lines are marked in the file; `.fixed` files hold the exact fix.

tests/fixtures/rules/<CODE>/<case>.<ext>
    Lines that must be reported end with a comment `expect: <CODE>` (several codes
    comma-separated). Files without markers must produce no finding for the code.
tests/fixtures/rules/<CODE>/<case>.fixed.<ext>
    The exact text after `fix --unsafe-fixes` with only <CODE> selected.
tests/fixtures/rules/<CODE>/<case>/<realname>
    Files whose kind depends on their name (`Dockerfile`, `.env`, `pyproject.toml`) sit in a
    folder per case; `<realname>.fixed` / `<stem>.fixed<suffix>` beside them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlflow_upgrade.engine.analyze import Engine
from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.engine.fixer import fix_document
from mlflow_upgrade.engine.rule import all_rules
from mlflow_upgrade.engine.settings import Settings
from mlflow_upgrade.files.detect import detect_kind

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
_MARKER = re.compile(r"expect:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)")


def _cases() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/**/*") if p.is_file() and ".fixed" not in p.suffixes)


def _code(case: Path) -> str:
    return case.relative_to(FIXTURES).parts[0]


def _case_id(case: Path) -> str:
    return case.relative_to(FIXTURES).as_posix()


def _expected_lines(text: str, code: str) -> list[int]:
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _MARKER.search(line)
        if match and code in {c.strip() for c in match.group(1).split(",")}:
            lines.append(number)
    return lines


def _document(path: Path) -> Document:
    kind = detect_kind(path)
    assert kind is not None, f"{path} is not a file kind mlflow-upgrade reads"
    return Document(path.read_text(encoding="utf-8"), path, kind)


def _engine(code: str) -> Engine:
    return Engine(Settings(select=(code,)))


@pytest.mark.parametrize("case", _cases(), ids=_case_id)
def test_reported_lines(case: Path) -> None:
    code = _code(case)
    document = _document(case)
    analysis = _engine(code).analyze(document)
    assert analysis.syntax_error is None
    assert not analysis.internal_errors
    reported = sorted({f.span.start.line + 1 for f in analysis.findings if f.code == code})
    assert reported == _expected_lines(document.text, code)


@pytest.mark.parametrize(
    "case",
    [c for c in _cases() if c.with_name(c.stem + ".fixed" + c.suffix).exists()],
    ids=_case_id,
)
def test_fixed_result(case: Path) -> None:
    code = _code(case)
    engine = _engine(code)
    outcome = fix_document(engine, _document(case), unsafe=True)
    expected = case.with_name(case.stem + ".fixed" + case.suffix).read_text(encoding="utf-8")
    assert outcome.document.text == expected
    again = fix_document(engine, outcome.document, unsafe=True)
    assert not again.applied, "fixing twice changed the file again"


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_every_rule_has_positive_and_negative_fixtures(code: str) -> None:
    cases = [c for c in _cases() if _code(c) == code]
    texts = [c.read_text(encoding="utf-8") for c in cases]
    assert any(_expected_lines(t, code) for t in texts), f"{code}: no fixture with a reported line"
    assert any(not _expected_lines(t, code) for t in texts), f"{code}: no negative fixture"
