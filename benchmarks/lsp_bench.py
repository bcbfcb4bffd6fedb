"""Language-server timings: edit → diagnostics, start-up, hover, code actions, memory,
and basedpyright on the same edit sequence for comparison."""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import mlflow_module, typical_module
from lsp_client import StdioClient

ROOT = Path(__file__).resolve().parent.parent
MLFLOW2 = ROOT / ".envs" / "mlflow2" / "bin" / "python"
CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "publishDiagnostics": {"versionSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "codeAction": {
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}
        },
    },
    "workspace": {"configuration": True},
}


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def start(command: list[str], folder: Path, options: dict) -> tuple[StdioClient, float]:
    client = StdioClient(command, cwd=str(folder))
    client.configuration = options
    _, elapsed = client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": folder.as_uri(),
            "workspaceFolders": [{"uri": folder.as_uri(), "name": "bench"}],
            "capabilities": CAPABILITIES,
            "initializationOptions": options,
        },
    )
    client.notify("initialized", {})
    return client, elapsed


def open_file(client: StdioClient, path: Path, text: str) -> float:
    return client.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": path.as_uri(),
                "languageId": "python",
                "version": 1,
                "text": text,
            }
        },
    )


def diagnostics_for(client: StdioClient, uri: str, version: int | None, timeout: float = 60):
    def matches(message: dict) -> bool:
        if message.get("method") != "textDocument/publishDiagnostics":
            return False
        params = message["params"]
        return params["uri"] == uri and (version is None or params.get("version") == version)

    return client.wait(matches, timeout)


def typing_position(text: str) -> dict:
    """Where the edits type: just inside the first string literal of a call at or after
    the middle of the file, inside a function body (the text stays valid Python)."""
    lines = text.splitlines()
    line = next(i for i in range(len(lines) // 2, len(lines)) if '("' in lines[i])
    return {"line": line, "character": lines[line].index('("') + 2}


def edit_latencies(
    client: StdioClient, path: Path, edits: int, versioned: bool = True
) -> tuple[list[float], int]:
    """Type `edits` characters into a string in the middle of the file, one didChange
    each: ms from each didChange to the diagnostics of its version, and how many
    diagnostics the last publish had."""
    uri = path.as_uri()
    position = typing_position(path.read_text())
    samples = []
    for version in range(2, edits + 2):
        sent = client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": position, "end": position}, "text": "x"}],
            },
        )
        arrived, message = diagnostics_for(client, uri, version if versioned else None)
        samples.append((arrived - sent) * 1000)
        time.sleep(0.05)
    return samples, len(message["params"]["diagnostics"])


def typing_session(
    client: StdioClient, path: Path, text: str, edits: int
) -> tuple[list[float], int]:
    """Open `text` as `path`, wait for its first diagnostics, then type `edits` characters."""
    path.write_text(text)
    open_file(client, path, text)
    diagnostics_for(client, path.as_uri(), 1, timeout=120)
    return edit_latencies(client, path, edits)


def our_server(folder: Path, debounce_ms: int) -> list[str]:
    return [sys.executable, "-m", "mlflow_upgrade", "lsp", "--stdio"]


def run() -> dict[str, float]:
    results: dict[str, float] = {}
    folder = Path(tempfile.mkdtemp(prefix="lsp-bench-"))
    try:
        options = {"interpreter": str(MLFLOW2), "debounce": 0}
        small = folder / "small.py"
        small.write_text(mlflow_module(200))
        started = time.perf_counter()
        client, _ = start(our_server(folder, 0), folder, options)
        open_file(client, small, small.read_text())
        arrived, message = diagnostics_for(client, small.as_uri(), None)
        results["first_diagnostics_200_lines_s"] = arrived - started
        results["first_diagnostics_count"] = len(message["params"]["diagnostics"])

        typical, big, huge = folder / "typical.py", folder / "big.py", folder / "huge.py"
        samples, results["typical_diagnostics"] = typing_session(
            client, typical, typical_module(1000), 30
        )
        results["edit_1000_p50_ms"] = statistics.median(samples)
        results["edit_1000_p95_ms"] = percentile(samples, 0.95)
        samples, results["dense_diagnostics"] = typing_session(client, big, mlflow_module(1000), 30)
        results["edit_dense_1000_p50_ms"] = statistics.median(samples)
        results["edit_dense_1000_p95_ms"] = percentile(samples, 0.95)
        samples, _ = typing_session(client, huge, mlflow_module(10_000), 8)
        results["edit_10000_p95_ms"] = percentile(samples, 0.95)

        hover_ms, action_ms = [], []
        text_line = big.read_text().splitlines()[9]
        column = text_line.find("artifact_path")
        position = {"line": 9, "character": column + 2}
        for _ in range(30):
            _, elapsed = client.request(
                "textDocument/hover", {"textDocument": {"uri": big.as_uri()}, "position": position}
            )
            hover_ms.append(elapsed * 1000)
            _, elapsed = client.request(
                "textDocument/codeAction",
                {
                    "textDocument": {"uri": big.as_uri()},
                    "range": {"start": position, "end": position},
                    "context": {"diagnostics": []},
                },
            )
            action_ms.append(elapsed * 1000)
        results["hover_p95_ms"] = percentile(hover_ms, 0.95)
        results["code_action_p95_ms"] = percentile(action_ms, 0.95)

        for index in range(50):
            path = folder / f"open_{index}.py"
            path.write_text(mlflow_module(200, index))
            open_file(client, path, path.read_text())
        for index in range(50):
            diagnostics_for(client, (folder / f"open_{index}.py").as_uri(), 1, timeout=120)
        results["rss_50_files_mb"] = _rss_mb(client.process.pid)
        client.close()

        pyright = shutil.which("basedpyright-langserver", path=str(Path(sys.executable).parent))
        if pyright:
            for name, path in (("", typical), ("dense_", big)):
                other, _ = start([pyright, "--stdio"], folder, {})
                open_file(other, path, path.read_text())
                diagnostics_for(other, path.as_uri(), None, timeout=120)
                other.drain()
                samples, _ = edit_latencies(other, path, 30, versioned=False)
                results[f"basedpyright_edit_{name}1000_p50_ms"] = statistics.median(samples)
                results[f"basedpyright_edit_{name}1000_p95_ms"] = percentile(samples, 0.95)
                other.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    measured = run()
    if "--json" in sys.argv:
        print(json.dumps(measured))
    else:
        for key, value in measured.items():
            print(f"{key:36} {value:10.1f}")
