"""The removed-names table and MLflow 3 signatures are what the generator makes from the envs."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from mlflow_upgrade.engine.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "gen_removed_names.py"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_removed_names", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_checked_in_tables_match_the_installed_envs(mlflow2_python, mlflow3_python) -> None:
    generator = _generator()
    removed, signatures = generator.build(
        generator.package_root(mlflow2_python), generator.package_root(mlflow3_python)
    )
    assert generator.REMOVED_OUTPUT.read_text(encoding="utf-8") == generator.render(removed)
    assert generator.SIGNATURES_OUTPUT.read_text(encoding="utf-8") == generator.render(signatures)


def test_every_removed_name_has_one_existing_owner() -> None:
    table = json.loads(_generator().REMOVED_OUTPUT.read_text(encoding="utf-8"))
    rules = all_rules()
    # the tier-2 rules that read the table; the other owners are tier-1 rules
    readers = {"MLF116", "MLF404", "MLF406", "MLF407", "MLF603", "MLF606", "MLF608"}
    for name, entry in table["names"].items():
        assert entry["rule"] in rules or entry["rule"] not in readers, name
        assert entry["applicability"] in {"safe", "unsafe", "display-only"}, name
        if entry["applicability"] != "display-only":
            assert entry["replacement"], name
