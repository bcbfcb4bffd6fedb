"""Code actions: a quick fix per fixable finding, `# noqa` suppression, and fix-all.

Edits are built from the engine's lazy `Fix.edits` (absolute code-point offsets of
the analysed text) and mapped to the parts of the unit: the document itself, or the
notebook cells the offsets fall in.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types as lsp

from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.engine.findings import Applicability, TextEdit
from mlflow_upgrade.engine.fixer import fix_document, wanted
from mlflow_upgrade.engine.suppression import noqa_edit_text
from mlflow_upgrade.files.cells import edits_per_cell
from mlflow_upgrade.lsp.analysis import Located, Result
from mlflow_upgrade.lsp.convert import diff_edits, to_range

KIND_QUICKFIX = lsp.CodeActionKind.QuickFix.value
# A sub-kind of quickfix: clients asking for `quickfix` get it, and clients that
# match kinds exactly (Eglot) apply the real fix without a prompt.
KIND_NOQA = "quickfix.noqa"
KIND_FIX_ALL = "source.fixAll.mlflow-upgrade"
ADVERTISED_KINDS = [
    lsp.CodeActionKind.QuickFix,
    lsp.CodeActionKind.SourceFixAll,
    KIND_FIX_ALL,
]

# File kinds where a trailing noqa comment is a comment (not part of a value).
_NOQA_KINDS = {
    FileKind.PYTHON,
    FileKind.NOTEBOOK,
    FileKind.GATEWAY_YAML,
    FileKind.YAML,
    FileKind.SHELL,
    FileKind.MAKEFILE,
    FileKind.PROCFILE,
    FileKind.DOTENV,
    FileKind.REQUIREMENTS,
    FileKind.PYPROJECT,
    FileKind.CONDA,
    FileKind.MLPROJECT,
}


@dataclass(frozen=True)
class ClientProfile:
    """What the client can do, read once from its capabilities."""

    encoding: str = "utf-16"
    resolve_edits: bool = False
    document_changes: bool = False
    markdown: bool = True
    pull_diagnostics: bool = False
    diagnostic_refresh: bool = False
    progress: bool = False
    configuration: bool = False
    watched_files_registration: bool = False
    configuration_registration: bool = False
    related_information: bool = True

    @classmethod
    def of(cls, caps: lsp.ClientCapabilities, encoding: str, markdown: bool) -> ClientProfile:
        td = caps.text_document
        ws = caps.workspace
        code_action = td.code_action if td else None
        resolve = code_action.resolve_support if code_action else None
        edit = ws.workspace_edit if ws else None
        publish = td.publish_diagnostics if td else None
        return cls(
            encoding=encoding,
            resolve_edits=bool(resolve and "edit" in (resolve.properties or [])),
            document_changes=bool(edit and edit.document_changes),
            markdown=markdown,
            pull_diagnostics=bool(td and td.diagnostic is not None),
            diagnostic_refresh=bool(
                ws and ws.diagnostics is not None and ws.diagnostics.refresh_support
            ),
            progress=bool(caps.window and caps.window.work_done_progress),
            configuration=bool(ws and ws.configuration),
            watched_files_registration=bool(
                ws
                and ws.did_change_watched_files is not None
                and ws.did_change_watched_files.dynamic_registration
            ),
            configuration_registration=bool(
                ws
                and ws.did_change_configuration is not None
                and ws.did_change_configuration.dynamic_registration
            ),
            related_information=bool(publish is None or publish.related_information is not False),
        )


def kind_allowed(kind: str, only: list[str] | None) -> bool:
    """LSP kinds are hierarchical: `quickfix` admits `quickfix.noqa`."""
    if not only:
        return True
    return any(o == "" or kind == o or kind.startswith(o + ".") for o in only)


PartEdits = dict[str, tuple[int | None, list[lsp.TextEdit]]]


def part_edits(result: Result, edits: list[TextEdit], encoding: str) -> PartEdits:
    """Edits of the analysed text → LSP edits per document (cell) uri."""
    snapshot = result.snapshot
    out: PartEdits = {}
    if snapshot.joined is None:
        part = snapshot.parts[0]
        out[part.uri] = (
            part.version,
            [
                lsp.TextEdit(to_range(part.index, e.start, e.end, encoding), e.replacement)
                for e in edits
            ],
        )
        return out
    per_cell = edits_per_cell(snapshot.joined, [(e.start, e.end, e.replacement) for e in edits])
    for cell, cell_edits in per_cell.items():
        part = next(p for p in snapshot.parts if p.cell == cell)
        out[part.uri] = (
            part.version,
            [lsp.TextEdit(to_range(part.index, s, e, encoding), text) for s, e, text in cell_edits],
        )
    return out


def workspace_edit(profile: ClientProfile, per_uri: PartEdits) -> lsp.WorkspaceEdit:
    if profile.document_changes:
        return lsp.WorkspaceEdit(
            document_changes=[
                lsp.TextDocumentEdit(
                    lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    list(edits),
                )
                for uri, (version, edits) in per_uri.items()
            ]
        )
    return lsp.WorkspaceEdit(changes={uri: edits for uri, (_, edits) in per_uri.items()})


def fix_title(located: Located) -> str:
    fix = located.finding.fix
    assert fix is not None
    suffix = " (unsafe)" if fix.applicability is Applicability.UNSAFE else ""
    return f"{fix.message}{suffix}"


def quickfix_edit(result: Result, located: Located, profile: ClientProfile) -> lsp.WorkspaceEdit:
    """The edit of one finding's fix (computes the lazy edits; call off the loop)."""
    fix = located.finding.fix
    edits = fix.edits if fix is not None else []
    return workspace_edit(profile, part_edits(result, edits, profile.encoding))


