"""Running the engine for the editor: snapshots, a thread pool, debouncing and a cache.

A *unit* is what gets analysed at once: a text document, or a notebook (all its
code cells joined in order). A snapshot copies a unit's text and versions on the
event loop; the engine runs on it in a worker thread; the result is published only
if the unit still has that version. The last result per unit is cached, so hover
and code actions reuse it instead of analysing again.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lsprotocol import types as lsp

from mlflow_upgrade.engine.analyze import Analysis, gc_paused
from mlflow_upgrade.engine.document import Document, FileKind, LineIndex
from mlflow_upgrade.engine.findings import Finding
from mlflow_upgrade.files.cells import JoinedCells, join_cells
from mlflow_upgrade.files.detect import detect_kind
from mlflow_upgrade.lsp.config import ConfigState, Resolved
from mlflow_upgrade.lsp.convert import (
    diagnostic_json,
    info_diagnostic,
    range_json,
    related_json,
    typed_diagnostic,
)
from mlflow_upgrade.lsp.documents import DocumentStore

log = logging.getLogger(__name__)

# Where detection by file name fails (untitled buffers, unusual names), the client's
# languageId says what the text is.
LANGUAGE_KINDS = {
    "python": FileKind.PYTHON,
    "yaml": FileKind.YAML,
    "shellscript": FileKind.SHELL,
    "dockerfile": FileKind.DOCKERFILE,
    "makefile": FileKind.MAKEFILE,
    "dotenv": FileKind.DOTENV,
    "pip-requirements": FileKind.REQUIREMENTS,
    "toml": FileKind.PYPROJECT,
}


def kind_for(path: Path | None, language_id: str, text: str) -> FileKind | None:
    if path is not None:
        try:
            kind = detect_kind(path, text)
        except Exception:  # detection of another file type must not break Python
            log.exception("detecting the kind of %s failed", path)
            kind = None
        if kind is not None and kind is not FileKind.NOTEBOOK:
            return kind
    return LANGUAGE_KINDS.get(language_id.lower())


@dataclass
class Part:
    """A text document of a unit: the document itself, or one notebook cell."""

    uri: str
    version: int | None
    index: LineIndex  # of the part's own text, as the client has it
    cell: int | None = None  # the cell's number in `Snapshot.joined`


@dataclass
class Snapshot:
    key: str
    version: int | None
    generation: int
    path: Path | None
    language_id: str
    text: str
    parts: list[Part]
    joined: JoinedCells | None = None
    notebook: bool = False
    sources: list[str] = field(default_factory=list)  # the code cells' texts (notebooks)

    def part(self, uri: str) -> Part | None:
        return next((p for p in self.parts if p.uri == uri), None)

    def to_part(self, start: int, end: int) -> tuple[Part, int, int]:
        """The part and its own offsets for a range of the analysed text."""
        if self.joined is None:
            return self.parts[0], start, end
        cell, cell_start = self.joined.to_cell_offset(start)
        cell_range = self.joined.range_of(cell)
        cell_end = max(cell_start, min(end - cell_range.start, cell_range.end - cell_range.start))
        part = next(p for p in self.parts if p.cell == cell)
        return part, cell_start, cell_end

    def to_analysed(self, part: Part, offset: int) -> int:
        if self.joined is None or part.cell is None:
            return offset
        return self.joined.to_joined_offset(part.cell, offset)


@dataclass
class Located:
    finding: Finding
    part: Part
    start: int  # code-point offsets in the part's text
    end: int
    wire: dict  # the diagnostic as published (JSON)

    @cached_property
    def diagnostic(self) -> lsp.Diagnostic:
        return typed_diagnostic(self.wire)


@dataclass
class Result:
    snapshot: Snapshot
    resolved: Resolved | None = None
    analysis: Analysis | None = None
    document: Document | None = None
    located: list[Located] = field(default_factory=list)
    notes: dict[str, list[dict]] = field(default_factory=dict)  # wire diagnostics
    seconds: float = 0.0
    memo: dict = field(default_factory=dict)  # computed edits, e.g. fix-all per unsafe flag

    def diagnostics(self, uri: str) -> list[dict]:
        """The wire diagnostics of one part."""
        return [item.wire for item in self.located if item.part.uri == uri] + self.notes.get(
            uri, []
        )

    def overlapping(self, uri: str, start: int, end: int) -> list[Located]:
        return [
            item
            for item in self.located
            if item.part.uri == uri and item.start <= end and start <= item.end
        ]


def snapshot_of(store: DocumentStore, key: str, generation: int) -> Snapshot | None:
    """Copy what is needed to analyse a unit (called on the event loop)."""
    notebook = store.notebooks.get(key)
    if notebook is not None:
        cells = store.code_cells(notebook)
        joined = join_cells([cell.text for cell in cells])
        parts = [Part(c.uri, c.version, c.index, number) for number, c in enumerate(cells)]
        return Snapshot(
            key,
            notebook.version,
            generation,
            notebook.path,
            "python",
            joined.text,
            parts,
            joined,
            notebook=True,
            sources=[cell.text for cell in cells],
        )
    state = store.get(key)
    if state is None:
        return None
    return Snapshot(
        key,
        state.version,
        generation,
        state.path,
        state.language_id,
        state.text,
        [Part(state.uri, state.version, state.index)],
    )


def fix_data(finding: Finding) -> dict | None:
    fix = finding.fix
    if fix is None:
        return None
    return {"title": fix.message, "applicability": fix.applicability.value}


def analyse(
    snapshot: Snapshot, config: ConfigState, encoding: str, previous: Result | None = None
) -> Result:
    """Run the engine on a snapshot (in a worker thread) and convert what it found.

    `previous`, the last result for the unit, lets the parser reuse the statements
    an edit did not touch."""
    began = time.perf_counter()
    result = Result(snapshot)
    kind = FileKind.PYTHON if snapshot.notebook else None
    if kind is None:
        kind = kind_for(snapshot.path, snapshot.language_id, snapshot.text)
    if kind is None:
        return result
    resolved = config.resolve(snapshot.path)
    result.resolved = resolved
    if snapshot.path is not None and resolved.settings.is_excluded(snapshot.path):
        return result
    if snapshot.notebook:
        analysis = _analyse_notebook(snapshot, resolved)
    else:
        earlier = previous.analysis if previous is not None else None
        # The client's text already has a line index: the engine shares it.
        document = Document(snapshot.text, snapshot.path, kind, _index=snapshot.parts[0].index)
        analysis = resolved.engine.analyze(document, earlier)
    document = analysis.document
    result.document = document
    result.analysis = analysis
    if analysis.too_large:
        limit = resolved.settings.max_file_size
        first = snapshot.parts[0].uri
        result.notes[first] = [
            info_diagnostic(
                f"mlflow-upgrade did not analyse this file: it is longer than maxFileSize "
                f"({len(snapshot.text):,} > {limit:,} characters)."
            )
        ]
    index = document.index
    for finding in analysis.findings:
        part, start, end = snapshot.to_part(finding.start_offset, finding.end_offset)
        related = []
        for item in finding.related:
            r_part, r_start, r_end = snapshot.to_part(
                index.offset(item.span.start), index.offset(item.span.end)
            )
            r_range = range_json(r_part.index, r_start, r_end, encoding)
            related.append(related_json(r_part.uri, r_range, item.message))
        data = {
            "code": finding.code,
            "offsets": [start, end],
            "version": part.version,
            "fix": fix_data(finding),
        }
        wire = diagnostic_json(finding, range_json(part.index, start, end, encoding), data, related)
        result.located.append(Located(finding, part, start, end, wire))
    result.seconds = time.perf_counter() - began
    return result


def analyse_frozen(
    snapshot: Snapshot, config: ConfigState, encoding: str, previous: Result | None = None
) -> Result:
    """`analyse`, with its result moved out of the cycle collector's reach.

    A result lives until the next edit and holds a tree and findings: up to a million
    objects on a large file, which every collection used to traverse again (a tenth of
    the edit latency, and pauses of a second). The engine creates no reference cycles,
    so a frozen result is still freed by reference counting when it is replaced;
    `collect_frozen` handles what other code may have left, when the server is idle.
    """
    with gc_paused():
        result = analyse(snapshot, config, encoding, previous)
        gc.freeze()  # before the collector runs again
    return result


def collect_frozen() -> None:
    """A full collection, frozen objects included (for idle time)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _analyse_notebook(snapshot: Snapshot, resolved: Resolved) -> Analysis:
    """Code cells as one module plus their shell escapes (shared with the CLI)."""
    from mlflow_upgrade.files import notebook

    if len(snapshot.text) > resolved.settings.max_file_size:
        return Analysis(Document(snapshot.text, snapshot.path), too_large=True)
    found = notebook.analyse(resolved.engine, snapshot.sources, snapshot.path)
    return Analysis(
        found.python,
        findings=found.findings,
        syntax_error=found.syntax_error,
        internal_errors=found.internal_errors,
    )


