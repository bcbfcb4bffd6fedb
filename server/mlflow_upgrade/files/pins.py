"""Dependency pins: which ones hold MLflow below 3, and what to write instead.

A pin "holds MLflow below 3" when no MLflow 3.x release satisfies it (`mlflow==2.9.2`,
`mlflow<3`, `mlflow~=2.9`, `mlflow==2.*`, poetry `^2.9`, conda `mlflow=2.9`, …). The
specifiers are evaluated here (PEP 440, poetry and conda syntaxes) against probe
versions 3.0 … 3.40, so `mlflow>=2.9` or an unpinned `mlflow` is never reported.

Where pins live: requirements files, `pyproject.toml` (PEP 621 dependencies, optional
dependencies, dependency groups, uv/pdm/hatch lists, poetry tables), `setup.cfg`,
conda `environment.yml`/`conda.yaml` (conda and pip sections), MLflow's `python_env.yaml`,
and `pip install` / `conda install` commands in scripts, Dockerfiles, CI YAML, MLproject
entry points and notebooks. Every scanner returns offsets into the text it was given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlflow_upgrade.engine.document import FileKind, LineIndex
from mlflow_upgrade.engine.findings import TextEdit
from mlflow_upgrade.files.mlflow_cli import Word, line_indent, shell_words

MLFLOW_PACKAGES = frozenset({"mlflow", "mlflow-skinny"})
# Extras of the `mlflow` distribution that MLflow 3 removed, with the release [PK-02].
REMOVED_EXTRAS = {"xethub": "3.3", "mlserver": "3.13"}
LOWEST_3X = "3.1"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# Versions and specifiers ----------------------------------------------------------------

_VERSION = re.compile(
    r"^v?(?P<release>\d+(?:\.\d+)*)(?:[-_.]?(?P<phase>a|b|c|rc|alpha|beta|pre|preview|dev|post)[-_.]?(?P<n>\d*))?",
    re.I,
)
_PHASES = {"dev": 0, "a": 1, "alpha": 1, "b": 2, "beta": 2, "c": 3, "rc": 3, "pre": 3, "preview": 3}
_FINAL = 4
_POST = 5
Version = tuple[tuple[int, ...], int, int]


def parse_version(text: str) -> Version | None:
    match = _VERSION.match(text.strip())
    if match is None:
        return None
    release = tuple(int(p) for p in match.group("release").split("."))
    release = release + (0,) * (6 - len(release)) if len(release) < 6 else release
    phase = match.group("phase")
    if phase is None:
        return release, _FINAL, 0
    rank = _POST if phase.lower() == "post" else _PHASES[phase.lower()]
    return release, rank, int(match.group("n") or 0)


Clause = tuple[str, str]  # (operator, version text); operator "" means "any"
_CLAUSE = re.compile(r"^(===|==|!=|~=|<=|>=|<|>)?\s*(\S+)$")


def _prefix_match(version: Version, prefix: str) -> bool:
    parts = tuple(int(p) for p in prefix.split(".") if p.isdigit())
    return version[0][: len(parts)] == parts


def clause_admits(clause: Clause, version: Version) -> bool:
    operator, text = clause
    if operator == "" and text in {"", "*"}:
        return True
    if text.endswith(".*"):
        if operator in {"==", ""}:
            return _prefix_match(version, text[:-2])
        if operator == "!=":
            return not _prefix_match(version, text[:-2])
        return True
    other = parse_version(text)
    if other is None:
        return True  # not understood: never report on a guess
    if operator in {"==", "", "==="}:
        return version == other
    if operator == "!=":
        return version != other
    if operator == "<":
        return version < other
    if operator == "<=":
        return version <= other
    if operator == ">":
        return version > other
    if operator == ">=":
        return version >= other
    if operator == "~=":
        parts = text.split(".")
        return version >= other and _prefix_match(version, ".".join(parts[:-1]))
    return True


def _probes(alternatives: list[list[Clause]]) -> Iterator[Version]:
    for minor in range(41):
        for patch in (0, 1, 2, 4, 5, 10):
            yield parse_version(f"3.{minor}.{patch}")  # type: ignore[misc]
    for clauses in alternatives:
        for _, text in clauses:
            version = parse_version(text.rstrip(".*"))
            if version is not None and version[0][0] == 3:
                release = version[0]
                yield release, _FINAL, 0
                yield (*release[:-1], release[-1] + 1), _FINAL, 0


def admits_3x(alternatives: list[list[Clause]]) -> bool:
    """Whether any MLflow 3 release satisfies one of the alternatives (each an AND of clauses)."""
    return any(
        all(clause_admits(c, probe) for c in clauses)
        for probe in _probes(alternatives)
        for clauses in alternatives
    )


def pep440_clauses(spec: str) -> list[list[Clause]] | None:
    spec = spec.strip().strip("()").strip()
    if not spec:
        return [[]]
    clauses: list[Clause] = []
    for piece in spec.split(","):
        match = _CLAUSE.match(piece.strip())
        if match is None:
            return None
        clauses.append((match.group(1) or "==", match.group(2)))
    return [clauses]


def _bump(parts: list[int], position: int) -> str:
    bumped = [*parts[:position], parts[position] + 1]
    return ".".join(str(p) for p in bumped)


def poetry_clauses(constraint: str) -> list[list[Clause]] | None:
    """Poetry's constraint syntax (`^2.9`, `~2.9`, `2.*`, `>=2,<3`, `a || b`)."""
    alternatives: list[list[Clause]] = []
    for alternative in constraint.split("||"):
        clauses: list[Clause] = []
        for piece in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", alternative.strip()):
            piece = piece.strip()
            if piece in {"", "*"}:
                continue
            if piece[0] in "^~" and not piece.startswith("~="):
                digits = [int(p) for p in piece[1:].strip().split(".") if p.isdigit()]
                if not digits:
                    return None
                if piece[0] == "^":
                    nonzero = next((i for i, p in enumerate(digits) if p), len(digits) - 1)
                    upper = _bump(digits, min(nonzero, len(digits) - 1))
                else:
                    upper = _bump(digits, 1 if len(digits) > 1 else 0)
                clauses += [(">=", piece[1:].strip()), ("<", upper)]
                continue
            match = _CLAUSE.match(piece)
            if match is None:
                return None
            clauses.append((match.group(1) or "==", match.group(2)))
        alternatives.append(clauses)
    return alternatives


