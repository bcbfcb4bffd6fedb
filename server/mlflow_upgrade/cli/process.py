"""Running the engine over files, in parallel on large trees."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mlflow_upgrade.cli.report import FileReport, report_finding
from mlflow_upgrade.engine.analyze import Engine
from mlflow_upgrade.engine.document import FileKind, UnreadableFile, decode_source
from mlflow_upgrade.engine.fixer import fix_document
from mlflow_upgrade.engine.settings import Settings

_PARALLEL_THRESHOLD = 48
_CHUNK = 16


@dataclass(frozen=True)
class Job:
    """What to do with every file; picklable so worker processes can rebuild the engine."""

    settings: Settings
    fix: bool = False
    unsafe: bool = False
    compatible_only: bool = False
    interpreter: str | None = None
    use_jedi: bool = True
    with_edits: bool = False  # JSON output lists each fix's edits; text output does not


# One engine per process and job. Worker processes receive an unpickled copy of the
# job with every chunk, so the cache compares jobs by value, not by identity.
_engine_for: tuple[Job, Engine] | None = None


def _engine(job: Job) -> Engine:
    global _engine_for
    if _engine_for is None or _engine_for[0] != job:
        jedi = None
        if job.use_jedi:
            from mlflow_upgrade.python.jedi_types import JediTypes

            jedi = JediTypes(job.interpreter, job.settings.root)
        _engine_for = (job, Engine(job.settings, jedi))
    return _engine_for[1]


def process_file(job: Job, path: Path, kind: FileKind) -> FileReport:
    """Check (and with `job.fix`, fix) one file. Never raises: problems become `error`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return FileReport(path, error=f"cannot read: {error.strerror or error}")
    if len(data) > job.settings.max_file_size:
        return FileReport(path, error=f"skipped: {len(data)} bytes is over max-file-size")
    engine = _engine(job)
    try:
        if kind is FileKind.NOTEBOOK:
            from mlflow_upgrade.files.notebook import process_notebook

            return process_notebook(engine, job, path, data)
        return _process_text(engine, job, path, kind, data)
    except UnreadableFile as error:
        return FileReport(path, error=str(error))
    except Exception as error:  # an engine bug must not stop a run over a whole tree
        return FileReport(path, error=f"internal error: {type(error).__name__}: {error}")


def _process_text(engine: Engine, job: Job, path: Path, kind: FileKind, data: bytes) -> FileReport:
    document = decode_source(data, path)
    document.kind = kind
    report = FileReport(path, original=document.text)
    if job.fix:
        outcome = fix_document(engine, document, job.unsafe, job.compatible_only)
        if outcome.changed:
            report.fixed = outcome.document.text
            report.new_bytes = outcome.document.encode()
            report.fixed_count = len(outcome.applied)
        analysis = outcome.remaining or engine.analyze(outcome.document)
        document = outcome.document
    else:
        analysis = engine.analyze(document)
    if analysis.syntax_error is not None:
        error = analysis.syntax_error
        report.error = f"syntax error at {error.lineno}:{error.offset}: {error.msg}" + (
            " (not fixed)" if job.fix else ""
        )
    for problem in analysis.internal_errors:
        report.error = (
            report.error + "; " if report.error else ""
        ) + f"internal error in {problem}"
    index = document.index
    report.findings = [
        report_finding(f, index, path, with_edits=job.with_edits) for f in analysis.findings
    ]
    return report


def _run_chunk(job: Job, items: list[tuple[Path, FileKind]]) -> list[FileReport]:
    return [process_file(job, path, kind) for path, kind in items]


def run(
    job: Job,
    files: list[tuple[Path, FileKind]],
    progress: Callable[[int, int], None] | None = None,
) -> list[FileReport]:
    """Process files; large trees go to worker processes in chunks."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < _PARALLEL_THRESHOLD or workers < 2:
        reports = []
        for done, (path, kind) in enumerate(files, start=1):
            reports.append(process_file(job, path, kind))
            if progress:
                progress(done, len(files))
        return reports
    chunks = [files[i : i + _CHUNK] for i in range(0, len(files), _CHUNK)]
    reports = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_run_chunk, [job] * len(chunks), chunks):
            reports.extend(result)
            if progress:
                progress(len(reports), len(files))
    return reports


def progress_bar(stream=sys.stderr) -> Callable[[int, int], None] | None:
    """A one-line progress bar on a terminal; nothing when stderr is redirected."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        if done == total:
            stream.write("\r" + " " * (width + 30) + "\r")
        stream.flush()

    return show


def write_atomically(path: Path, document_bytes: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over the original."""
    temporary = path.with_name(f".{path.name}.mlflow-upgrade.tmp")
    try:
        temporary.write_bytes(document_bytes)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def iter_changed(reports: Iterable[FileReport]) -> Iterable[FileReport]:
    return (r for r in reports if r.fixed is not None)
