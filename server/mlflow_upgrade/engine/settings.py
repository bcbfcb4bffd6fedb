"""Settings: `[tool.mlflow-upgrade]` in pyproject.toml, CLI flags and editor settings."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomllib

from mlflow_upgrade.engine.findings import Severity

NEWEST_MLFLOW = "3.18"


class SettingsError(ValueError):
    """A setting has the wrong type or value; the message names it."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("MLF",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    target_version: str = NEWEST_MLFLOW
    max_file_size: int = 4_000_000
    unsafe_fixes: bool = False
    interpreter: str | None = None
    root: Path | None = None
    warnings: tuple[str, ...] = ()

    def enabled(self, code: str, path: Path | None = None) -> bool:
        if not any(code.startswith(prefix) for prefix in self.select):
            return False
        ignored = list(self.ignore)
        if path is not None:
            ignored += self._file_ignores(path)
        return not any(code.startswith(prefix) for prefix in ignored)

    def _file_ignores(self, path: Path) -> list[str]:
        relative = _relative(path, self.root)
        return [
            code
            for pattern, codes in self.per_file_ignores.items()
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path.name, pattern)
            for code in codes
        ]

    def is_excluded(self, path: Path) -> bool:
        relative = _relative(path, self.root)
        return any(
            fnmatch.fnmatch(relative, pattern)
            or fnmatch.fnmatch(path.name, pattern)
            or any(fnmatch.fnmatch(part, pattern) for part in Path(relative).parts)
            for pattern in self.exclude
        )

    def severity_for(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def merged(self, overrides: dict[str, Any], source: str) -> Settings:
        """A copy with overrides (keys as in pyproject or camelCase) applied and validated."""
        return _apply(self, overrides, source)


def _relative(path: Path, root: Path | None) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() if root else path.as_posix()
    except ValueError:
        return path.as_posix()


def _codes(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"`{key}` must be a list of rule codes or prefixes")
    return tuple(v.strip().upper() for v in value)


def _normalise_key(key: str) -> str:
    out = "".join("-" + c.lower() if c.isupper() else c for c in key)
    return out.replace("_", "-")


def _apply(settings: Settings, overrides: dict[str, Any], source: str) -> Settings:
    changes: dict[str, Any] = {}
    warnings = list(settings.warnings)
    for raw_key, value in overrides.items():
        key = _normalise_key(raw_key)
        if value is None:
            continue
        try:
            if key in ("select", "ignore"):
                changes[key] = _codes(value, key)
            elif key in ("exclude", "extend-exclude"):
                changes["exclude"] = changes.get("exclude", settings.exclude) + _codes_plain(
                    value, key
                )
            elif key == "per-file-ignores":
                if not isinstance(value, dict):
                    raise SettingsError("`per-file-ignores` must map glob patterns to codes")
                changes["per_file_ignores"] = {k: _codes(v, key) for k, v in value.items()}
            elif key == "severity":
                changes["severity"] = _severities(value)
            elif key == "target-version":
                changes["target_version"] = _target_version(value)
            elif key == "max-file-size":
                if not isinstance(value, int) or value <= 0:
                    raise SettingsError("`max-file-size` must be a positive number of bytes")
                changes["max_file_size"] = value
            elif key == "unsafe-fixes":
                changes["unsafe_fixes"] = bool(value)
            elif key == "interpreter":
                changes["interpreter"] = str(value) if value else None
            else:
                warnings.append(f"{source}: unknown setting `{raw_key}` ignored")
        except SettingsError as error:
            warnings.append(f"{source}: {error}; using the default")
    return replace(settings, warnings=tuple(warnings), **changes)


def _codes_plain(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"`{key}` must be a list of glob patterns")
    return tuple(value)


def _severities(value: Any) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise SettingsError("`severity` must map rule codes to error|warning|information|hint")
    try:
        return {code.upper(): Severity(str(level).lower()) for code, level in value.items()}
    except ValueError as error:
        raise SettingsError(f"`severity`: {error}") from error


def _target_version(value: Any) -> str:
    text = str(value).strip()
    parts = text.split(".")
    if not text or not all(p.isdigit() for p in parts) or parts[0] != "3":
        raise SettingsError(
            f"`target-version` must be an MLflow 3 version such as 3.6, not {text!r}"
        )
    return text


def version_tuple(text: str) -> tuple[int, ...]:
    """Release numbers padded to three, so that "3.7" and "3.7.0" compare equal."""
    numbers = tuple(int(p) for p in text.split(".") if p.isdigit())
    return numbers + (0,) * (3 - len(numbers))


def find_pyproject(start: Path) -> Path | None:
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            return pyproject
    return None


def load_settings(start: Path, base: Settings | None = None) -> Settings:
    """Settings from the nearest pyproject.toml's `[tool.mlflow-upgrade]`."""
    settings = base or Settings()
    pyproject = find_pyproject(start)
    if pyproject is None:
        return replace(settings, root=settings.root or (start if start.is_dir() else start.parent))
    settings = replace(settings, root=pyproject.parent)
    try:
        table = (
            tomllib.loads(pyproject.read_text(encoding="utf-8"))
            .get("tool", {})
            .get("mlflow-upgrade", {})
        )
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as error:
        return replace(settings, warnings=(*settings.warnings, f"{pyproject}: {error}"))
    if not isinstance(table, dict):
        return settings
    return settings.merged(table, str(pyproject))
