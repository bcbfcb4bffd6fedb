"""What a rule sees: the document, the settings, and a way to report findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.engine.findings import Finding, Fix, Related
from mlflow_upgrade.engine.settings import Settings

if TYPE_CHECKING:
    from mlflow_upgrade.engine.rule import Rule


class Context:
    def __init__(self, document: Document, settings: Settings) -> None:
        self.document = document
        self.settings = settings

    @property
    def text(self) -> str:
        return self.document.text

    def finding(
        self,
        rule: Rule,
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
        related: list[Related] | None = None,
        **data: object,
    ) -> Finding:
        """A finding between two character offsets of the document."""
        index = self.document.index
        return Finding(
            code=rule.code,
            message=message,
            span=index.span(start, end),
            start_offset=start,
            end_offset=end,
            severity=self.settings.severity_for(rule.code, rule.severity),
            fix=fix,
            related=related or [],
            data=dict(data),
            deprecated=rule.deprecated,
        )
