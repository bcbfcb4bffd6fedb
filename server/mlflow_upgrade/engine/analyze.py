"""The engine: document in → parse → resolve → rules → findings.

The CLI and the language server are thin adapters over `Engine.analyze` and
`Engine.fix`; nothing they show is computed anywhere else.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mlflow_upgrade.engine.context import Context
from mlflow_upgrade.engine.document import Document, FileKind
from mlflow_upgrade.engine.findings import Finding
from mlflow_upgrade.engine.rule import Rule, all_rules
from mlflow_upgrade.engine.settings import Settings, version_tuple
from mlflow_upgrade.engine.suppression import file_suppressed, is_suppressed

if TYPE_CHECKING:
    from mlflow_upgrade.python.parse import ParseResult

log = logging.getLogger(__name__)

# Context builders for the non-Python file kinds, registered by `mlflow_upgrade.files`.
ContextFactory = Callable[[Document, Settings], Context | None]
CONTEXT_FACTORIES: dict[FileKind, ContextFactory] = {}

_IMPORTED_MODULE = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import|import[ \t]+([\w.]+))", re.M
)


@dataclass
class Analysis:
    document: Document
    findings: list[Finding] = field(default_factory=list)
    syntax_error: SyntaxError | None = None
    internal_errors: list[str] = field(default_factory=list)
    too_large: bool = False
    parsed: ParseResult | None = None  # the Python parse, reused by the next analysis of an edit


class Engine:
    def __init__(self, settings: Settings | None = None, jedi: object | None = None) -> None:
        self.settings = settings or Settings()
        self.jedi = jedi
        self.rules = all_rules()
        self._enabled: dict[tuple[FileKind, Path | None], list[Rule]] = {}

    def enabled_rules(self, kind: FileKind, path: Path | None) -> list[Rule]:
        # Per-file ignores are the only path-dependent part; without them cache per kind.
        key = (kind, path if self.settings.per_file_ignores else None)
        cached = self._enabled.get(key)
        if cached is None:
            target = version_tuple(self.settings.target_version)
            cached = [
                rule
                for rule in self.rules.values()
                if kind in rule.file_kinds
                and self.settings.enabled(rule.code, key[1])
                and version_tuple(rule.since) <= target
            ]
            self._enabled[key] = cached
        return cached

    def analyze(self, document: Document, previous: Analysis | None = None) -> Analysis:
        """Findings for a document; `previous`, an analysis of an earlier version of the
        same document, lets the parser re-parse only the statements an edit touched."""
        analysis = Analysis(document)
        if len(document.text) > self.settings.max_file_size:
            analysis.too_large = True
            return analysis
        if file_suppressed(document.text):
            return analysis
        rules = self.enabled_rules(document.kind, document.path)
        if not rules:
            return analysis
        with gc_paused():
            self._run_rules(document, rules, analysis, previous)
        return analysis

    def _run_rules(
        self,
        document: Document,
        rules: list[Rule],
        analysis: Analysis,
        previous: Analysis | None,
    ) -> None:
        context = self._context(document, analysis, previous)
        if context is None:
            return
        for rule in rules:
            try:
                analysis.findings.extend(rule.check(context))
            except Exception as error:  # one broken rule must not hide the others
                log.exception("rule %s failed on %s", rule.code, document.path)
                analysis.internal_errors.append(f"{rule.code}: {type(error).__name__}: {error}")
        analysis.findings = self._keep(analysis.findings, context)

    def _context(
        self, document: Document, analysis: Analysis, previous: Analysis | None
    ) -> Context | None:
        if document.kind is FileKind.PYTHON:
            return self._python_context(document, analysis, previous)
        factory = CONTEXT_FACTORIES.get(document.kind)
        return factory(document, self.settings) if factory else None

    def _python_context(
        self, document: Document, analysis: Analysis, previous: Analysis | None
    ) -> Context | None:
        from mlflow_upgrade.python.context import PythonContext
        from mlflow_upgrade.python.parse import reparse
        from mlflow_upgrade.python.project import ProjectIndex
        from mlflow_upgrade.python.semantic import SemanticModel

        project = ProjectIndex(document.path)
        if not _may_use_mlflow(document.text, project):
            return None
        parsed = reparse(
            document.text,
            previous.document.text if previous is not None else "",
            previous.parsed if previous is not None else None,
            document.index.line_starts,  # the same line breaks as CPython's
        )
        analysis.parsed = parsed
        if parsed.errors:
            analysis.syntax_error = parsed.errors[0]
        if parsed.tree is None:
            return None
        model = SemanticModel(parsed.tree, project.resolve, project.return_type)
        return PythonContext(document, self.settings, parsed.tree, model, self.jedi)  # type: ignore[arg-type]

    def _keep(self, findings: list[Finding], context: Context) -> list[Finding]:
        index = context.document.index
        model = getattr(context, "model", None)
        guarded = model is not None and bool(model.guarded_lines)
        may_suppress = "noqa" in context.document.text.lower()  # most files have none
        kept = []
        seen = set()
        for finding in sorted(findings, key=Finding.sort_key):
            key = (finding.code, finding.start_offset, finding.end_offset)
            if key in seen or (may_suppress and is_suppressed(finding, index)):
                continue
            if guarded and model.is_guarded(finding.span.start.line + 1):
                continue
            seen.add(key)
            kept.append(finding)
        return kept


@contextmanager
def gc_paused() -> Iterator[None]:
    """Parsing allocates tens of thousands of nodes and nothing cyclic worth collecting;
    pausing the cycle collector meanwhile saves a fifth of the analysis time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _may_use_mlflow(text: str, project: object) -> bool:
    """Cheap pre-filter: the text names MLflow, or imports a project module that does."""
    if "mlflow" in text:
        return True
    if "import" not in text:
        return False
    find = getattr(project, "find_module_text", None)
    if find is None:
        return False
    return any(
        "mlflow" in (find(from_module or module) or "")
        for from_module, module in _IMPORTED_MODULE.findall(text)
    )
