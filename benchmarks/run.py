"""`make bench`: speed of the engine and the CLI, with the floors beside them.

Prints a table; figures go into the README by hand after a run on the 2-core machine.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import libcst

from mlflow_upgrade.engine.analyze import Engine
from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.engine.settings import Settings
from mlflow_upgrade.python.jedi_types import JediTypes

sys.path.insert(0, str(Path(__file__).parent))
from generate import mlflow_module, plain_module, tree

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".bench"
BIN = Path(sys.executable).parent
MLFLOW2 = ROOT / ".envs" / "mlflow2" / "bin" / "python"


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def warm_analysis_ms(engine: Engine, text: str, repeats: int = 7) -> float:
    document = Document(text, ROOT / "bench_file.py")
    engine.analyze(document)  # warm caches, jedi environment
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        engine.analyze(Document(text, ROOT / "bench_file.py"))
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _libcst_parse(path: Path) -> None:
    libcst.parse_module(path.read_text())


def main() -> int:
    OUT.mkdir(exist_ok=True)
    tree_root = OUT / "tree"
    if not tree_root.exists():
        tree(tree_root)
    files = sorted(tree_root.rglob("*.py"))
    lines = sum(p.read_text().count("\n") for p in files)
    results: dict[str, float | int | str] = {"files": len(files), "lines": lines}

    cli = [str(BIN / "mlflow-upgrade"), "check", "--exit-zero", "--format", "json"]
    results["check_tree_jedi_s"] = timed([*cli, "--python", str(MLFLOW2), str(tree_root)])
    results["check_tree_no_jedi_s"] = timed([*cli, "--no-jedi", str(tree_root)])

    engine = Engine(Settings(), JediTypes(str(MLFLOW2), ROOT))
    # Single files first, while this process is small (as a worker or the server is).
    results["warm_1000_lines_ms"] = round(warm_analysis_ms(engine, mlflow_module(1000)), 1)
    results["warm_10000_lines_ms"] = round(warm_analysis_ms(engine, mlflow_module(10_000), 3), 1)
    results["warm_1000_plain_lines_ms"] = round(warm_analysis_ms(engine, plain_module(1000, 1)), 2)

    plain = [p for p in files if "mlflow" not in p.read_text()]
    plain_lines = sum(p.read_text().count("\n") for p in plain)
    start = time.perf_counter()
    for path in plain:
        engine.analyze(Document(path.read_text(), path))
    results["no_mlflow_lines_per_s"] = round(plain_lines / (time.perf_counter() - start))

    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(_libcst_parse, files, chunksize=32))
    results["libcst_parse_tree_s"] = time.perf_counter() - start
    results["ruff_air_npy201_s"] = timed(
        [
            str(BIN / "ruff"),
            "check",
            "--no-cache",
            "--exit-zero",
            "--select",
            "AIR,NPY201",
            str(tree_root),
        ]
    )
    # The client in a process of its own: this one's large heap made its JSON decoding
    # (and so the measured latency) slower than an editor's.
    lsp = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "lsp_bench.py"), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    results.update({f"lsp_{k}": v for k, v in json.loads(lsp.stdout).items()})
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    print_table(results)
    return 0


def print_table(results: dict) -> None:
    rows = [
        ("tree", f"{results['files']} files, {results['lines']:,} lines, 10% use MLflow", ""),
        (
            "check (jedi on, MLflow 2.22 env)",
            f"{results['check_tree_jedi_s']:.2f} s",
            "target ≤ 15 s",
        ),
        ("check (--no-jedi)", f"{results['check_tree_no_jedi_s']:.2f} s", ""),
        (
            "files without MLflow",
            f"{results['no_mlflow_lines_per_s']:,} lines/s",
            "target ≥ 100k lines/s",
        ),
        (
            "dense 1,000-line MLflow file, warm",
            f"{results['warm_1000_lines_ms']} ms",
            "target ≤ 100 ms",
        ),
        (
            "dense 10,000-line MLflow file, warm",
            f"{results['warm_10000_lines_ms']} ms",
            "target ≤ 1 s",
        ),
        ("1,000-line file without MLflow, warm", f"{results['warm_1000_plain_lines_ms']} ms", ""),
        (
            "floor: libcst parse of the tree (2 procs)",
            f"{results['libcst_parse_tree_s']:.2f} s",
            "",
        ),
        ("floor: ruff --select AIR,NPY201", f"{results['ruff_air_npy201_s']:.2f} s", ""),
        (
            "LSP: initialize → first diagnostics, 200 lines",
            f"{results['lsp_first_diagnostics_200_lines_s']:.2f} s",
            "target ≤ 2 s (jedi on MLflow 2.22)",
        ),
        (
            "LSP: didChange → diagnostics, 1,000 lines p50",
            f"{results['lsp_edit_1000_p50_ms']:.0f} ms",
            f"target ≤ 50 ms (typical file, {results['lsp_typical_diagnostics']} diagnostics)",
        ),
        (
            "LSP: didChange → diagnostics, 1,000 lines p95",
            f"{results['lsp_edit_1000_p95_ms']:.0f} ms",
            "target ≤ 150 ms (debounce 0)",
        ),
        (
            "LSP: didChange → diagnostics, dense 1,000 lines p50",
            f"{results['lsp_edit_dense_1000_p50_ms']:.0f} ms",
            f"worst case: {results['lsp_dense_diagnostics']} diagnostics",
        ),
        (
            "LSP: didChange → diagnostics, dense 1,000 lines p95",
            f"{results['lsp_edit_dense_1000_p95_ms']:.0f} ms",
            "",
        ),
        (
            "LSP: didChange → diagnostics, 10,000 lines p95",
            f"{results['lsp_edit_10000_p95_ms']:.0f} ms",
            "target ≤ 1 s",
        ),
        ("LSP: hover p95", f"{results['lsp_hover_p95_ms']:.1f} ms", "target ≤ 50 ms"),
        ("LSP: code action p95", f"{results['lsp_code_action_p95_ms']:.1f} ms", "target ≤ 50 ms"),
        (
            "LSP: resident memory, 50 files open",
            f"{results['lsp_rss_50_files_mb']:.0f} MB",
            "target ≤ 300 MB",
        ),
    ]
    for name, label in (("", "typical"), ("dense_", "dense")):
        for share in ("p50", "p95"):
            key = f"lsp_basedpyright_edit_{name}1000_{share}_ms"
            if key in results:
                rows.append(
                    (
                        f"basedpyright: didChange → diagnostics, {label} {share}",
                        f"{results[key]:.0f} ms",
                        "same edits",
                    )
                )
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':{width}}  {'result':>34}  note")
    for name, value, note in rows:
        print(f"{name:{width}}  {value:>34}  {note}")


if __name__ == "__main__":
    raise SystemExit(main())
