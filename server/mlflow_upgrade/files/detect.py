"""Which kind of file a path is, by name first and (for YAML and bare names) by content.

Directory walks call `detect_kind` for every file, so it decides by name whenever the
name is enough, and otherwise reads only the first few KB: the beginning of a YAML file
(is it a gateway configuration?) or of a file without an extension (a shebang?).
"""

from __future__ import annotations

import re
from pathlib import Path

from mlflow_upgrade.engine.document import FileKind

_HEAD_BYTES = 8192  # what is read to decide a YAML file's kind
_SHEBANG_BYTES = 128
_GATEWAY_MAX_BYTES = 512_000  # gateway configs are small; larger YAML is never one

_SHELL_SUFFIXES = {".sh", ".bash", ".zsh", ".ksh", ".dash"}
_YAML_SUFFIXES = {".yml", ".yaml"}
_SHELL_SHEBANG = re.compile(rb"^#![ \t]*\S*?(?:/|env[ \t]+(?:-\S+[ \t]+)*)(?:ba|z|k|da)?sh\b")
_PYTHON_SHEBANG = re.compile(rb"^#![ \t]*\S*?(?:/|env[ \t]+(?:-\S+[ \t]+)*)python[\d.]*\b")
# A top-level `routes:` / `endpoints:` key, and keys only gateway endpoint items have.
_GATEWAY_TOP = re.compile(r"^(?:routes|endpoints|[\"'](?:routes|endpoints)[\"'])[ \t]*:", re.M)
_GATEWAY_ITEM = re.compile(r"[\s{,\"'](?:route_type|endpoint_type)[\"']?[ \t]*:")


def detect_kind(path: Path, text: str | None = None) -> FileKind | None:
    """The file kind mlflow-upgrade reads the path as, or None to skip it.

    `text`, when given, is the file's content (an editor buffer); otherwise the file is
    read, and only when its name leaves the kind open.
    """
    name = path.name
    lower = name.lower()
    suffix = path.suffix.lower()
    if suffix in {".py", ".pyi"}:
        return FileKind.PYTHON
    if suffix == ".ipynb":
        return FileKind.NOTEBOOK
    by_name = _kind_by_name(name, lower, suffix, path)
    if by_name is not None:
        return by_name
    if suffix in _YAML_SUFFIXES:
        return _yaml_kind(path, text)
    if not suffix:
        return _shebang_kind(path, text)
    return None


def _kind_by_name(name: str, lower: str, suffix: str, path: Path) -> FileKind | None:
    if suffix in _SHELL_SUFFIXES or lower in {".envrc", ".bashrc", ".profile", ".zshrc"}:
        return FileKind.SHELL
    if (
        lower in {"dockerfile", "containerfile"}
        or lower.startswith(("dockerfile.", "containerfile."))
        or suffix in {".dockerfile", ".containerfile"}
    ):
        return FileKind.DOCKERFILE
    if lower in {"makefile", "gnumakefile"} or suffix == ".mk":
        return FileKind.MAKEFILE
    if lower == "procfile" or lower.startswith("procfile."):
        return FileKind.PROCFILE
    if lower == ".env" or lower.startswith(".env.") or suffix == ".env":
        return FileKind.DOTENV
    if name == "MLproject" or lower == "mlproject":
        return FileKind.MLPROJECT
    if lower == "pyproject.toml":
        return FileKind.PYPROJECT
    if lower == "setup.cfg":
        return FileKind.SETUP_CFG
    if suffix in {".txt", ".in"} and (
        "requirements" in lower
        or lower.startswith("constraints")
        or path.parent.name.lower() == "requirements"
    ):
        return FileKind.REQUIREMENTS
    if suffix in _YAML_SUFFIXES and (
        lower.startswith(("environment", "conda")) or path.stem.lower() == "python_env"
    ):
        return FileKind.CONDA
    return None


def _read_head(path: Path, size: int) -> bytes | None:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return None


def _yaml_kind(path: Path, text: str | None) -> FileKind:
    head = text[:_HEAD_BYTES] if text is not None else None
    if head is None:
        data = _read_head(path, _HEAD_BYTES)
        head = data.decode("utf-8", errors="replace") if data else ""
    if not (_GATEWAY_TOP.search(head) and _GATEWAY_ITEM.search(head)):
        return FileKind.YAML
    if text is None:
        data = _read_head(path, _GATEWAY_MAX_BYTES + 1)
        if data is None or len(data) > _GATEWAY_MAX_BYTES:
            return FileKind.YAML
        text = data.decode("utf-8", errors="replace")
    from mlflow_upgrade.files.yaml_gateway import is_gateway_config

    return FileKind.GATEWAY_YAML if is_gateway_config(text) else FileKind.YAML


def _shebang_kind(path: Path, text: str | None) -> FileKind | None:
    if text is not None:
        head = text[:_SHEBANG_BYTES].encode("utf-8", errors="replace")
    else:
        head = _read_head(path, _SHEBANG_BYTES) or b""
    if not head.startswith(b"#!"):
        return None
    if _SHELL_SHEBANG.match(head):
        return FileKind.SHELL
    if _PYTHON_SHEBANG.match(head):
        return FileKind.PYTHON
    return None