def conda_clauses(spec: str) -> list[list[Clause]] | None:
    """A conda match-spec version (`=2.9` fuzzy, `==2.9.2`, `2.9.*`, `>=2,<3`, `a|b`)."""
    spec = spec.strip()
    if spec.startswith("=") and not spec.startswith("=="):
        spec = spec[1:].split("=", 1)[0]  # `=2.9=py_0`: fuzzy version, then a build string
        return [[("==", spec if spec.endswith("*") else spec + ".*")]]
    spec = spec.split()[0] if spec else spec  # `2.9.* py_0`: drop the build string
    alternatives = []
    for alternative in spec.split("|"):
        clauses: list[Clause] = []
        for piece in alternative.split(","):
            match = _CLAUSE.match(piece.strip())
            if match is None:
                return None
            text = match.group(2)
            if text.endswith("*") and not text.endswith(".*"):
                text = text[:-1].rstrip(".") + ".*"
            clauses.append((match.group(1) or "==", text))
        alternatives.append(clauses)
    return alternatives


# What to write instead ------------------------------------------------------------------


def raised_bounds(target_version: str, newest: bool) -> tuple[str, str]:
    """(lower, upper) for a raised pin: `>=3.1,<4`, or capped at the target release."""
    target = [int(p) for p in target_version.split(".") if p.isdigit()] or [3]
    lower = LOWEST_3X if target[:2] >= [3, 1] else "3.0"
    if newest or len(target) < 2:
        return lower, "4"
    return lower, f"{target[0]}.{target[1] + 1}"


def pep440_range(bounds: tuple[str, str]) -> str:
    return f">={bounds[0]},<{bounds[1]}"


def poetry_range(bounds: tuple[str, str]) -> str:
    return f"^{bounds[0]}" if bounds[1] == "4" else f">={bounds[0]},<{bounds[1]}"


# Requirements (PEP 508) -------------------------------------------------------------------

_REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)[ \t]*"
    r"(?P<extras>\[[^\]]*\])?[ \t]*"
    r"(?P<spec>\(?[ \t]*(?:===|==|!=|~=|<=|>=|<|>)[^;@]*?)?[ \t]*"
    r"(?P<rest>[;@].*)?$",
    re.S,
)


@dataclass
class PinProblem:
    """A pin to report: the range, the message, and the edits of the unsafe fix (or None)."""

    start: int
    end: int
    message: str
    fix_title: str
    edits: list[TextEdit] | None
    package: str = "mlflow"


@dataclass
class PinPolicy:
    target_version: str
    newest: bool
    lock_file: bool = False  # hashes pin exact files: report, but regenerate instead of editing

    @property
    def bounds(self) -> tuple[str, str]:
        return raised_bounds(self.target_version, self.newest)

    def removed_extra(self, extra: str) -> str | None:
        since = REMOVED_EXTRAS.get(normalise(extra))
        if since is None:
            return None
        target = [int(p) for p in self.target_version.split(".") if p.isdigit()]
        wanted = [int(p) for p in since.split(".")]
        return since if target >= wanted else None


def check_pep508(text: str, offset: int, policy: PinPolicy) -> PinProblem | None:
    """Check one requirement string found at `offset` of the document."""
    match = _REQUIREMENT.match(text)
    if match is None or normalise(match.group("name")) not in MLFLOW_PACKAGES:
        return None
    name = match.group("name")
    rest = match.group("rest") or ""
    spec = (match.group("spec") or "").strip()
    extras_text = match.group("extras") or ""
    extras = [e.strip() for e in extras_text.strip("[]").split(",") if e.strip()]
    removed = [e for e in extras if policy.removed_extra(e)]
    held = False
    if spec and not rest.startswith("@"):
        clauses = pep440_clauses(spec)
        held = clauses is not None and not admits_3x(clauses)
    if not held and not removed:
        return None
    edits: list[TextEdit] = []
    parts = []
    if held:
        new_spec = pep440_range(policy.bounds)
        start, end = match.span("spec")
        edits.append(
            TextEdit(offset + start, offset + start + len(match.group("spec").rstrip()), new_spec)
        )
        parts.append(f"`{name}{spec}` holds MLflow below 3; raise it to `{name}{new_spec}`")
    if removed:
        kept = [e for e in extras if e not in removed]
        start, end = match.span("extras")
        edits.append(TextEdit(offset + start, offset + end, f"[{','.join(kept)}]" if kept else ""))
        for extra in removed:
            parts.append(
                f"the `{extra}` extra of `{name}` was removed in MLflow {policy.removed_extra(extra)}"
            )
    message = "; ".join(parts)
    title = "Raise the MLflow pin" if held else "Drop the removed extra"
    end = offset + max(match.end("name"), match.end("extras"), match.end("spec"))
    end -= len(text[: end - offset]) - len(text[: end - offset].rstrip())
    if policy.lock_file:
        return PinProblem(offset, end, message + " (regenerate this lock file)", title, None, name)
    return PinProblem(offset, end, message, title, edits, name)


# requirements*.txt ------------------------------------------------------------------------

_OPTION_LINE = re.compile(r"^\s*-")


def scan_requirements(text: str, policy: PinPolicy) -> list[PinProblem]:
    policy.lock_file = "--hash" in text
    problems = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        cut = len(body)
        for marker in (" #", "\t#", " \\", " --", "\t--"):
            position = body.find(marker)
            if position >= 0:
                cut = min(cut, position)
        if body.lstrip().startswith("#"):
            cut = 0
        requirement = body[:cut]
        stripped = requirement.strip()
        if stripped and not _OPTION_LINE.match(requirement):
            lead = len(requirement) - len(requirement.lstrip())
            problem = check_pep508(stripped, offset + lead, policy)
            if problem is not None:
                problems.append(problem)
        offset += len(line)
    return problems


# setup.cfg ----------------------------------------------------------------------------------

_INI_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\]")
_INI_KEY = re.compile(r"^(?P<key>[\w.-]+)[ \t]*[=:][ \t]*")
_SETUP_KEYS = {"install_requires", "setup_requires", "tests_require"}


