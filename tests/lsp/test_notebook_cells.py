"""Joining notebook cells: offsets survive blanking, positions map back to cells."""

from __future__ import annotations

import ast

from mlflow_upgrade.files.cells import edits_per_cell, join_cells

CELLS = [
    "import mlflow\n%matplotlib inline",
    "!pip install mlflow\nfiles = !ls\nif files:\n    %time print(1)\n",
    "%%bash\necho hi",
    "%%time\nmlflow.log_param('a', 1)",
    "mlflow?\nmlflow.end_run()",
    "",
]


def test_joined_text_parses_and_keeps_offsets():
    joined = join_cells(CELLS)
    ast.parse(joined.text)
    assert len(joined.text) >= sum(len(c) for c in CELLS)
    for cell in joined.cells:
        original = CELLS[cell.index]
        piece = joined.text[cell.start : cell.end]
        assert len(piece) == len(original)
        # Python characters are untouched; blanked ones became spaces or `pass`.
        for got, want in zip(piece, original, strict=True):
            assert got == want or got in " pas" or want == "\n"


def test_magics_are_recorded():
    kinds = {(m.cell, m.line): m.kind for m in join_cells(CELLS).magics}
    assert kinds[(0, 1)] == "line-magic"
    assert kinds[(1, 0)] == "shell"
    assert kinds[(1, 1)] == "shell"
    assert kinds[(2, 1)] == "shell"
    assert kinds[(3, 0)] == "cell-magic"
    assert (3, 1) not in kinds  # the body of %%time is Python
    assert kinds[(4, 0)] == "help"


def test_positions_round_trip():
    joined = join_cells(CELLS)
    offset = joined.text.index("mlflow.log_param")
    assert joined.to_cell_offset(offset) == (3, CELLS[3].index("mlflow.log_param"))
    line = joined.text[:offset].count("\n")
    assert joined.to_cell_position(line, 0) == (3, 1, 0)
    assert joined.to_joined_position(3, 1, 0) == (line, 0)
    assert joined.to_joined_offset(3, CELLS[3].index("mlflow.log_param")) == offset
    end = joined.text.index("mlflow.end_run")
    assert joined.to_cell_position(joined.text[:end].count("\n"), 4) == (4, 1, 4)


def test_edits_split_per_cell():
    joined = join_cells(CELLS)
    start = joined.text.index("log_param")
    edits = edits_per_cell(joined, [(start, start + 9, "log_params"), (0, 200, "x")])
    assert list(edits) == [3]
    (cell_start, cell_end, text) = edits[3][0]
    assert CELLS[3][cell_start:cell_end] == "log_param" and text == "log_params"