def noqa_edit(result: Result, located: Located, profile: ClientProfile) -> lsp.WorkspaceEdit | None:
    part = located.part
    index = part.index
    line = index.position(located.start).line
    text = index.line_text(line)
    updated = noqa_edit_text(text, located.finding.code)
    if updated == text:
        return None
    # Insert only what is new, so the cursor and the rest of the line stay put.
    prefix = 0
    while prefix < min(len(text), len(updated)) and text[prefix] == updated[prefix]:
        prefix += 1
    suffix = len(text) - prefix
    start = index.line_starts[line] + prefix
    edit = lsp.TextEdit(to_range(index, start, start + suffix, profile.encoding), updated[prefix:])
    return workspace_edit(profile, {part.uri: (part.version, [edit])})


def supports_noqa(result: Result) -> bool:
    document = result.document
    return document is not None and document.kind in _NOQA_KINDS


def fixable_in(result: Result, unsafe: bool) -> int:
    return sum(1 for item in result.located if wanted(item.finding, unsafe))


def fix_all_title(unsafe: bool) -> str:
    scope = "safe and unsafe" if unsafe else "safe"
    return f"Apply all {scope} mlflow-upgrade fixes in this file"


def fix_all_edit(result: Result, profile: ClientProfile, unsafe: bool) -> lsp.WorkspaceEdit | None:
    """Every wanted fix of the unit, re-analysing until stable (call off the loop)."""
    if result.resolved is None or result.document is None:
        return None
    if result.snapshot.notebook:
        per_uri = notebook_fix_edits(result, profile.encoding, unsafe)[0]
        return workspace_edit(profile, per_uri) if per_uri else None
    outcome = fix_document(result.resolved.engine, result.document, unsafe=unsafe)
    if not outcome.changed:
        return None
    edits = diff_edits(result.document.text, outcome.document.text)
    per_uri = part_edits(result, edits, profile.encoding)
    return workspace_edit(profile, per_uri) if per_uri else None


def notebook_fix_edits(result: Result, encoding: str, unsafe: bool) -> tuple[PartEdits, int]:
    """Fix-all for an open notebook: per-cell edits (shared fixing loop with the CLI)."""
    from mlflow_upgrade.files import notebook

    snapshot = result.snapshot
    assert result.resolved is not None
    sources, applied, _ = notebook.fix_sources(
        result.resolved.engine, list(snapshot.sources), snapshot.path, unsafe=unsafe
    )
    out: PartEdits = {}
    for part, old, new in zip(snapshot.parts, snapshot.sources, sources, strict=True):
        if old == new:
            continue
        out[part.uri] = (
            part.version,
            [
                lsp.TextEdit(to_range(part.index, e.start, e.end, encoding), e.replacement)
                for e in diff_edits(old, new)
            ],
        )
    return out, applied
