"""Which kind of file a path is, by name and (for YAML) by content."""

from __future__ import annotations

from pathlib import Path

from mlflow_upgrade.engine.document import FileKind


def detect_kind(path: Path, text: str | None = None) -> FileKind | None:
    """The file kind mlflow-upgrade reads the path as, or None to skip it."""
    suffix = path.suffix.lower()
    if suffix in {".py", ".pyi"}:
        return FileKind.PYTHON
    if suffix == ".ipynb":
        return FileKind.NOTEBOOK
    return None
