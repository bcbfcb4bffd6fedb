"""Settings for the language server: editor settings over `pyproject.toml` over defaults.

Editor settings arrive in three ways: `initializationOptions` (flat, or nested under
`mlflowUpgrade`), answers to `workspace/configuration` (section `mlflowUpgrade`,
per workspace folder) and `workspace/didChangeConfiguration` (for clients that
cannot answer configuration requests). The engine settings are built per
`pyproject.toml` (a workspace may hold several projects) and cached until a setting
or a `pyproject.toml` changes; engines and jedi projects are cached with them.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlflow_upgrade.engine.analyze import Engine
from mlflow_upgrade.engine.interpreter import describe, find_interpreter
from mlflow_upgrade.engine.settings import Settings, find_pyproject, load_settings

log = logging.getLogger(__name__)

SECTION = "mlflowUpgrade"
DEFAULT_DEBOUNCE_MS = 120

# Settings the server reads itself; everything else goes to the engine's validator.
_SERVER_KEYS = {"debounce", "debounceMs", "logLevel"}


@dataclass
class ServerOptions:
    """What the server itself reads from the editor settings."""

    debounce: float = DEFAULT_DEBOUNCE_MS / 1000
    log_level: str = "info"


def _present(value: Any) -> bool:
    """VS Code sends every key; an empty list or map means 'not set', not 'nothing'."""
    return value is not None and value != [] and value != {} and value != ""


def unwrap(raw: Any) -> dict[str, Any] | None:
    """The `mlflowUpgrade` object of a settings payload, flat or nested."""
    if not isinstance(raw, dict):
        return None
    nested = raw.get(SECTION)
    if isinstance(nested, dict):
        return nested
    if "mlflow-upgrade" in raw and isinstance(raw["mlflow-upgrade"], dict):
        return raw["mlflow-upgrade"]
    return raw


def split_options(raw: dict[str, Any], warnings: list[str]) -> tuple[dict[str, Any], ServerOptions]:
    """Engine overrides (unset values dropped) and the server's own options."""
    engine: dict[str, Any] = {}
    options = ServerOptions()
    for key, value in raw.items():
        if key in _SERVER_KEYS:
            if key.startswith("debounce"):
                if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                    options.debounce = min(float(value), 5000.0) / 1000
                else:
                    warnings.append(
                        f"editor settings: `{key}` must be a number of milliseconds; "
                        f"using {DEFAULT_DEBOUNCE_MS}"
                    )
            elif key == "logLevel":
                if isinstance(value, str) and value.lower() in {
                    "error",
                    "warning",
                    "info",
                    "debug",
                }:
                    options.log_level = value.lower()
                else:
                    warnings.append("editor settings: `logLevel` must be error|warning|info|debug")
            continue
        if _present(value):
            engine[key] = value
    return engine, options


@dataclass
class Folder:
    uri: str
    path: Path | None
    name: str = ""
    configuration: dict[str, Any] | None = None  # from workspace/configuration


@dataclass
class Resolved:
    settings: Settings
    engine: Engine
    interpreter: str | None
    pyproject: Path | None


@dataclass
class ConfigState:
    """Everything settings-related, shared by handlers (loop) and analyses (threads)."""

    folders: list[Folder] = field(default_factory=list)
    init_options: dict[str, Any] = field(default_factory=dict)
    global_settings: dict[str, Any] = field(default_factory=dict)
    generation: int = 0
    use_jedi: bool = True
    _resolved: dict[tuple[str | None, Path | None], Resolved] = field(default_factory=dict)
    _jedi: dict[tuple[str | None, str | None], object] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _warned: set[str] = field(default_factory=set)
    pending_warnings: list[str] = field(default_factory=list)

    def invalidate(self) -> None:
        with self._lock:
            self.generation += 1
            self._resolved.clear()
            self._warned.clear()

    def touch(self) -> None:
        """Files on disk changed: cached analyses are stale, settings are not."""
        with self._lock:
            self.generation += 1

    def folder_for(self, path: Path | None) -> Folder | None:
        if path is None:
            return self.folders[0] if len(self.folders) == 1 else None
        best: Folder | None = None
        for folder in self.folders:
            if folder.path is None:
                continue
            inside = path == folder.path or folder.path in path.parents
            if inside and (best is None or len(folder.path.parts) > len(best.path.parts)):  # type: ignore[union-attr]
                best = folder
        return best

    def editor_raw(self, folder: Folder | None) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for layer in (
            self.init_options,
            self.global_settings,
            folder.configuration if folder else None,
        ):
            if isinstance(layer, dict):
                raw.update(layer)
        return raw

    def options(self, path: Path | None = None) -> ServerOptions:
        _, options = split_options(self.editor_raw(self.folder_for(path)), [])
        return options

    def resolve(self, path: Path | None) -> Resolved:
        """Settings, engine and interpreter for a file (thread-safe, cached)."""
        folder = self.folder_for(path)
        if path is None:
            start = folder.path if folder else None
        else:
            start = path if path.is_dir() else path.parent
        pyproject = find_pyproject(start) if start is not None and start.exists() else None
        key = (folder.uri if folder else None, pyproject)
        with self._lock:
            resolved = self._resolved.get(key)
            if resolved is None:
                resolved = self._build(folder, start, pyproject)
                self._resolved[key] = resolved
            return resolved

    def _build(self, folder: Folder | None, start: Path | None, pyproject: Path | None) -> Resolved:
        if pyproject is not None:
            settings = load_settings(pyproject.parent)
        else:
            settings = Settings(root=folder.path if folder else None)
        warnings: list[str] = []
        engine_raw, _ = split_options(self.editor_raw(folder), warnings)
        if engine_raw:
            settings = settings.merged(engine_raw, "editor settings")
        explicit = settings.interpreter
        if explicit and not Path(explicit).expanduser().exists():
            warnings.append(
                f"editor settings: interpreter {explicit!r} does not exist; "
                "looking for the workspace's environment instead"
            )
            explicit = None
        interpreter = find_interpreter(folder.path if folder else start, explicit)
        self.pending_warnings.extend(w for w in (*settings.warnings, *warnings))
        jedi = self.jedi_for(folder, interpreter) if self.use_jedi else None
        return Resolved(settings, Engine(settings, jedi), interpreter, pyproject)

    def jedi_for(self, folder: Folder | None, interpreter: str | None):
        """One jedi project per workspace folder and interpreter."""
        from mlflow_upgrade.python.jedi_types import JediTypes

        key = (folder.uri if folder else None, interpreter)
        with self._lock:
            jedi = self._jedi.get(key)
            if jedi is None:
                jedi = JediTypes(interpreter, folder.path if folder else None)
                self._jedi[key] = jedi
                log.info(
                    "jedi for %s reads %s", folder.uri if folder else "files", describe(interpreter)
                )
            return jedi

    def take_warnings(self) -> list[str]:
        """New warnings since the last call (each distinct one reported once)."""
        with self._lock:
            fresh = [w for w in dict.fromkeys(self.pending_warnings) if w not in self._warned]
            self._warned.update(fresh)
            self.pending_warnings.clear()
            return fresh
