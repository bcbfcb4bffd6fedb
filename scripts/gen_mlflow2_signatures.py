"""Record the MLflow 2.22 signatures that positional-argument fixes need.

Run with the interpreter of the MLflow 2 environment:
    .envs/mlflow2/bin/python scripts/gen_mlflow2_signatures.py

Reads the installed package's sources (nothing is imported, so flavors whose
libraries are missing still count) and writes
server/mlflow_upgrade/data/mlflow2_signatures.json: for every public
`log_model`, `save_model`, `autolog`, `log_explainer` of a flavor and a few other
functions, the parameters that can be passed by position, in order.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import mlflow

FUNCTIONS = {"log_model", "save_model", "autolog", "log_explainer", "save_explainer"}
EXTRA = {
    "mlflow.models.evaluation.base.evaluate": "mlflow.models.evaluate",
    "mlflow.models.evaluation.validation.MetricThreshold.__init__": "mlflow.models.MetricThreshold",
    "mlflow.tracking._model_registry.fluent.register_prompt": "mlflow.register_prompt",
    "mlflow.tracing.assessment.log_expectation": "mlflow.log_expectation",
    "mlflow.tracing.assessment.log_feedback": "mlflow.log_feedback",
}
OUTPUT = (
    Path(__file__).resolve().parent.parent / "server/mlflow_upgrade/data/mlflow2_signatures.json"
)


def positional_parameters(function: ast.FunctionDef) -> list[str]:
    names = [a.arg for a in function.args.posonlyargs + function.args.args]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def collect(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        module = module_name(root, path)
        if any(part.startswith("_") for part in module.split(".")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS:
                found[f"{module}.{node.name}"] = positional_parameters(node)
            for qualified, public in EXTRA.items():
                owner, _, name = qualified.rpartition(".")
                if isinstance(node, ast.FunctionDef) and f"{module}.{node.name}" == qualified:
                    found[public] = positional_parameters(node)
                if isinstance(node, ast.ClassDef) and f"{module}.{node.name}" == owner:
                    for item in node.body:
                        if isinstance(item, ast.FunctionDef) and item.name == name:
                            found[public] = positional_parameters(item)
    return found


def main() -> int:
    if not mlflow.__version__.startswith("2."):
        print(f"needs MLflow 2, found {mlflow.__version__}", file=sys.stderr)
        return 2
    signatures = collect(Path(mlflow.__file__).parent)
    payload = {"mlflow_version": mlflow.__version__, "signatures": dict(sorted(signatures.items()))}
    OUTPUT.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(signatures)} signatures to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
