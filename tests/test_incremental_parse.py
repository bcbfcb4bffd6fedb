"""Incremental parsing must give exactly the tree of a full parse, for any edit."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlflow_upgrade.engine.analyze import Analysis, Engine
from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.python.parse import ParseResult, parse_python, reparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import mlflow_module

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "rules").glob("*/*.py"))
SOURCES = [path.read_text(encoding="utf-8") for path in FIXTURES[:40]] + [
    mlflow_module(120),
    "import mlflow\r\n\r\ndef f():\r\n    return 1\r\n\r\nx = f()\r\n",
    "@dec\n@other(1)\ndef f():\n    pass\n\nclass C:\n    x = 1\n\nif a:\n    b = 1\nelse:\n    b = 2\n",
    'x = """\nmulti\nline\n"""\ny = 1; z = 2\n# comment\n\ntry:\n    pass\nexcept E:\n    pass\n',
]
# Pieces that change the structure around them: openers, closers, continuations,
# indentation, decorators, string quotes, line breaks of all three kinds.
SNIPPETS = [
    "\n", "\r\n", "\r", "    ", "#", "x", "1", "(", ")", "[", "]", ":", "\\\n", '"""', "'",
    "else:\n    pass\n", "elif y:\n", "except E:\n    pass\n", "finally:\n", "@dec\n",
    "def g():\n    return 2\n", "class D:\n    pass\n", "if x:\n", "    y = 1\n", "import os\n",
    "é🚀", "\t", ";", "lambda: 0", "f'{a}'", "async ", "match x:\n    case 1:\n        pass\n",
]  # fmt: skip


def dump(result: ParseResult) -> str | None:
    return None if result.tree is None else ast.dump(result.tree, include_attributes=True)


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    source = draw(st.sampled_from(SOURCES))
    steps = []
    length = len(source)
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, length))
        end = draw(st.integers(start, min(length, start + 40)))
        text = "".join(draw(st.lists(st.sampled_from(SNIPPETS), max_size=3)))
        steps.append((start, end, text))
        length += len(text) - (end - start)
    return source, steps


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_reparse_equals_full_parse(case: tuple[str, list[tuple[int, int, str]]]) -> None:
    text, steps = case
    previous = parse_python(text)
    for start, end, insert in steps:
        new = text[:start] + insert + text[end:]
        incremental = reparse(new, text, previous)
        full = parse_python(new)
        assert dump(incremental) == dump(full)
        assert bool(incremental.errors) == bool(full.errors)
        text, previous = new, incremental


def test_an_edit_inside_a_function_reuses_the_other_statements() -> None:
    old = mlflow_module(200)
    previous = parse_python(old)
    position = old.index("model.fit(X, y)", len(old) // 2)
    new = old[:position] + "model.fit(X, y, sample_weight=w)" + old[position + 15 :]
    result = reparse(new, old, previous)
    assert result.reused == len(previous.tree.body) - 1  # type: ignore[union-attr]
    assert dump(result) == dump(parse_python(new))


def test_a_new_line_reuses_only_the_statements_before_it() -> None:
    old = mlflow_module(200)
    previous = parse_python(old)
    position = old.index("model.fit(X, y)", len(old) // 2)
    new = old[:position] + "print(1)\n        " + old[position:]
    result = reparse(new, old, previous)
    line = old.count("\n", 0, position) + 1
    body = previous.tree.body  # type: ignore[union-attr]
    edited = next(i for i, s in enumerate(body) if s.lineno <= line <= (s.end_lineno or 0))
    assert result.reused == edited  # the statements after it moved down a line
    assert dump(result) == dump(parse_python(new))


def _summary(analysis: Analysis) -> list[tuple]:
    return [
        (f.code, f.start_offset, f.end_offset, f.message, f.fix.edits if f.fix else [])
        for f in analysis.findings
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_analysis_of_an_edit_equals_a_fresh_analysis(
    case: tuple[str, list[tuple[int, int, str]]],
) -> None:
    """The engine given the previous analysis (as the language server does) finds
    exactly what it finds from scratch, fixes included."""
    text, steps = case
    engine = Engine()
    previous = engine.analyze(Document(text))
    for start, end, insert in steps:
        new = text[:start] + insert + text[end:]
        incremental = engine.analyze(Document(new), previous)
        assert _summary(incremental) == _summary(engine.analyze(Document(new)))
        text, previous = new, incremental