def scan_setup_cfg(text: str, policy: PinPolicy) -> list[PinProblem]:
    problems = []
    section = ""
    collecting = False
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        value_start = None
        if (header := _INI_SECTION.match(body)) is not None:
            section, collecting = header.group("name").strip(), False
        elif (key := _INI_KEY.match(body)) is not None:
            collecting = (section == "options" and key.group("key") in _SETUP_KEYS) or (
                section == "options.extras_require"
            )
            value_start = key.end()
        elif collecting and body[:1] in {" ", "\t"}:
            value_start = 0
        elif body.strip() and not body.lstrip().startswith(("#", ";")):
            collecting = False
        if collecting and value_start is not None:
            value = body[value_start:]
            comment = re.search(r"(?:^|[ \t])#", value)
            if value.lstrip().startswith(";"):
                value = ""
            elif comment is not None:
                value = value[: comment.start()]
            stripped = value.strip()
            if stripped:
                lead = len(value) - len(value.lstrip())
                problem = check_pep508(stripped, offset + value_start + lead, policy)
                if problem is not None:
                    problems.append(problem)
        offset += len(line)
    return problems


# pyproject.toml -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TomlString:
    path: tuple[str, ...]
    value: str
    start: int  # offset of the first character inside the quotes
    end: int  # offset of the closing quote
    literal: bool  # single-quoted: no escapes


@dataclass
class _Frame:
    kind: str  # "[" or "{"
    path: tuple[str, ...]


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_key(text: str, i: int) -> tuple[tuple[str, ...], int]:
    """A (dotted) key starting at i; returns its parts and the offset after it."""
    parts = []
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] in "\"'":
            quote = text[i]
            close = text.find(quote, i + 1)
            close = close if close >= 0 else n
            parts.append(text[i + 1 : close])
            i = close + 1
        else:
            match = _BARE_KEY.match(text, i)
            if match is None:
                break
            parts.append(match.group())
            i = match.end()
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == ".":
            i += 1
            continue
        break
    return tuple(parts), i


def toml_strings(text: str) -> Iterator[TomlString]:
    """Every single-line string value of a TOML document with its key path.

    Array items carry the path of their array; values in inline tables extend the path
    with their own keys. Enough of TOML to locate dependency strings, not a validator.
    """
    i, n = 0, len(text)
    table: tuple[str, ...] = ()
    stack: list[_Frame] = []
    current: tuple[str, ...] = ()
    expecting_key = True
    while i < n:
        char = text[i]
        if char in " \t\r":
            i += 1
        elif char == "\n":
            i += 1
            if not stack:
                expecting_key = True
        elif char == "#":
            end = text.find("\n", i)
            i = end if end >= 0 else n
        elif not stack and expecting_key and char == "[":
            double = text.startswith("[[", i)
            parts, j = _toml_key(text, i + (2 if double else 1))
            table = parts
            end = text.find("\n", j)
            i = end if end >= 0 else n
        elif expecting_key:
            parts, j = _toml_key(text, i)
            base = stack[-1].path if stack else table
            current = base + parts
            while j < n and text[j] in " \t":
                j += 1
            if j < n and text[j] == "=":
                j += 1
            expecting_key = False
            i = max(j, i + 1)
        elif char in "[{":
            path = stack[-1].path if stack and stack[-1].kind == "[" else current
            stack.append(_Frame(char, path))
            expecting_key = char == "{"
            i += 1
        elif char in "]}":
            if stack:
                stack.pop()
            i += 1
        elif char == ",":
            expecting_key = bool(stack) and stack[-1].kind == "{"
            i += 1
        elif char in "\"'":
            triple = text.startswith(char * 3, i)
            if triple:
                close = text.find(char * 3, i + 3)
                i = close + 3 if close >= 0 else n
                continue
            j = i + 1
            while j < n and text[j] not in (char, "\n"):
                j += 2 if (char == '"' and text[j] == "\\") else 1
            path = stack[-1].path if stack and stack[-1].kind == "[" else current
            yield TomlString(path, text[i + 1 : j], i + 1, j, char == "'")
            i = j + 1
        else:
            while i < n and text[i] not in ",]}\n#":
                i += 1


