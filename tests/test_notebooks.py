"""Notebooks through the CLI: findings per cell, fixes written back into `source` only."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mlflow_upgrade.cli import main
from mlflow_upgrade.files.notebook import read_notebook, write_notebook

CELLS = [
    ("markdown", "# Train\nThe gateway used to run with `mlflow deployments start-server`.", None),
    (
        "code",
        "import mlflow\n"
        "from sklearn.linear_model import LinearRegression\n"
        "%pip install mlflow==2.22.0 scikit-learn\n"
        "!mlflow deployments start-server --config-path gw.yaml &",
        None,
    ),
    (
        "code",
        "model = LinearRegression()\n"
        "with mlflow.start_run():\n"
        '    mlflow.sklearn.log_model(model, artifact_path="model")  # ünïcode',
        [new_output("stream", name="stdout", text="done\n")],
    ),
    (
        "code",
        "%%bash\nexport MLFLOW_GCS_DEFAULT_TIMEOUT=600\nmlflow recipes run --profile local",
        None,
    ),
    (
        "code",
        "%env MLFLOW_DEPLOYMENTS_CONFIG=gw.yaml\nfiles = !ls\nmlflow.sklearn.log_model?",
        None,
    ),
    ("code", "%sh\nmlflow deployments start-server --port 7000", None),
    ("code", "print('untouched')\n%timeit sum(range(10))", [new_output("stream", text="1\n")]),
]


def _notebook() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    nb.metadata["custom"] = {"keep": [1, 2.5, "x"]}
    for kind, source, outputs in CELLS:
        if kind == "markdown":
            cell = new_markdown_cell(source)
        else:
            cell = new_code_cell(source, outputs=outputs or [], execution_count=7)
        cell.metadata["tags"] = ["t"]
        nb.cells.append(cell)
    return nb


@pytest.fixture
def notebook_path(tmp_path: Path) -> Path:
    path = tmp_path / "train.ipynb"
    nbformat.write(_notebook(), path)
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    # Only the rules these notebooks are written for; other rules have their own tests.
    select = [] if "--select" in args else ["--select", "MLF101,MLF5"]
    code = main([*args, "--no-jedi", *select])
    return code, capsys.readouterr().out


def test_findings_are_located_per_cell(notebook_path: Path, capsys) -> None:
    code, out = _run(capsys, "check", str(notebook_path), "--format", "json")
    assert code == 1
    found = {
        (f["code"], f["cell"], f["location"]["row"], f["location"]["column"])
        for f in json.loads(out)
    }
    assert found == {
        ("MLF506", 2, 3, 14),  # %pip install mlflow==2.22.0
        ("MLF503", 2, 4, 2),  # !mlflow deployments start-server
        ("MLF101", 3, 3, 37),  # artifact_path= (positions after a non-ASCII comment too)
        ("MLF504", 4, 2, 8),  # %%bash body
        ("MLF505", 4, 3, 1),
        ("MLF503", 5, 1, 6),  # %env MLFLOW_DEPLOYMENTS_CONFIG=
        ("MLF503", 6, 2, 1),  # Databricks-style %sh cell
    }


def test_text_output_names_the_cell(notebook_path: Path, capsys) -> None:
    _, out = _run(capsys, "check", str(notebook_path), "--select", "MLF101")
    assert f"{notebook_path}:cell 3:3:37: MLF101" in out
    assert '3 |     mlflow.sklearn.log_model(model, artifact_path="model")' in out


def test_fix_round_trip_keeps_everything_but_changed_sources(notebook_path: Path, capsys) -> None:
    before = nbformat.read(notebook_path, as_version=4)
    raw_before = notebook_path.read_text(encoding="utf-8")
    code, _ = _run(capsys, "fix", str(notebook_path), "--unsafe-fixes")
    assert code == 1  # MLF505 (display-only) remains
    after = nbformat.read(notebook_path, as_version=4)
    nbformat.validate(after)
    assert after.metadata == before.metadata
    assert [c.get("id") for c in after.cells] == [c.get("id") for c in before.cells]
    for old, new in zip(before.cells, after.cells, strict=True):
        assert new.cell_type == old.cell_type
        assert new.metadata == old.metadata
        assert new.get("outputs") == old.get("outputs")
        assert new.get("execution_count") == old.get("execution_count")
    sources = [c.source for c in after.cells]
    assert sources[1].splitlines()[2:] == [
        '%pip install "mlflow>=3.1,<4" scikit-learn',
        "!mlflow gateway start --config-path gw.yaml &",
    ]
    assert 'mlflow.sklearn.log_model(model, name="model")  # ünïcode' in sources[2]
    assert "export MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT=600" in sources[3]
    assert "mlflow recipes run" in sources[3]
    assert sources[4].startswith("%env MLFLOW_GATEWAY_CONFIG=gw.yaml\n")
    assert sources[5] == "%sh\nmlflow gateway start --port 7000"
    assert sources[0] == before.cells[0].source  # markdown is never rewritten
    assert sources[6] == before.cells[6].source
    # Byte-level: only lines inside changed `source` lists differ; formatting is nbformat's.
    raw_after = notebook_path.read_text(encoding="utf-8")
    changed = [
        (a, b)
        for a, b in zip(raw_before.splitlines(), raw_after.splitlines(), strict=True)
        if a != b
    ]
    assert len(changed) == 6
    assert all(a.startswith('    "') and b.startswith('    "') for a, b in changed)
    assert raw_after.endswith("\n") == raw_before.endswith("\n")
    code, out = _run(capsys, "check", str(notebook_path), "--format", "json")
    assert [f["code"] for f in json.loads(out)] == ["MLF505"]


def test_diff_shows_cells_and_writes_nothing(notebook_path: Path, capsys) -> None:
    raw = notebook_path.read_bytes()
    code, out = _run(capsys, "fix", str(notebook_path), "--diff", "--select", "MLF503")
    assert code == 1
    assert notebook_path.read_bytes() == raw
    assert " # cell 3\n" in out
    assert "-!mlflow deployments start-server --config-path gw.yaml &\n" in out
    assert "+!mlflow gateway start --config-path gw.yaml &\n" in out


def _raw_notebook(source_value: object, indent: int | None, ensure_ascii: bool) -> str:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "abc123",
                "metadata": {},
                "outputs": [],
                "source": source_value,
            }
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=indent, ensure_ascii=ensure_ascii)


@pytest.mark.parametrize("indent", [None, 1, 2, 4])
@pytest.mark.parametrize("as_list", [True, False])
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_source_layout_is_kept(
    tmp_path: Path, capsys, indent: int | None, as_list: bool, ensure_ascii: bool
) -> None:
    source = "import mlflow  # café\n!mlflow deployments start-server --config-path g.yaml\n"
    value = source.splitlines(keepends=True) if as_list else source
    path = tmp_path / "nb.ipynb"
    raw = _raw_notebook(value, indent, ensure_ascii)
    path.write_text(raw, encoding="utf-8")
    _run(capsys, "fix", str(path))
    fixed = source.replace("deployments start-server", "gateway start")
    expected_value = fixed.splitlines(keepends=True) if as_list else fixed
    assert path.read_text(encoding="utf-8") == _raw_notebook(expected_value, indent, ensure_ascii)


def test_write_notebook_replaces_only_the_source_span() -> None:
    raw = _raw_notebook(["x = 1\n", "y = 2"], 1, False).encode()
    notebook = read_notebook(b"\xef\xbb\xbf" + raw)
    assert notebook.bom
    assert notebook.cells[0].source == "x = 1\ny = 2"
    out = write_notebook(notebook, {1: "x = 1\ny = 3\n"})
    assert out.startswith(b"\xef\xbb\xbf")
    expected = _raw_notebook(["x = 1\n", "y = 3\n"], 1, False).encode()
    assert out[3:] == expected


def test_syntax_error_in_one_cell_keeps_shell_fixes(tmp_path: Path, capsys) -> None:
    nb = new_notebook()
    nb.cells = [
        new_code_cell("import mlflow\ndef broken(:\n    pass"),
        new_code_cell("!mlflow deployments start-server --config-path g.yaml"),
    ]
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    _run(capsys, "fix", str(path))
    after = nbformat.read(path, as_version=4)
    assert after.cells[0].source == "import mlflow\ndef broken(:\n    pass"
    assert after.cells[1].source == "!mlflow gateway start --config-path g.yaml"
    _, out = _run(capsys, "check", str(path))
    assert "syntax error at cell 1:2:" in out


def test_magics_do_not_break_python_analysis(tmp_path: Path, capsys) -> None:
    nb = new_notebook()
    nb.cells = [
        new_code_cell("import mlflow\nfor i in range(3):\n    %time x = i\n    !echo $i"),
        new_code_cell('%%capture out\nmlflow.sklearn.log_model(m, artifact_path="a")'),
        new_code_cell("%%sql\nSELECT 1"),
        new_code_cell('mlflow.sklearn.log_model?\nmlflow.sklearn.log_model(m, artifact_path="b")'),
    ]
    path = tmp_path / "magics.ipynb"
    nbformat.write(nb, path)
    _, out = _run(capsys, "check", str(path), "--format", "json", "--select", "MLF101")
    assert sorted((f["cell"], f["location"]["row"]) for f in json.loads(out)) == [(2, 2), (4, 2)]
    _run(capsys, "fix", str(path), "--select", "MLF101")
    after = nbformat.read(path, as_version=4)
    assert after.cells[0].source == nb.cells[0].source
    assert after.cells[1].source == '%%capture out\nmlflow.sklearn.log_model(m, name="a")'
    assert after.cells[3].source.endswith('log_model(m, name="b")')


def test_noqa_on_shell_line_and_file_suppression(tmp_path: Path, capsys) -> None:
    nb = new_notebook()
    nb.cells = [new_code_cell("!mlflow deployments start-server  # noqa: MLF503")]
    path = tmp_path / "quiet.ipynb"
    nbformat.write(nb, path)
    assert _run(capsys, "check", str(path))[0] == 0
    nb.cells = [
        new_code_cell("# mlflow-upgrade: noqa\nimport mlflow"),
        new_code_cell("!mlflow deployments start-server"),
    ]
    nbformat.write(nb, path)
    assert _run(capsys, "check", str(path))[0] == 0


def test_non_python_kernel_is_skipped(tmp_path: Path, capsys) -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "ir", "language": "R", "display_name": "R"}
    nb.cells = [new_code_cell('system("mlflow deployments start-server")')]
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    assert _run(capsys, "check", str(path))[0] == 0


def test_unreadable_notebook_is_an_error_not_a_crash(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text("{not json", encoding="utf-8")
    code, out = _run(capsys, "check", str(path))
    assert code == 0
    assert "bad.ipynb: not a readable notebook" in out


def test_directory_walk_sarif_and_statistics(tmp_path: Path, notebook_path: Path, capsys) -> None:
    (tmp_path / "Dockerfile").write_text('CMD ["mlflow", "deployments", "start-server"]\n')
    (tmp_path / "requirements.txt").write_text("mlflow==2.22.0\n")
    code, out = _run(capsys, "check", str(tmp_path), "--format", "sarif")
    assert code == 1
    sarif = json.loads(out)
    results = sarif["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert {Path(u).name for u in uris} == {"train.ipynb", "Dockerfile", "requirements.txt"}
    cells = {r["locations"][0].get("message", {}).get("text") for r in results}
    assert "cell 2" in cells
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"MLF503", "MLF504", "MLF505", "MLF506", "MLF101"} <= rule_ids
    code, out = _run(capsys, "check", str(tmp_path), "--statistics")
    stats = {
        line.split()[1]: int(line.split()[0]) for line in out.splitlines() if "MLF5" in line[:15]
    }
    assert stats["MLF503"] == 4
    assert stats["MLF506"] == 2


def test_reading_does_not_mutate_the_json_model(notebook_path: Path) -> None:
    data = notebook_path.read_bytes()
    notebook = read_notebook(data)
    assert write_notebook(notebook, {}) == data
    model = json.loads(data)
    assert copy.deepcopy(model) == json.loads(write_notebook(notebook, {}))
