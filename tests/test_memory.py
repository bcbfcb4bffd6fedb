"""An analysis creates no reference cycles: the language server freezes results out of
the cycle collector's reach and relies on reference counting to free them."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from mlflow_upgrade.engine.analyze import Engine
from mlflow_upgrade.engine.document import Document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import mlflow_module, typical_module


def _analyse_with_fixes(engine: Engine, text: str) -> None:
    analysis = engine.analyze(Document(text, Path("/tmp/project/module.py")))
    assert analysis.findings
    for finding in analysis.findings:
        if finding.fix is not None:
            assert finding.fix.edits is not None  # the lazy libcst rewrites run too


def test_an_analysis_leaves_no_cyclic_garbage() -> None:
    engine = Engine()
    texts = [mlflow_module(300), typical_module(300)]
    for text in texts:  # imports and caches settle on the first run
        _analyse_with_fixes(engine, text)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for text in texts:
            _analyse_with_fixes(engine, text)
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