def _pep508_path(path: tuple[str, ...]) -> bool:
    match path:
        case ("project", "dependencies") | ("build-system", "requires"):
            return True
        case ("project", "optional-dependencies", _) | ("dependency-groups", _):
            return True
        case (
            "tool",
            "uv",
            "dev-dependencies" | "constraint-dependencies" | "override-dependencies",
        ):
            return True
        case ("tool", "pdm", "dev-dependencies", _):
            return True
        case ("tool", "hatch", "envs", _, "dependencies" | "extra-dependencies"):
            return True
    return False


def _poetry_package(path: tuple[str, ...]) -> tuple[str, str] | None:
    """(package, field) for a poetry dependency value: field "" (the constraint), "version", "extras"."""
    match path:
        case ("tool", "poetry", "dependencies" | "dev-dependencies", package, *rest):
            pass
        case ("tool", "poetry", "group", _, "dependencies", package, *rest):
            pass
        case _:
            return None
    if normalise(package) not in MLFLOW_PACKAGES or len(rest) > 1:
        return None
    return package, (rest[0] if rest else "")


def scan_pyproject(text: str, policy: PinPolicy) -> list[PinProblem]:
    problems = []
    for string in toml_strings(text):
        if "\\" in string.value and not string.literal:
            continue
        if _pep508_path(string.path):
            problem = check_pep508(string.value, string.start, policy)
            if problem is not None:
                problems.append(problem)
            continue
        poetry = _poetry_package(string.path)
        if poetry is None:
            continue
        package, which = poetry
        if which in {"", "version"}:
            clauses = poetry_clauses(string.value)
            if clauses is not None and clauses != [[]] and not admits_3x(clauses):
                new = poetry_range(policy.bounds)
                problems.append(
                    PinProblem(
                        string.start,
                        string.end,
                        f'`{package} = "{string.value}"` holds MLflow below 3; raise it to `"{new}"`',
                        "Raise the MLflow pin",
                        [TextEdit(string.start, string.end, new)],
                        package,
                    )
                )
        elif which == "extras" and policy.removed_extra(string.value):
            since = policy.removed_extra(string.value)
            problems.append(
                PinProblem(
                    string.start,
                    string.end,
                    f"the `{string.value}` extra of `{package}` was removed in MLflow {since}; remove it",
                    "Remove the extra",
                    None,
                    package,
                )
            )
    return problems


# conda environment.yml / conda.yaml, MLflow python_env.yaml -------------------------------

_CONDA_SPEC = re.compile(
    r"^(?:(?P<channel>[\w.-]+)::)?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<rest>[ \t=<>!~].*)?$"
)


def check_conda(text: str, offset: int, policy: PinPolicy) -> PinProblem | None:
    match = _CONDA_SPEC.match(text)
    if match is None or normalise(match.group("name")) not in MLFLOW_PACKAGES:
        return None
    rest = match.group("rest") or ""
    if not rest.strip() or "[" in rest:
        return None
    clauses = conda_clauses(rest)
    if clauses is None or admits_3x(clauses):
        return None
    spaced = rest[:1] in " \t"
    new = (" " if spaced else "") + pep440_range(policy.bounds)
    name = match.group("name")
    return PinProblem(
        offset,
        offset + len(text),
        f"`{text}` holds MLflow below 3; raise it to `{name}{new}`",
        "Raise the MLflow pin",
        [TextEdit(offset + match.start("rest"), offset + len(text), new)],
        name,
    )


def scan_conda_yaml(
    text: str, index: LineIndex, policy: PinPolicy, python_env: bool
) -> list[PinProblem]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from mlflow_upgrade.files.yaml_gateway import load_yaml, scalar_span

    root = load_yaml(text)
    if not isinstance(root, CommentedMap):
        return []
    problems: list[PinProblem] = []

    def pip_items(seq: object) -> None:
        if not isinstance(seq, CommentedSeq):
            return
        for number, item in enumerate(seq):
            if isinstance(item, str):
                start, end, quote = scalar_span(text, index, seq, number)
                problem = check_pep508(text[start:end], start, policy)
                if problem is not None:
                    problems.append(_quote_for_flow(problem, seq, quote))

    if python_env:
        pip_items(root.get("build_dependencies"))
        pip_items(root.get("dependencies"))
        return problems
    dependencies = root.get("dependencies")
    if not isinstance(dependencies, CommentedSeq):
        return problems
    for number, item in enumerate(dependencies):
        if isinstance(item, str):
            start, end, quote = scalar_span(text, index, dependencies, number)
            problem = check_conda(text[start:end], start, policy)
            if problem is not None:
                problems.append(_quote_for_flow(problem, dependencies, quote))
        elif isinstance(item, CommentedMap):
            pip_items(item.get("pip"))
    return problems


