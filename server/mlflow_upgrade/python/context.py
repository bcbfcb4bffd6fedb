"""The context Python rules work with: the tree, its semantic model, and node spans."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mlflow_upgrade.engine.context import Context
from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.engine.findings import Finding, Fix, Related
from mlflow_upgrade.engine.settings import Settings
from mlflow_upgrade.python.semantic import CallSite, Scope, SemanticModel

if TYPE_CHECKING:
    from mlflow_upgrade.engine.rule import Rule
    from mlflow_upgrade.python.jedi_types import JediTypes


class PythonContext(Context):
    def __init__(
        self,
        document: Document,
        settings: Settings,
        tree: ast.Module,
        model: SemanticModel,
        jedi: JediTypes | None = None,
    ) -> None:
        super().__init__(document, settings)
        self.tree = tree
        self.model = model
        self.jedi = jedi

    # Spans ------------------------------------------------------------------
    def start(self, node: ast.AST) -> int:
        return self.document.index.offset_from_utf8(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        return self.document.index.offset_from_utf8(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def source(self, node: ast.AST) -> str:
        return self.text[self.start(node) : self.end(node)]

    def related(self, node: ast.AST, message: str) -> Related:
        return Related(self.document.index.span(self.start(node), self.end(node)), message)

    def report(
        self,
        rule: Rule,
        node: ast.AST,
        message: str,
        fix: Fix | None = None,
        related: list[Related] | None = None,
        **data: object,
    ) -> Finding:
        return self.finding(rule, self.start(node), self.end(node), message, fix, related, **data)

    def report_span(
        self, rule: Rule, start: int, end: int, message: str, fix: Fix | None = None, **data: object
    ) -> Finding:
        return self.finding(rule, start, end, message, fix, **data)

    # Queries ----------------------------------------------------------------
    def calls_to(self, *callees: str) -> Iterator[CallSite]:
        return self.model.calls_to(set(callees))

    def receiver_type(self, attribute: ast.Attribute, scope: Scope) -> str | None:
        """The MLflow class of `attribute.value`: own inference first, then jedi."""
        inferred = self.model.infer(attribute.value, scope)
        if inferred is not None:
            return inferred
        if self.jedi is None:
            return None
        return self.jedi.infer_class(self.document, attribute.value)

    def qualname(self, expr: ast.expr, scope: Scope) -> str | None:
        return self.model.qualname(expr, scope)

    def literal_string(self, expr: ast.expr | None) -> str | None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        return None
