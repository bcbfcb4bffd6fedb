"""Names that a project's own modules re-export from MLflow.

`from myproject.tracking import log_model` is MLflow's `log_model` when
`myproject/tracking.py` imports it from MLflow. The modules are found on disk
relative to the analysed file (its folder, its ancestors up to the project root,
and `src/`), parsed with ast and followed a few levels deep. This works the same
whether or not the analysed interpreter has MLflow installed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.parse import parse_quietly

_MAX_HOPS = 4
_ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


@dataclass(frozen=True)
class _Target:
    """Where a module-level name comes from: `module.name`, relative to `folder` if set."""

    module: str
    name: str
    folder: Path | None = None


@lru_cache(maxsize=4096)
def _module_bindings(path: Path, mtime: float) -> dict[str, _Target]:
    """Top-level names of a module bound by imports or simple aliases."""
    try:
        tree = parse_quietly(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return {}
    bindings: dict[str, _Target] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            folder = None
            if node.level:
                folder = path.parent
                for _ in range(node.level - 1):
                    folder = folder.parent
            for alias in node.names:
                if alias.name != "*":
                    target = _Target(node.module or "", alias.name, folder)
                    bindings[alias.asname or alias.name] = target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module, _, name = alias.name.rpartition(".")
                if alias.asname:
                    bindings[alias.asname] = _Target(module, name)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, dotted = node.targets[0], _dotted(node.value)
            head, _, rest = (dotted or "").partition(".")
            if isinstance(target, ast.Name) and head in bindings and rest:
                base = bindings[head]
                full = f"{base.module}.{base.name}.{rest}".lstrip(".")
                module, _, name = full.rpartition(".")
                bindings[target.id] = _Target(module, name, base.folder)
    return bindings


def _dotted(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        base = _dotted(expr.value)
        return f"{base}.{expr.attr}" if base else None
    return None


class ProjectIndex:
    """Resolves names imported from the project's own modules."""

    def __init__(self, file_path: Path | None) -> None:
        self.roots = _search_roots(file_path.parent) if file_path else []
        self.folder = file_path.parent if file_path else None

    def resolve(self, module: str, name: str) -> str | None:
        """The MLflow name that `module.name` stands for, or None.

        `module` may be relative ("." prefixes), as written in the analysed file.
        """
        level = len(module) - len(module.lstrip("."))
        folder = None
        if level and self.folder is not None:
            folder = self.folder
            for _ in range(level - 1):
                folder = folder.parent
        elif level:
            return None
        return self._follow(_Target(module.lstrip("."), name, folder), 0)

    def return_type(self, function: str, hops: int = 0) -> str | None:
        """The MLflow type a project function returns, read from its module."""
        module, _, name = function.rpartition(".")
        if not module or hops > _MAX_HOPS:
            return None
        path = self._find(
            _Target(module.lstrip("."), name, self.folder if module.startswith(".") else None)
        )
        if path is None:
            return None
        model = _module_model(path, path.stat().st_mtime, hops + 1)
        return model.function_return_type(name) if model is not None else None

    def find_module_text(self, module: str) -> str | None:
        """The source of a project module named as in an import statement, if it exists."""
        if not module.startswith("."):
            path = _module_path_in(tuple(self.roots), module)
            return _read_text(path, path.stat().st_mtime) if path is not None else None
        level = len(module) - len(module.lstrip("."))
        if level and self.folder is None:
            return None
        folder = self.folder
        for _ in range(max(level - 1, 0)):
            folder = folder.parent  # type: ignore[union-attr]
        target = _Target(module.lstrip("."), "", folder if level else None)
        path = self._find(target)
        return _read_text(path, path.stat().st_mtime) if path is not None else None

    def _follow(self, target: _Target, hops: int) -> str | None:
        if target.folder is None and api.is_mlflow(target.module):
            return f"{target.module}.{target.name}"
        if hops > _MAX_HOPS:
            return None
        path = self._find(target)
        if path is None:
            return None
        inner = _module_bindings(path, path.stat().st_mtime).get(target.name)
        return self._follow(inner, hops + 1) if inner is not None else None

    def _find(self, target: _Target) -> Path | None:
        if target.folder is not None:
            if not target.module:
                return _existing(target.folder / "__init__.py")
            return _module_file(target.folder, target.module)
        return next(
            (f for root in self.roots if (f := _module_file(root, target.module)) is not None),
            None,
        )


@lru_cache(maxsize=8192)
def _module_path_in(roots: tuple[Path, ...], module: str) -> Path | None:
    # Cached: pre-filtering a tree asks for the same imports (json, os, …) over and over.
    return next((p for root in roots if (p := _module_file(root, module)) is not None), None)


@lru_cache(maxsize=4096)
def _read_text(path: Path, mtime: float) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _existing(path: Path) -> Path | None:
    return path if path.is_file() else None


def _module_file(root: Path, module: str) -> Path | None:
    if not module:
        return None
    relative = Path(*module.split("."))
    return _existing(root / relative.with_suffix(".py")) or _existing(
        root / relative / "__init__.py"
    )


@lru_cache(maxsize=4096)
def _search_roots(folder: Path) -> list[Path]:
    roots: list[Path] = []
    folder = folder.resolve()
    for candidate in [folder, *folder.parents]:
        roots.append(candidate)
        if (candidate / "src").is_dir():
            roots.append(candidate / "src")
        if any((candidate / marker).exists() for marker in _ROOT_MARKERS):
            break
    return roots


@lru_cache(maxsize=256)
def _module_model(path: Path, mtime: float, hops: int):
    """A semantic model of another project module, for return types of its functions."""
    from mlflow_upgrade.python.semantic import SemanticModel

    try:
        tree = parse_quietly(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return None
    index = ProjectIndex(path)
    return SemanticModel(tree, index.resolve, lambda function: index.return_type(function, hops))