def _quote_for_flow(problem: PinProblem, seq: object, quote: str) -> PinProblem:
    """In a flow list (`[a, b]`) a plain scalar cannot hold the `,` of a range: quote it."""
    flow = getattr(getattr(seq, "fa", None), "flow_style", lambda: False)()
    if quote or not flow or not problem.edits:
        return problem
    problem.edits = [
        *problem.edits,
        TextEdit(problem.start, problem.start, '"'),
        TextEdit(problem.end, problem.end, '"'),
    ]
    problem.edits.sort(key=lambda e: (e.start, e.end))
    return problem


# `pip install …` in commands ------------------------------------------------------------------

_INSTALL = re.compile(
    r"(?<![\w$.\-])(?:(?P<pip>(?:python[\d.]*|py)[ \t]+-m[ \t]+pip|uv[ \t]+pip|pip[\d.]*)[ \t]+install"
    r"|(?P<conda>conda|mamba|micromamba)[ \t]+install"
    r"|(?P<add>uv|pdm)[ \t]+add"
    r"|(?P<poetry>poetry)[ \t]+add)(?![\w-])"
)
_VALUE_OPTIONS = {
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
    "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--src",
    "--python", "-p", "--platform", "--python-version", "--implementation", "--abi",
    "--only-binary", "--no-binary", "--trusted-host", "--cache-dir", "--log", "--progress-bar",
    "--upgrade-strategy", "--report", "--config-settings", "-C", "-n", "--name", "--channel",
    "--group", "-G", "--optional", "--extra", "--index", "--default-index",
}  # fmt: skip


def scan_install_commands(view: str, kind: FileKind, policy: PinPolicy) -> list[PinProblem]:
    """MLflow pins below 3 in `pip install`, `uv add`, `poetry add`, `conda install`, …
    (words split as `mlflow_cli.shell_words` splits the `mlflow` CLI's)."""
    if "install" not in view and " add" not in view:
        return []
    problems = []
    for command in _INSTALL.finditer(view):
        skip_next = False
        indent = line_indent(view, command.start())
        for word in shell_words(view, command.end(), "", kind, indent):
            if word.text != view[word.start : word.end]:
                continue  # quotes or escapes inside (`"mlflow"<3`): no edit can keep them
            if skip_next:
                skip_next = False
                continue
            if word.text.startswith("-"):
                skip_next = "=" not in word.text and word.text in _VALUE_OPTIONS
                continue
            if command.group("conda"):
                problem = check_conda(word.text, word.start, policy)
            elif command.group("poetry") and "@" in word.text:
                problem = _poetry_add(word, policy)
            else:
                problem = check_pep508(word.text, word.start, policy)
            if problem is None:
                continue
            if word.outer_start == word.start and problem.edits:  # unquoted
                problem.edits = _shell_quoted(view, word, problem.edits)
            problems.append(problem)
    return problems


def _poetry_add(word: Word, policy: PinPolicy) -> PinProblem | None:
    name, _, constraint = word.text.partition("@")
    if normalise(name) not in MLFLOW_PACKAGES:
        return None
    clauses = poetry_clauses(constraint)
    if clauses is None or admits_3x(clauses):
        return None
    new = poetry_range(policy.bounds)
    start = word.start + len(name) + 1
    return PinProblem(
        word.start,
        word.end,
        f"`{word.text}` holds MLflow below 3; raise it to `{name}@{new}`",
        "Raise the MLflow pin",
        [TextEdit(start, word.end, new)],
        name,
    )


def _shell_quoted(view: str, word: Word, edits: list[TextEdit]) -> list[TextEdit]:
    """Quote an unquoted word whose new text holds characters the shell would interpret."""
    new_text = view[word.start : word.end]
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        new_text = (
            new_text[: edit.start - word.start]
            + edit.replacement
            + new_text[edit.end - word.start :]
        )
    if not any(c in new_text for c in "<>|&;()* ^"):
        return edits
    return [TextEdit(word.start, word.end, f'"{new_text}"')]
