"""What the engine produces: findings with ranges, messages and optional fixes."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


class Kind(str, enum.Enum):
    """What MLflow 3 did to the API; decides the default severity."""

    REMOVED = "removed"
    DEPRECATED = "deprecated"
    BEHAVIOUR = "behaviour"

    @property
    def default_severity(self) -> Severity:
        return {
            Kind.REMOVED: Severity.ERROR,
            Kind.DEPRECATED: Severity.WARNING,
            Kind.BEHAVIOUR: Severity.INFORMATION,
        }[self]


class Applicability(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, order=True)
class Position:
    """Zero-based line and column, the column counted in Unicode code points."""

    line: int
    column: int


@dataclass(frozen=True)
class Span:
    start: Position
    end: Position

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class TextEdit:
    """Replace the characters between two absolute offsets of the document text."""

    start: int
    end: int
    replacement: str


@dataclass
class Fix:
    """A fix whose edits are computed only when someone asks for them.

    The language server analyses on every keystroke; most findings are never fixed,
    so building libcst snippets eagerly would waste the latency budget.
    """

    applicability: Applicability
    message: str
    compute: Callable[[], list[TextEdit]] | None = None
    works_on_2x: bool = False

    @cached_property
    def edits(self) -> list[TextEdit]:
        return self.compute() if self.compute else []

    @property
    def is_editing(self) -> bool:
        return self.applicability is not Applicability.DISPLAY_ONLY and self.compute is not None


@dataclass(frozen=True)
class Related:
    span: Span
    message: str


@dataclass
class Finding:
    code: str
    message: str
    span: Span
    start_offset: int
    end_offset: int
    severity: Severity = Severity.WARNING
    fix: Fix | None = None
    related: list[Related] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    deprecated: bool = False

    @property
    def fixable(self) -> bool:
        return self.fix is not None and self.fix.is_editing

    def sort_key(self) -> tuple[int, int, str]:
        return (self.start_offset, self.end_offset, self.code)
