"""One declaration per rule: identity, documentation, detection and fix.

Docs pages, hover text, `explain`, the README table and `rules` are all generated
from these declarations (see `mlflow_upgrade.docs_gen`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.engine.findings import Applicability, Finding, Kind, Severity

if TYPE_CHECKING:
    from mlflow_upgrade.engine.context import Context


@dataclass(frozen=True)
class RuleDocs:
    """The sections of a rule's documentation, in Markdown."""

    what_changed: str
    why: str
    example: str  # MLflow 2 code (a Python snippet unless the rule is about other files)
    use_instead: str  # what to write for MLflow 3
    fix_safety: str
    example_language: str = "python"


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    tier: ClassVar[int]
    kind: ClassVar[Kind]
    summary: ClassVar[str]  # one line: what is reported
    since: ClassVar[str]  # the MLflow release that made the change
    catalogue: ClassVar[str] = ""  # row ids of the change catalogue, e.g. "ML-01"
    fix: ClassVar[tuple[Applicability, ...]] = (Applicability.DISPLAY_ONLY,)
    works_on_2x: ClassVar[bool] = False  # the fixed code still runs on MLflow 2.22
    file_kinds: ClassVar[frozenset[FileKind]] = frozenset({FileKind.PYTHON})
    docs: ClassVar[RuleDocs]

    @property
    def severity(self) -> Severity:
        return self.kind.default_severity

    @property
    def deprecated(self) -> bool:
        return self.kind is Kind.DEPRECATED

    @property
    def fix_label(self) -> str:
        return " / ".join(a.value for a in self.fix)

    @property
    def fixable(self) -> bool:
        return any(a is not Applicability.DISPLAY_ONLY for a in self.fix)

    def check(self, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError


RULES: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add one instance of the rule to the registry."""
    if cls.code in RULES:
        raise ValueError(f"duplicate rule code {cls.code}")
    RULES[cls.code] = cls()
    return cls


def all_rules() -> dict[str, Rule]:
    import mlflow_upgrade.rules  # noqa: F401  (registers every rule module)

    return dict(sorted(RULES.items()))
