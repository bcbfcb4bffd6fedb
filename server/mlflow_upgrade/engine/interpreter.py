"""Which Python's packages jedi reads: explicit setting, workspace venv, active env, own."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_BIN = "Scripts" if os.name == "nt" else "bin"
_EXE = "python.exe" if os.name == "nt" else "python"


def _python_in(prefix: Path) -> Path | None:
    candidate = prefix / _BIN / _EXE
    return candidate if candidate.exists() else None


def find_interpreter(workspace: Path | None, explicit: str | None = None) -> str | None:
    """The interpreter to analyse against; None means the server's own Python."""
    if explicit:
        path = Path(explicit).expanduser()
        return str(_python_in(path) or path) if path.is_dir() else str(path)
    if workspace is not None:
        for name in (".venv", "venv"):
            found = _python_in(workspace / name)
            if found is not None:
                return str(found)
    for variable in ("VIRTUAL_ENV", "CONDA_PREFIX"):
        prefix = os.environ.get(variable)
        if prefix and (found := _python_in(Path(prefix))) is not None:
            return str(found)
    return None


def describe(interpreter: str | None) -> str:
    return interpreter or f"{sys.executable} (the server's own)"
