"""The command line: exit codes, output formats, faithful writes, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlflow_upgrade.cli import main

OLD = 'import mlflow\n\nwith mlflow.start_run():\n    mlflow.sklearn.log_model(model, artifact_path="model")\n'
NEW = (
    'import mlflow\n\nwith mlflow.start_run():\n    mlflow.sklearn.log_model(model, name="model")\n'
)


def run_cli(*args: str) -> tuple[int, str, str]:
    completed = subprocess.run(
        [sys.executable, "-m", "mlflow_upgrade", *args], capture_output=True, text=True, timeout=120
    )
    return completed.returncode, completed.stdout, completed.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    # Only MLF101, so counts and positions below do not depend on other rules.
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'demo'\n\n[tool.mlflow-upgrade]\nselect = [\"MLF101\"]\n"
    )
    (tmp_path / "train.py").write_text(OLD)
    (tmp_path / "clean.py").write_text("import mlflow\nmlflow.log_param('a', 1)\n")
    return tmp_path


def test_check_exit_codes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--no-jedi", str(project / "clean.py")]) == 0
    assert main(["check", "--no-jedi", str(project)]) == 1
    assert main(["check", "--no-jedi", "--exit-zero", str(project)]) == 0
    assert main(["check", "--no-jedi", str(project / "missing.py")]) == 2
    assert main(["check", "--format", "xml", str(project)]) == 2
    assert main(["explain", "MLF999"]) == 2


def test_text_output_points_at_the_finding(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--no-jedi", str(project / "train.py")])
    out = capsys.readouterr().out
    assert f"{project / 'train.py'}:4:37: MLF101 [*] `artifact_path` is deprecated" in out
    assert '4 |     mlflow.sklearn.log_model(model, artifact_path="model")' in out
    assert "|" + " " * 37 + "^" * len('artifact_path="model"') in out
    assert "1 finding found in 1 file(s)." in out
    assert "[*] 1 fixable with `mlflow-upgrade fix`." in out


def test_json_shape(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--no-jedi", "--format", "json", str(project)])
    findings = json.loads(capsys.readouterr().out)
    assert len(findings) == 1
    finding = findings[0]
    assert {
        "code",
        "name",
        "message",
        "severity",
        "filename",
        "location",
        "end_location",
        "fix",
        "url",
    } <= set(finding)
    assert finding["code"] == "MLF101"
    assert finding["name"] == "artifact-path-to-name"
    assert finding["severity"] == "warning"
    assert finding["location"] == {"row": 4, "column": 37}
    assert finding["end_location"] == {"row": 4, "column": 58}
    assert finding["fix"]["applicability"] == "safe"
    assert finding["fix"]["edits"] == [
        {
            "content": "name",
            "location": {"row": 4, "column": 37},
            "end_location": {"row": 4, "column": 50},
        }
    ]


def test_sarif_and_github(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--no-jedi", "--format", "sarif", str(project)])
    sarif = json.loads(capsys.readouterr().out)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert run["tool"]["driver"]["rules"][0]["id"] == "MLF101"
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (4, 37)
    main(["check", "--no-jedi", "--format", "github", str(project)])
    line = capsys.readouterr().out.strip()
    assert line.startswith("::warning title=mlflow-upgrade (MLF101),file=")
    assert ",line=4,col=37,endLine=4,endColumn=58::MLF101 " in line


def test_statistics(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "more.py").write_text(OLD)
    main(["check", "--no-jedi", "--statistics", str(project)])
    assert "    2  MLF101  [*] artifact-path-to-name" in capsys.readouterr().out


def test_diff_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", "--no-jedi", "--diff", str(project)]) == 1
    out = capsys.readouterr().out
    assert '-    mlflow.sklearn.log_model(model, artifact_path="model")' in out
    assert '+    mlflow.sklearn.log_model(model, name="model")' in out
    assert (project / "train.py").read_text() == OLD


def test_fix_writes_and_is_idempotent(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", "--no-jedi", str(project)]) == 0
    assert (project / "train.py").read_text() == NEW
    assert "Fixed 1 finding in 1 file." in capsys.readouterr().out
    assert main(["fix", "--no-jedi", str(project)]) == 0
    assert (project / "train.py").read_text() == NEW


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (OLD.replace("\n", "\r\n").encode(), NEW.replace("\n", "\r\n").encode()),
        (b"\xef\xbb\xbf" + OLD.encode(), b"\xef\xbb\xbf" + NEW.encode()),
        (
            ("# -*- coding: latin-1 -*-\n# Café\n" + OLD).encode("latin-1"),
            ("# -*- coding: latin-1 -*-\n# Café\n" + NEW).encode("latin-1"),
        ),
    ],
    ids=["crlf", "bom", "latin-1"],
)
def test_fix_keeps_line_endings_bom_and_encoding(
    tmp_path: Path, raw: bytes, expected: bytes
) -> None:
    path = tmp_path / "script.py"
    path.write_bytes(raw)
    (tmp_path / "pyproject.toml").write_text('[tool.mlflow-upgrade]\nselect = ["MLF101"]\n')
    path.chmod(0o755)
    assert main(["fix", "--no-jedi", str(path)]) == 0
    assert path.read_bytes() == expected
    assert path.stat().st_mode & 0o777 == 0o755


def test_bad_files_are_reported_and_the_run_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "broken.py").write_text("import mlflow\ndef f(:\n    pass\n")
    (project / "binary.py").write_bytes(b"\x00\x01\x02mlflow")
    (project / "latin.py").write_bytes("x = 'caf\xe9'  # mlflow\n".encode("latin-1"))
    code = main(["fix", "--no-jedi", str(project)])
    out = capsys.readouterr().out
    assert code == 0
    assert (project / "train.py").read_text() == NEW  # the good file was still fixed
    assert f"{project / 'broken.py'}: syntax error at 2:7" in out
    assert f"{project / 'binary.py'}: binary file" in out
    assert f"{project / 'latin.py'}: cannot decode as utf-8" in out
    assert (project / "broken.py").read_text() == "import mlflow\ndef f(:\n    pass\n"


def test_findings_in_a_file_with_a_syntax_error_are_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "half.py"
    path.write_text(OLD + "\ndef unfinished(:\n")
    assert main(["check", "--no-jedi", "--select", "MLF101", "--format", "json", str(path)]) == 1
    assert [f["code"] for f in json.loads(capsys.readouterr().out)] == ["MLF101"]


def test_gitignore_and_exclude_are_respected(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".gitignore").write_text("build/\n")
    (project / "build").mkdir()
    (project / "build" / "gen.py").write_text(OLD)
    (project / "vendored").mkdir()
    (project / "vendored" / "x.py").write_text(OLD)
    with (project / "pyproject.toml").open("a") as handle:
        handle.write('exclude = ["vendored"]\n')
    main(["check", "--no-jedi", "--format", "json", str(project)])
    files = {Path(f["filename"]).name for f in json.loads(capsys.readouterr().out)}
    assert files == {"train.py"}


def test_configuration_select_ignore_and_noqa(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "quiet.py").write_text(OLD.replace('="model")', '="model")  # noqa: MLF101'))
    (project / "silent.py").write_text("# mlflow-upgrade: noqa\n" + OLD)
    main(["check", "--no-jedi", "--format", "json", str(project)])
    assert {Path(f["filename"]).name for f in json.loads(capsys.readouterr().out)} == {"train.py"}
    assert main(["check", "--no-jedi", "--ignore", "MLF1", str(project)]) == 0
    assert main(["check", "--no-jedi", "--select", "MLF2", str(project)]) == 0
    with (project / "pyproject.toml").open("a") as handle:
        handle.write(
            'per-file-ignores = {"train.py" = ["MLF101"]}\nseverity = {MLF101 = "error"}\nunknown-key = 1\n'
        )
    capsys.readouterr()
    assert main(["check", "--no-jedi", str(project)]) == 0
    assert "unknown setting `unknown-key` ignored" in capsys.readouterr().err


def test_severity_override(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (project / "pyproject.toml").open("a") as handle:
        handle.write('severity = {MLF101 = "error"}\n')
    main(["check", "--no-jedi", "--format", "json", str(project)])
    assert json.loads(capsys.readouterr().out)[0]["severity"] == "error"


def test_rules_and_explain_via_the_console_script() -> None:
    code, out, _ = run_cli("rules")
    assert code == 0
    assert "MLF101  artifact-path-to-name" in out
    code, out, _ = run_cli("explain", "mlf101")
    assert code == 0
    assert out.startswith("MLF101 artifact-path-to-name")
    assert "Use instead:" in out and "Fix safety:" in out


def test_parallel_run_matches_serial(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for index in range(60):
        (tmp_path / f"m{index:02d}.py").write_text(
            OLD if index % 3 == 0 else "print('no mlflow')\n"
        )
    main(["check", "--no-jedi", "--select", "MLF101", "--format", "json", str(tmp_path)])
    findings = json.loads(capsys.readouterr().out)
    assert sorted(Path(f["filename"]).name for f in findings) == [
        f"m{i:02d}.py" for i in range(0, 60, 3)
    ]


def test_compatible_applies_only_fixes_that_run_on_mlflow_2(tmp_path: Path) -> None:
    path = tmp_path / "run.py"
    path.write_text(
        "import mlflow\n\nwith mlflow.start_run() as run:\n"
        '    mlflow.sklearn.log_model(model, artifact_path="model", serialization_format="cloudpickle")\n'
        "    print(run.info.run_uuid)\n"
    )
    assert main(["fix", "--no-jedi", "--compatible", "--select", "MLF101,MLF201", str(path)]) == 1
    text = path.read_text()
    assert "run.info.run_id" in text  # MLF201's fix also runs on MLflow 2.22
    assert 'artifact_path="model"' in text  # MLF101's `name=` needs MLflow 3
