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


def _check(workspace: Path, *names: str) -> dict[str, list[dict]]:
    """The CLI's findings (JSON) for files of one workspace, by file name."""
    result = cli("check", "--format", "json", "--exit-zero", *names, cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    by_name: dict[str, list[dict]] = {name: [] for name in names}
    for finding in json.loads(result.stdout):
        by_name[Path(finding["filename"]).name].append(finding)
    return by_name


def _fix(path: Path) -> str:
    result = cli("fix", path.name, cwd=path.parent)
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 1: findings remain
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Expected:
    """The CLI's findings and fixes for the sample, at each stage of the editor session.

    Three CLI runs, two at a time: check and fix the sample, then check both results.
    """
    base = tmp_path_factory.mktemp("cli")
    original_ws = make_workspace(base / "original")
    stages_ws = make_workspace(base / "stages")
    original = (original_ws / SAMPLE).read_text(encoding="utf-8")
    fixed_path = stages_ws / "fixed.py"
    fixed_path.write_text(original, encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:
        checked = pool.submit(_check, original_ws, SAMPLE)
        fixed = pool.submit(_fix, fixed_path)
        findings = checked.result()[SAMPLE]
        fixed_text = fixed.result()
    targets = [
        f for f in findings if f["location"]["row"] == TARGET_LINE and f["code"] == TARGET_CODE
    ]
    assert len(targets) == 1, f"the CLI should find {TARGET_CODE} on line {TARGET_LINE}"
    assert targets[0]["fix"]["applicability"] == "safe", targets[0]
    after_quickfix = apply_cli_edits(original, targets[0]["fix"]["edits"])
    (stages_ws / "quickfix.py").write_text(after_quickfix, encoding="utf-8")
    stages = _check(stages_ws, "quickfix.py", "fixed.py")
    return Expected(
        original=original,
        findings=findings,
        target=targets[0],
        after_quickfix=after_quickfix,
        findings_after_quickfix=stages["quickfix.py"],
        fixed=fixed_text,
        findings_after_fix_all=stages["fixed.py"],
    )
