"""Shell commands in files that are not Python: where they are, and what they name.

Rules read a *view* of the document: a text of exactly the same length and line layout in
which everything that is not a command is blanked with spaces (comments of every kind,
Python lines of a Databricks notebook export, the `# MAGIC ` prefixes). Offsets found in
the view are offsets of the document, so findings and edits need no mapping, and a
comment that merely mentions an old name is never reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlflow_upgrade.engine.document import FileKind

# Kinds whose text holds shell commands or environment settings.
COMMAND_KINDS = frozenset(
    {
        FileKind.SHELL,
        FileKind.DOCKERFILE,
        FileKind.MAKEFILE,
        FileKind.PROCFILE,
        FileKind.DOTENV,
        FileKind.YAML,
        FileKind.MLPROJECT,
        FileKind.PYTHON,  # Databricks notebook exports: `# MAGIC %sh` cells, `%pip` lines
    }
)
YAML_KINDS = frozenset({FileKind.YAML, FileKind.MLPROJECT})

_NEWLINE_SPLIT = re.compile(r"(?<=\n)")
_COMMENT_AFTER = frozenset(" \t;&|(")


def _blank(text: str) -> str:
    return re.sub(r"[^\r\n]", " ", text)


def comment_start(line: str) -> int | None:
    """Where a `#` comment starts on a line (shell, YAML, Makefile, .env, Dockerfile rules)."""
    quote: str | None = None
    i = 0
    while i < len(line):
        char = line[i]
        if quote is not None:
            if char == "\\" and quote == '"':
                i += 2
                continue
            if char == quote:
                quote = None
        elif char == "\\":
            i += 2
            continue
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1] in _COMMENT_AFTER):
            return i
        i += 1
    return None


def blank_comments(text: str) -> str:
    """The text with every `#` comment replaced by spaces (line breaks kept)."""
    if "#" not in text:
        return text
    out = []
    for line in _NEWLINE_SPLIT.split(text):
        if "#" not in line:
            out.append(line)
            continue
        body = line.rstrip("\r\n")
        cut = comment_start(body)
        if cut is not None:
            line = body[:cut] + " " * (len(body) - cut) + line[len(body) :]
        out.append(line)
    return "".join(out)


# Databricks notebook exports (`.py`) -------------------------------------------------

DATABRICKS_HEADER = "# Databricks notebook source"
_COMMAND_SEPARATOR = re.compile(r"^# COMMAND -{3,}")
_MAGIC_PREFIX = re.compile(r"^# MAGIC ?")
_SHELL_CELL = re.compile(r"^%(?:sh|bash)\b")
_SHELL_LINE = re.compile(r"^%(?:pip|conda|env|set_env)\b")


def is_databricks_export(text: str) -> bool:
    return text.lstrip("\ufeff").startswith(DATABRICKS_HEADER)


def databricks_view(text: str) -> str:
    """Shell view of a Databricks `.py` export: `%sh` cell bodies and `%pip` lines only."""
    out = []
    shell_cell = False
    first_magic = True
    for line in _NEWLINE_SPLIT.split(text):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if _COMMAND_SEPARATOR.match(body):
            shell_cell, first_magic = False, True
            out.append(_blank(line))
            continue
        prefix = _MAGIC_PREFIX.match(body)
        if prefix is None:
            out.append(_blank(line))
            continue
        content = body[prefix.end() :]
        kept = ""
        if first_magic:
            first_magic = False
            stripped = content.lstrip()
            lead = len(content) - len(stripped)
            cell = _SHELL_CELL.match(stripped)
            if cell is not None:
                shell_cell = True
                kept = " " * (lead + cell.end()) + stripped[cell.end() :]
            elif _SHELL_LINE.match(stripped):
                kept = " " * (lead + 1) + stripped[1:]
        elif shell_cell:
            kept = content
        else:
            stripped = content.lstrip()
            if _SHELL_LINE.match(stripped):
                kept = " " * (len(content) - len(stripped) + 1) + stripped[1:]
        out.append(" " * prefix.end() + (kept or " " * len(content)) + ending)
    return blank_comments("".join(out))


def command_view(text: str, kind: FileKind) -> str | None:
    """The view rules scan for commands, or None when the kind holds none."""
    if "mlflow" not in text.lower():
        return None  # every command, variable and package the rules look for names MLflow
    if kind is FileKind.PYTHON:
        return databricks_view(text) if is_databricks_export(text) else None
    if kind not in COMMAND_KINDS:
        return None
    return blank_comments(text)


# What the rules look for ---------------------------------------------------------------

_SEP = r"(?:[ \t]|\\\r?\n)+"
_MLFLOW = r"(?<![\w$.\-])mlflow(?:\.exe)?"
_START_SERVER = re.compile(
    rf"{_MLFLOW}{_SEP}(?P<group>deployments){_SEP}(?P<command>start-server)(?![\w-])"
)
# `["mlflow", "deployments", "start-server", …]` (Dockerfile exec form, YAML flow lists)
_START_SERVER_FLOW = re.compile(
    r"(?<=[\[,])\s*(?P<q1>[\"']?)(?P<group>deployments)(?P=q1)\s*,"
    r"\s*(?P<q2>[\"']?)(?P<command>start-server)(?P=q2)\s*(?=[,\]])"
)
# block lists: `- deployments` then `- start-server` (Kubernetes `command:`/`args:`)
_START_SERVER_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)-[ \t]+(?P<q1>[\"']?)(?P<group>deployments)(?P=q1)[ \t]*\r?\n"
    r"(?P=indent)-[ \t]+(?P<q2>[\"']?)(?P<command>start-server)(?P=q2)[ \t]*$",
    re.M,
)
_RECIPES = re.compile(rf"{_MLFLOW}{_SEP}recipes(?![\w-])(?:{_SEP}(?P<sub>[a-z][\w-]*))?")
_RECIPES_FLOW = re.compile(r"(?P<q1>[\"'])mlflow(?P=q1)\s*,\s*(?P<q2>[\"'])recipes(?P=q2)")
_RECIPES_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)-[ \t]+(?P<q1>[\"']?)mlflow(?P=q1)[ \t]*\r?\n"
    r"(?P=indent)-[ \t]+(?P<q2>[\"']?)recipes(?P=q2)[ \t]*$",
    re.M,
)
_RECIPES_ENV = re.compile(r"(?<![A-Za-z0-9_])MLFLOW_RECIPES_[A-Z0-9_]+(?![A-Za-z0-9_])")
_SERVER_MODULE = re.compile(r"(?<![\w.])mlflow\.deployments\.server\.app(?![\w])")
# YAML keys whose values describe rather than run: a step `name:` mentioning a command.
_DESCRIPTIVE_KEY = re.compile(
    r"^[ \t]*(?:-[ \t]+)?(?:name|description|displayName|title|summary|help|message)[ \t]*:",
    re.I,
)
_LOGICAL_END = re.compile(r"(?<!\\)\r?\n|[;|&]|$")


@dataclass(frozen=True)
class Token:
    start: int
    end: int


@dataclass(frozen=True)
class CommandMatch:
    """`mlflow deployments start-server`: where, and the two words the fix rewrites."""

    start: int
    end: int
    group: Token  # `deployments`
    command: Token  # `start-server`
    has_config_path: bool  # `--config-path` given on the same command


def _line_at(view: str, offset: int) -> str:
    start = view.rfind("\n", 0, offset) + 1
    end = view.find("\n", offset)
    return view[start : end if end >= 0 else len(view)]


def _descriptive(view: str, offset: int, kind: FileKind) -> bool:
    return kind in YAML_KINDS and _DESCRIPTIVE_KEY.match(_line_at(view, offset)) is not None


def start_server_commands(view: str, kind: FileKind) -> Iterator[CommandMatch]:
    if "start-server" not in view:
        return
    for match in _START_SERVER.finditer(view):
        if _descriptive(view, match.start(), kind):
            continue
        tail_end = _LOGICAL_END.search(view, match.end())
        tail = view[match.end() : tail_end.start() if tail_end else len(view)]
        yield _command_match(match, "--config-path" in tail)
    if "mlflow" not in view:
        return
    for pattern in (_START_SERVER_FLOW, _START_SERVER_BLOCK):
        for match in pattern.finditer(view):
            if pattern is _START_SERVER_FLOW:
                close = view.find("]", match.end())
                tail = view[match.end() : close if close >= 0 else len(view)]
            else:
                tail = _block_tail(view, match.end(), match.group("indent"))
            yield _command_match(match, "--config-path" in tail, skip_space=True)


def _block_tail(view: str, offset: int, indent: str) -> str:
    lines = []
    for line in view[offset:].splitlines()[1:]:
        if not re.match(rf"{re.escape(indent)}-[ \t]", line):
            break
        lines.append(line)
    return "\n".join(lines)


def _command_match(
    match: re.Match[str], has_config: bool, skip_space: bool = False
) -> CommandMatch:
    group = Token(match.start("group"), match.end("group"))
    command = Token(match.start("command"), match.end("command"))
    if not skip_space:
        return CommandMatch(match.start(), command.end, group, command, has_config)
    start = group.start - len(match.group("q1"))
    end = command.end + len(match.group("q2"))
    return CommandMatch(start, end, group, command, has_config)


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    reference: bool  # `$NAME`, `${NAME}`, `$(NAME)`: the file reads the variable


def env_names(view: str, name: str) -> list[NameMatch]:
    if name not in view:
        return []
    pattern = re.compile(rf"(?<![A-Za-z0-9_])(?P<ref>\$\{{|\$\(|\$)?{name}(?![A-Za-z0-9_])")
    return [
        NameMatch(m.start() + len(m.group("ref") or ""), m.end(), m.group("ref") is not None)
        for m in pattern.finditer(view)
    ]


def server_modules(view: str) -> list[Token]:
    if "mlflow.deployments.server.app" not in view:
        return []
    return [Token(m.start(), m.end()) for m in _SERVER_MODULE.finditer(view)]


@dataclass(frozen=True)
class RecipesMatch:
    start: int
    end: int
    subcommand: str | None


def recipes_commands(view: str, kind: FileKind) -> Iterator[RecipesMatch]:
    if "recipes" not in view:
        return
    for match in _RECIPES.finditer(view):
        if not _descriptive(view, match.start(), kind):
            yield RecipesMatch(match.start(), match.end(), match.group("sub"))
    for pattern in (_RECIPES_FLOW, _RECIPES_BLOCK):
        for match in pattern.finditer(view):
            yield RecipesMatch(match.start("q1"), match.end(), None)


def recipes_env_names(view: str) -> list[Token]:
    if "MLFLOW_RECIPES_" not in view:
        return []
    return [Token(m.start(), m.end()) for m in _RECIPES_ENV.finditer(view)]
