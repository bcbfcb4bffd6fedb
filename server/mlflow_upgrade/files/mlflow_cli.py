"""`mlflow …` command lines and MLflow environment settings in a command view.

A command is found in three spellings:
- shell form: `mlflow server --host 0.0.0.0 \\` (scripts, Dockerfile `RUN`/`CMD`, Makefile
  recipes, Procfiles, CI `run:` steps, compose `command:` strings, `sh -c "…"`);
- flow lists: `CMD ["mlflow", "server", "--host", "0.0.0.0"]`, `command: [mlflow, server]`;
- block lists: Kubernetes `command:` items `- mlflow` / `- server` / ….
A list that holds only the executable continues in the next `args:` list (Kubernetes) or
`CMD [...]` (after a Dockerfile `ENTRYPOINT ["mlflow"]`).

Every word keeps its offsets in the document, so rules report and edit in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.files.shell import YAML_KINDS

SHELL, FLOW, BLOCK = "shell", "flow", "block"


@dataclass(frozen=True)
class Word:
    start: int  # the text without its quotes
    end: int
    text: str
    outer_start: int  # with its quotes
    outer_end: int
    group: int = 0  # which list (or line) the word belongs to
    mixed: bool = False  # quotes inside the word (`--opt="v"`): its text is not view[start:end]


@dataclass(frozen=True)
class OptionValue:
    option: Word
    text: str
    start: int
    end: int
    word: Word | None  # the separate value word (None for `--opt=value`)


@dataclass
class MlflowCommand:
    form: str
    head: Word  # `mlflow` (or `python` of `python -m mlflow`)
    words: list[Word] = field(default_factory=list)  # after `mlflow`

    @property
    def start(self) -> int:
        return self.head.outer_start

    def subcommands(self, count: int = 2) -> list[str]:
        out = []
        for word in self.words[:count]:
            if word.text.startswith("-"):
                break
            out.append(word.text)
        return out

    def span(self, count: int) -> tuple[int, int]:
        """From the executable to the end of the `count`-th subcommand word."""
        last = self.words[count - 1] if 0 < count <= len(self.words) else self.head
        return self.head.start, last.end

    def option(self, *names: str) -> Word | None:
        for word in self.words:
            if word.text in names or any(word.text.startswith(n + "=") for n in names):
                return word
        return None

    def has_option(self, *names: str) -> bool:
        return self.option(*names) is not None

    def option_value(self, *names: str) -> OptionValue | None:
        for index, word in enumerate(self.words):
            if word.text in names:
                if index + 1 >= len(self.words):
                    return None
                value = self.words[index + 1]
                return OptionValue(word, value.text, value.start, value.end, value)
            for name in names:
                if word.text.startswith(name + "="):
                    cut = len(name) + 1
                    start = word.start if word.mixed else word.start + cut
                    return OptionValue(word, word.text[cut:], start, word.end, None)
        return None

    def drop_edit(self, word: Word, view: str) -> tuple[int, int] | None:
        """The range that removes `word` (an option flag) from the command."""
        if self.form == BLOCK:
            line_start = view.rfind("\n", 0, word.outer_start) + 1
            line_end = view.find("\n", word.outer_end)
            return line_start, (line_end + 1 if line_end >= 0 else len(view))
        index = self.words.index(word)
        previous = self.words[index - 1] if index > 0 else self.head
        following = self.words[index + 1] if index + 1 < len(self.words) else None
        if following is not None and following.group == word.group:
            return word.outer_start, following.outer_start
        if previous.group == word.group:
            return previous.outer_end, word.outer_end
        return None


# Shell form ------------------------------------------------------------------------------

_SHELL_HEAD = re.compile(
    r"(?<![\w$.\-/])(?:(?P<python>python[\d.]*|py)[ \t]+-m[ \t]+)?"
    r"(?P<mlflow>(?:[\w.\-~]*/)*mlflow(?:\.exe)?)(?=[ \t]|\\\r?\n)"
)
_OPTION_LINE = re.compile(r"^([ \t]*)-(?:-[\w]|[A-Za-z])")
_ENDS = set("\r\n;&|)<>`")


def shell_words(view: str, i: int, stop: str, kind: FileKind, head_indent: int) -> list[Word]:
    """The words of the shell command whose arguments start at `i`, as the shell splits
    them (quotes, escapes, `\\` continuations; in YAML also folded option lines indented
    at least `head_indent`), up to the end of the command or the `stop` quote."""
    words: list[Word] = []
    n = len(view)
    while i < n:
        while i < n and view[i] in " \t":
            i += 1
        if view.startswith("\\\n", i) or view.startswith("\\\r\n", i):
            i += 2 if view[i + 1] == "\n" else 3
            continue
        if i < n and view[i] in "\r\n" and kind in YAML_KINDS:
            # folded YAML scalars: an option on the next, indented line continues the command
            nl = view.find("\n", i)
            rest_end = view.find("\n", nl + 1)
            next_line = view[nl + 1 : rest_end if rest_end >= 0 else n]
            match = _OPTION_LINE.match(next_line)
            if nl >= 0 and match and len(match.group(1)) >= head_indent:
                i = nl + 1
                continue
            return words
        if i >= n or view[i] in _ENDS or (stop and view[i] == stop):
            return words
        start = i
        text = []
        single = True  # the whole word is one quoted string
        quoted_parts = 0
        while i < n and view[i] not in " \t" and view[i] not in _ENDS:
            char = view[i]
            if stop and char == stop:
                break
            if char in "\"'":
                close = view.find(char, i + 1)
                line_end = view.find("\n", i + 1)
                if close < 0 or (line_end >= 0 and close > line_end):
                    return words
                text.append(view[i + 1 : close])
                quoted_parts += 1
                i = close + 1
                continue
            if char == "\\" and i + 1 < n and view[i + 1] not in "\r\n":
                text.append(view[i + 1])
                single = False
                i += 2
                continue
            single = False
            text.append(char)
            i += 1
        value = "".join(text)
        if single and quoted_parts == 1:
            words.append(Word(start + 1, i - 1, value, start, i))
        else:
            words.append(Word(start, i, value, start, i, mixed=quoted_parts > 0))
    return words


def line_indent(view: str, offset: int) -> int:
    """The indentation of the line holding `offset`."""
    line_start = view.rfind("\n", 0, offset) + 1
    line = view[line_start:offset]
    return len(line) - len(line.lstrip(" \t"))


def _shell_commands(view: str, kind: FileKind) -> Iterator[MlflowCommand]:
    for match in _SHELL_HEAD.finditer(view):
        start = match.start()
        before = view[start - 1] if start > 0 else ""
        stop = before if before in "\"'" else ""
        end = match.end("mlflow")
        head = Word(start, end, view[start:end], start, end)
        words = shell_words(view, end, stop, kind, line_indent(view, start))
        if words:
            yield MlflowCommand(SHELL, head, words)


# List forms ------------------------------------------------------------------------------

_ELEMENT = r"(?P<el>(?P<q>[\"']?)(?:[\w.\-~]*/)*mlflow(?:\.exe)?(?P=q))"
_FLOW_HEAD = re.compile(rf"(?<=[\[,])[ \t]*{_ELEMENT}[ \t]*(?=[,\]])")
_BLOCK_HEAD = re.compile(rf"^(?P<indent>[ \t]*)-[ \t]+{_ELEMENT}[ \t]*$", re.M)
_CONTINUATION = re.compile(r"^[ \t]*(?:-[ \t]+)?(?:args[ \t]*:|CMD\b)[ \t]*", re.M)


def _flow_items(view: str, i: int, group: int) -> tuple[list[Word], int]:
    """Elements of a flow list from offset `i` (just after `[` or an element) to `]`."""
    words: list[Word] = []
    n = len(view)
    while i < n:
        while i < n and view[i] in " \t\r\n,":
            i += 1
        if i >= n or view[i] == "]":
            return words, i + 1
        if view[i] in "\"'":
            close = view.find(view[i], i + 1)
            if close < 0:
                return words, n
            words.append(Word(i + 1, close, view[i + 1 : close], i, close + 1, group))
            i = close + 1
            continue
        j = i
        while j < n and view[j] not in ",]\r\n":
            j += 1
        text = view[i:j].rstrip()
        if text:
            words.append(Word(i, i + len(text), text, i, i + len(text), group))
        i = j
    return words, n


def _block_items(view: str, offset: int, indent: str, group: int) -> tuple[list[Word], int]:
    """Items `- x` at `indent` on the lines from `offset`."""
    pattern = re.compile(
        rf"{re.escape(indent)}-[ \t]+(?:(?P<q>[\"'])(?P<quoted>.*?)(?P=q)|(?P<bare>\S(?:.*\S)?))[ \t]*$"
    )
    words: list[Word] = []
    i = offset
    while i < len(view):
        end = view.find("\n", i)
        end = len(view) if end < 0 else end
        line = view[i:end].rstrip("\r")
        if not line.strip():
            break
        match = pattern.fullmatch(line)
        if match is None:
            break
        if match.group("q"):
            s, e = i + match.start("quoted"), i + match.end("quoted")
            words.append(Word(s, e, view[s:e], s - 1, e + 1, group))
        else:
            s, e = i + match.start("bare"), i + match.end("bare")
            words.append(Word(s, e, view[s:e], s, e, group))
        i = end + 1
    return words, i


def _continued(view: str, offset: int, group: int) -> list[Word]:
    """The `args:` / `CMD [...]` list that follows a list holding only the executable."""
    rest = view[offset:]
    blank = re.match(r"[ \t]*\r?\n(?:[ \t]*\r?\n)*", rest)
    if blank is None:
        return []
    at = offset + blank.end()
    match = _CONTINUATION.match(view, at)
    if match is None:
        return []
    after = match.end()
    if view.startswith("[", after):
        return _flow_items(view, after + 1, group)[0]
    line_end = view.find("\n", after)
    if line_end < 0 or view[after:line_end].strip():
        return []
    item = re.match(r"([ \t]*)-[ \t]", view[line_end + 1 :])
    if item is None:
        return []
    return _block_items(view, line_end + 1, item.group(1), group)[0]


def _head(view: str, match: re.Match[str]) -> Word:
    s, e, q = match.start("el"), match.end("el"), len(match.group("q"))
    return Word(s + q, e - q, view[s + q : e - q], s, e)


def _list_commands(view: str) -> Iterator[MlflowCommand]:
    if "[" in view:
        for match in _FLOW_HEAD.finditer(view):
            head = _head(view, match)
            words, after = _flow_items(view, match.end(), 0)
            if not words:
                words = _continued(view, after, 1)
            if words:
                yield MlflowCommand(FLOW, head, words)
    for match in _BLOCK_HEAD.finditer(view):
        head = _head(view, match)
        words, after = _block_items(view, match.end() + 1, match.group("indent"), 0)
        if not words:
            words = _continued(view, max(after - 1, match.end()), 1)
        if words:
            yield MlflowCommand(BLOCK, head, words)


def mlflow_commands(view: str, kind: FileKind) -> list[MlflowCommand]:
    """Every `mlflow …` command of a command view that has at least one word after `mlflow`."""
    if "mlflow" not in view:
        return []
    found = list(_shell_commands(view, kind))
    found += _list_commands(view)
    return found


def command_line_start(view: str, offset: int) -> int:
    """The start of the (possibly backslash-continued) line holding `offset`."""
    start = view.rfind("\n", 0, offset) + 1
    while start > 0:
        previous_end = start - 1
        if previous_end > 0 and view[previous_end - 1] == "\r":
            previous_end -= 1
        previous_start = view.rfind("\n", 0, previous_end) + 1
        if not view[previous_start:previous_end].rstrip(" \t").endswith("\\"):
            break
        start = previous_start
    return start


# Environment settings --------------------------------------------------------------------


@dataclass(frozen=True)
class EnvSetting:
    name: str
    name_start: int
    name_end: int
    separator: str  # `=`, `: `, ` ` (Dockerfile `ENV NAME value`), or "value" (k8s pair)
    value: str
    value_start: int
    value_end: int
    line_start: int
    line_end: int  # end of the line holding the value (before its line break)


def _value_at(view: str, i: int, yaml_value: bool) -> tuple[str, int, int]:
    n = len(view)
    if i < n and view[i] in "\"'":
        close = view.find(view[i], i + 1)
        line_end = view.find("\n", i)
        if close >= 0 and (line_end < 0 or close < line_end):
            return view[i + 1 : close], i + 1, close
        return "", i, i
    j = i
    stops = "\r\n" if yaml_value else " \t\r\n;&|)`"
    while j < n and view[j] not in stops:
        j += 1
    text = view[i:j].rstrip()
    return text, i, i + len(text)


def env_settings(view: str, kind: FileKind, names: set[str]) -> Iterator[EnvSetting]:
    """Where the file sets one of `names`, with the value it sets."""
    if not any(name in view for name in names):
        return
    alternatives = "|".join(sorted(re.escape(n) for n in names))
    pattern = re.compile(rf"(?<![\w${{(\-/.])(?P<q>[\"']?)(?P<name>{alternatives})(?![\w])")
    for match in pattern.finditer(view):
        name_start, name_end = match.start("name"), match.end("name")
        line_start = view.rfind("\n", 0, name_start) + 1
        line_end = view.find("\n", name_end)
        line_end = len(view) if line_end < 0 else line_end
        after = view[name_end:line_end]
        quote = match.group("q")
        if quote and after.startswith(quote):  # `"MLFLOW_TRACKING_URI": value` (YAML/JSON key)
            after = after[1:]
            name_end_key = name_end + 1
        else:
            name_end_key = name_end
        prefix = view[line_start:name_start]
        sep = re.match(r"[ \t]*(?:[:?+]?=)[ \t]*", after) if kind is not FileKind.DOTENV else None
        if kind is FileKind.DOTENV:
            sep = re.match(r"[ \t]*=[ \t]*", after)
        if sep is None and kind in YAML_KINDS:
            sep = re.match(r"[ \t]*:[ \t]+|[ \t]*:(?=[\"'])", after)
            if sep is None and re.fullmatch(r"[ \t]*-?[ \t]*name[ \t]*:[ \t]*[\"']?", prefix):
                yield from _k8s_pair(view, match.group("name"), name_start, name_end, line_end)
                continue
        if sep is None and kind is FileKind.DOCKERFILE and re.match(r"[ \t]*ENV[ \t]+$", prefix):
            sep = re.match(r"[ \t]+", after)
        if sep is None:
            continue
        value_at = name_end_key + sep.end()
        yaml_value = kind in YAML_KINDS and ":" in sep.group()
        if quote and name_end_key == name_end:  # `"NAME=value"`: the value ends at the quote
            close = view.find(quote, value_at, line_end)
            if close < 0:
                continue
            value, value_start, value_end = view[value_at:close], value_at, close
        else:
            value, value_start, value_end = _value_at(view, value_at, yaml_value)
        value_line_end = view.find("\n", value_end)
        yield EnvSetting(
            match.group("name"),
            name_start,
            name_end,
            sep.group(),
            value,
            value_start,
            value_end,
            line_start,
            len(view) if value_line_end < 0 else value_line_end,
        )


def _k8s_pair(
    view: str, name: str, name_start: int, name_end: int, line_end: int
) -> Iterator[EnvSetting]:
    following = re.match(r"\r?\n([ \t]*)value[ \t]*:[ \t]*", view[line_end:])
    if following is None:
        return
    value, value_start, value_end = _value_at(view, line_end + following.end(), True)
    line_start = view.rfind("\n", 0, name_start) + 1
    value_line_end = view.find("\n", value_end)
    yield EnvSetting(
        name,
        name_start,
        name_end,
        "value",
        value,
        value_start,
        value_end,
        line_start,
        len(view) if value_line_end < 0 else value_line_end,
    )


# Setting one more variable beside an existing setting or command -------------------------

_NEW_LINE_PREFIX = re.compile(r"[ \t]*(?:(?:export|ENV)[ \t]+|-[ \t]+)?[\"']?")
_INLINE_WORD = re.compile(r"(?:export|env|ENV|RUN|[A-Za-z_][A-Za-z0-9_]*=\S*)")
_COMMAND_START = re.compile(
    r"(?:^|[;&|({]|\bthen|\bdo|\belse|-c[ \t]+[\"'])[ \t]*$"
)  # `mlflow` starts a simple command here: a `NAME=value` prefix applies to it
_PROCFILE_LABEL = re.compile(r"^[\w.\-]+:[ \t]*$")
_RECIPE_START = re.compile(r"^\t[@+\-]*[ \t]*$")
_INSTRUCTION = re.compile(r"[ \t]*(?:RUN|CMD|ENTRYPOINT)\b", re.I)


@dataclass(frozen=True)
class Insertion:
    offset: int
    text: str
    key: str  # insertions with the same key set the variable for the same scope


def _line_break(view: str, line_end: int) -> tuple[int, str]:
    if line_end > 0 and view[line_end - 1 : line_end] == "\r":
        return line_end - 1, "\r\n"
    return line_end, "\n"


def _closing_quote(prefix: str) -> str:
    return prefix[-1] if prefix and prefix[-1] in "\"'" else ""


def insertion_beside_setting(
    view: str, kind: FileKind, setting: EnvSetting, name: str, value: str
) -> Insertion | None:
    """Where and how to set `name=value` next to `setting`, in the same style."""
    prefix = view[setting.line_start : setting.name_start]
    if setting.separator == "value":  # Kubernetes `- name: X` / `value: y`
        value_line = view.rfind("\n", 0, setting.value_start) + 1
        value_prefix = view[value_line : setting.value_start]
        close = _closing_quote(prefix)
        written = f'{value}"' if _closing_quote(value_prefix) else f'"{value}"'
        at, newline = _line_break(view, setting.line_end)
        text = f"{newline}{prefix}{name}{close}{newline}{value_prefix}{written}"
        return Insertion(at, text, f"k8s:{len(prefix) - len(prefix.lstrip())}")
    rest_start = setting.value_end
    if rest_start < len(view) and view[rest_start] in "\"'":
        rest_start += 1
    at, newline = _line_break(view, setting.line_end)
    rest = view[rest_start:at]
    yaml_map = ":" in setting.separator
    if _NEW_LINE_PREFIX.fullmatch(prefix) and rest.strip() in ("", '"', "'"):
        close = _closing_quote(prefix)
        written = f'"{value}"' if yaml_map and not close else value
        text = f"{newline}{prefix}{name}{setting.separator}{written}{close}"
        key = "dockerfile" if kind is FileKind.DOCKERFILE else f"line:{prefix}"
        return Insertion(at, text, key)
    if kind in YAML_KINDS or kind is FileKind.DOTENV or yaml_map:
        return None
    before = prefix.rstrip(" \t")
    if before and not before.endswith((";", "&", "|", "(")):
        words = before.split()
        if not all(_INLINE_WORD.fullmatch(w) for w in words):
            return None
    elif prefix and prefix[-1:] not in " \t":
        return None
    return Insertion(setting.name_start, f"{name}={value} ", f"inline:{setting.name_start}")


def insertion_for_command(
    view: str, kind: FileKind, command: MlflowCommand, name: str, value: str
) -> Insertion | None:
    """Where and how to set `name=value` for the process a command starts."""
    if kind is FileKind.DOCKERFILE:
        start = command_line_start(view, command.start)
        if _INSTRUCTION.match(view, start) is None:
            return None
        newline = "\r\n" if "\r\n" in view else "\n"
        return Insertion(start, f"ENV {name}={value}{newline}", "dockerfile")
    if command.form != SHELL or kind in YAML_KINDS or kind is FileKind.DOTENV:
        return None
    line_start = view.rfind("\n", 0, command.start) + 1
    before = view[line_start : command.start]
    if not (
        _COMMAND_START.search(before)
        or (kind is FileKind.PROCFILE and _PROCFILE_LABEL.match(before))
        or (kind is FileKind.MAKEFILE and _RECIPE_START.match(before))
    ):
        return None
    return Insertion(command.start, f"{name}={value} ", f"inline:{command.start}")
