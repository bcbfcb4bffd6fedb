"""Finding the files to check: walk folders, honour .gitignore and `exclude`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pathspec

from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.engine.settings import Settings
from mlflow_upgrade.files.detect import detect_kind

_ALWAYS_SKIPPED = {
    ".git",
    ".hg",
    ".svn",
    "__pycache__",
    "node_modules",
    ".venv",
    "venv",
    ".tox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".envs",
}


def _gitignore(folder: Path) -> pathspec.PathSpec | None:
    ignore_file = folder / ".gitignore"
    if not ignore_file.is_file():
        return None
    try:
        lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def discover(paths: list[Path], settings: Settings) -> Iterator[tuple[Path, FileKind]]:
    """Files to analyse with their kinds. Explicitly named files are always read."""
    for path in paths:
        if path.is_file():
            kind = detect_kind(path)
            if kind is not None:
                yield path, kind
        elif path.is_dir():
            yield from _walk(path, settings)


def _walk(top: Path, settings: Settings) -> Iterator[tuple[Path, FileKind]]:
    specs: list[tuple[Path, pathspec.PathSpec]] = []
    for folder, dirnames, filenames in os.walk(top):
        here = Path(folder)
        spec = _gitignore(here)
        if spec is not None:
            specs.append((here, spec))
        specs = [(base, s) for base, s in specs if here == base or base in here.parents]

        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in _ALWAYS_SKIPPED and not _ignored(here / d, True, specs, settings)
        )
        for name in sorted(filenames):
            path = here / name
            if _ignored(path, False, specs, settings):
                continue
            kind = detect_kind(path)
            if kind is not None:
                yield path, kind


def _ignored(
    path: Path, is_dir: bool, specs: list[tuple[Path, pathspec.PathSpec]], settings: Settings
) -> bool:
    for base, spec in specs:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        if spec.match_file(relative):
            return True
    return settings.is_excluded(path)