def _newer(a: Snapshot, b: Snapshot) -> bool:
    return (a.generation, a.version or 0) >= (b.generation, b.version or 0)


class Analyzer:
    """Debounced, off-loop analysis with one cached result per unit."""

    def __init__(
        self,
        store: DocumentStore,
        config: ConfigState,
        encoding: Callable[[], str],
        publish: Callable[[Result], None],
        report_error: Callable[[str], None],
        workers: int = 2,
    ) -> None:
        self.store = store
        self.config = config
        self.encoding = encoding
        self.publish = publish
        self.report_error = report_error
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="analysis")
        self.cache: dict[str, Result] = {}
        self._inflight: dict[str, asyncio.Future] = {}
        self._forgotten: set[str] = set()
        self._published: dict[str, Result] = {}
        self._timers: dict[str, asyncio.Task] = {}
        self._sleeping: set[str] = set()
        self.publishing = True
        self.last_activity = time.monotonic()
        self.completed = 0  # analyses finished so far

    async def collect_when_idle(self, quiet: float) -> None:
        """After analyses, once the server is idle: one full cycle collection."""
        collected_at = 0
        while True:
            await self.wait_idle(quiet)
            if self.completed != collected_at:
                collected_at = self.completed
                collect_frozen()
            await asyncio.sleep(quiet)

    async def wait_idle(self, quiet: float) -> None:
        """Return once no analysis has been asked for or run for `quiet` seconds (counted
        from the call at the earliest)."""
        called = time.monotonic()
        while True:
            busy = any(not task.done() for task in self._inflight.values()) or self._sleeping
            remaining = max(self.last_activity, called) + quiet - time.monotonic()
            if not busy and remaining <= 0:
                return
            await asyncio.sleep(max(remaining, quiet / 4))

    def current(self, key: str) -> Snapshot | None:
        return snapshot_of(self.store, key, self.config.generation)

    def is_current(self, snapshot: Snapshot) -> bool:
        now = self.current(snapshot.key)
        return (
            now is not None
            and now.version == snapshot.version
            and now.generation == snapshot.generation
            and [(p.uri, p.version) for p in now.parts]
            == [(p.uri, p.version) for p in snapshot.parts]
        )

    def cached(self, key: str) -> Result | None:
        result = self.cache.get(key)
        if result is not None and self.is_current(result.snapshot):
            return result
        return None

    async def result(self, key: str) -> Result | None:
        """The analysis of the unit's current version: cached, or computed now.

        At most one analysis runs per unit; a newer version waits for the older one.
        Waiting requests are shielded: cancelling one (`$/cancelRequest`) does not
        cancel the analysis, whose result still lands in the cache.
        """
        result: Result | None = None
        for _ in range(8):  # the text may change while we analyse; then take the newer one
            snapshot = self.current(key)
            if snapshot is None:
                return None
            hit = self.cache.get(key)
            if hit is not None and self._same(hit.snapshot, snapshot):
                return hit
            running = self._inflight.get(key)
            if running is not None and not running.done():
                if not self._same(running.snapshot, snapshot):  # type: ignore[attr-defined]
                    await asyncio.wait([running])
                    continue
            else:
                running = asyncio.ensure_future(self._run(snapshot))
                running.snapshot = snapshot  # type: ignore[attr-defined]
                running.add_done_callback(lambda task, key=key: self._store(key, task))
                self._inflight[key] = running
            result = await asyncio.shield(running)
            if self.is_current(result.snapshot):
                return result
        return result

    def _store(self, key: str, task: asyncio.Future) -> None:
        self.last_activity = time.monotonic()
        self.completed += 1
        if self._inflight.get(key) is task:
            del self._inflight[key]
        if task.cancelled() or task.exception() is not None:
            return
        result: Result = task.result()
        cached = self.cache.get(key)
        if key in self._forgotten:
            return
        if cached is None or _newer(result.snapshot, cached.snapshot):
            self.cache[key] = result

    @staticmethod
    def _same(a: Snapshot, b: Snapshot) -> bool:
        return a.version == b.version and a.generation == b.generation and a.text == b.text

    async def _run(self, snapshot: Snapshot) -> Result:
        loop = asyncio.get_running_loop()
        try:
            previous = self.cache.get(snapshot.key)
            return await loop.run_in_executor(
                self.executor, analyse_frozen, snapshot, self.config, self.encoding(), previous
            )
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the server must outlive any bug in a rule
            log.exception("analysis of %s failed", snapshot.key)
            self.report_error(
                f"mlflow-upgrade: analysing {snapshot.key} failed: {type(error).__name__}: {error}"
            )
            return Result(snapshot)

    def schedule(self, key: str, delay: float) -> None:
        """Analyse the unit after `delay` seconds without further changes, then publish."""
        self.last_activity = time.monotonic()
        self._forgotten.discard(key)
        timer = self._timers.get(key)
        if timer is not None and not timer.done() and key in self._sleeping:
            timer.cancel()
        self._timers[key] = asyncio.ensure_future(self._debounced(key, delay))

    async def _debounced(self, key: str, delay: float) -> None:
        self._sleeping.add(key)
        try:
            await asyncio.sleep(delay)
        finally:
            self._sleeping.discard(key)
        try:
            result = await self.result(key)
        except Exception as error:
            log.exception("analysis of %s failed", key)
            self.report_error(f"mlflow-upgrade: {type(error).__name__}: {error}")
            return
        # The analysis thread held the GIL; give the reader a moment to hand over changes
        # that already arrived, so a result that is already stale is not published.
        await asyncio.sleep(0.005)
        if result is None or not self.is_current(result.snapshot) or not self.publishing:
            return
        if self._published.get(key) is result:
            return  # several timers waited for the same analysis: publish it once
        self._published[key] = result
        self.publish(result)

    def forget(self, key: str) -> None:
        timer = self._timers.pop(key, None)
        if timer is not None and key in self._sleeping:
            timer.cancel()
        self.cache.pop(key, None)
        self._published.pop(key, None)
        self._forgotten.add(key)

    def shutdown(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self.executor.shutdown(wait=False, cancel_futures=True)
