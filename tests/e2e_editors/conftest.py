"""Fixtures for the editor end-to-end tests (the harness is in e2e_harness.py)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from e2e_harness import (
    SAMPLE,
    TARGET_CODE,
    TARGET_LINE,
    Expected,
    apply_cli_edits,
    cli,
    make_workspace,
)


def _check(path: Path) -> list[dict]:
    result = cli("check", "--format", "json", "--exit-zero", path.name, cwd=path.parent)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _fix(path: Path) -> str:
    result = cli("fix", path.name, cwd=path.parent)
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 1: findings remain
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Expected:
    """The CLI's findings and fixes for the sample, at each stage of the editor session."""
    base = tmp_path_factory.mktemp("cli")
    original_ws = make_workspace(base / "original")
    quickfix_ws = make_workspace(base / "quickfix")
    fixed_ws = make_workspace(base / "fixed")
    original = (original_ws / SAMPLE).read_text(encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:  # each CLI run is mostly start-up: run two at a time
        checked = pool.submit(_check, original_ws / SAMPLE)
        fixed = pool.submit(_fix, fixed_ws / SAMPLE)
        findings = checked.result()
        targets = [
            f for f in findings if f["location"]["row"] == TARGET_LINE and f["code"] == TARGET_CODE
        ]
        assert len(targets) == 1, f"the CLI should find {TARGET_CODE} on line {TARGET_LINE}"
        assert targets[0]["fix"]["applicability"] == "safe", targets[0]
        after_quickfix = apply_cli_edits(original, targets[0]["fix"]["edits"])
        (quickfix_ws / SAMPLE).write_text(after_quickfix, encoding="utf-8")
        after_quickfix_findings = pool.submit(_check, quickfix_ws / SAMPLE)
        fixed_text = fixed.result()
        after_fix_all_findings = pool.submit(_check, fixed_ws / SAMPLE)
        return Expected(
            original=original,
            findings=findings,
            target=targets[0],
            after_quickfix=after_quickfix,
            findings_after_quickfix=after_quickfix_findings.result(),
            fixed=fixed_text,
            findings_after_fix_all=after_fix_all_findings.result(),
        )
