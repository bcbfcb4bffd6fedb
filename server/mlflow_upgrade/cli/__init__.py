"""The `mlflow-upgrade` command line: a thin adapter over the engine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlflow_upgrade import __version__
from mlflow_upgrade.cli import output
from mlflow_upgrade.cli.process import Job, progress_bar, run, write_atomically
from mlflow_upgrade.cli.walk import discover
from mlflow_upgrade.engine.interpreter import find_interpreter
from mlflow_upgrade.engine.rule import all_rules
from mlflow_upgrade.engine.settings import Settings, load_settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    parser.add_argument("--select", help="comma-separated codes or prefixes to check")
    parser.add_argument("--ignore", help="comma-separated codes or prefixes to skip")
    parser.add_argument("--python", metavar="INTERPRETER", help="Python whose packages jedi reads")
    parser.add_argument("--target-version", help="MLflow 3 release to migrate to (default: newest)")
    parser.add_argument("--no-jedi", action="store_true", help="resolve without jedi (faster)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlflow-upgrade",
        description="Find, explain and fix MLflow 2 code that MLflow 3 breaks.",
    )
    parser.add_argument("--version", action="version", version=f"mlflow-upgrade {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="report findings")
    _common(check)
    check.add_argument("--format", choices=["text", "json", "sarif", "github"], default="text")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings exist")
    check.add_argument("--statistics", action="store_true", help="count findings per rule")

    fix = commands.add_parser("fix", help="apply fixes")
    _common(fix)
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    fix.add_argument("--diff", action="store_true", help="print a diff instead of writing")
    fix.add_argument(
        "--compatible", action="store_true", help="only fixes whose result also runs on MLflow 2.22"
    )

    lsp = commands.add_parser("lsp", help="run the language server")
    lsp.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    lsp.add_argument("--tcp", action="store_true", help="listen on a TCP port")
    lsp.add_argument("--host", default="127.0.0.1")
    lsp.add_argument("--port", type=int, default=2087)

    commands.add_parser("rules", help="list every rule")
    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    first = args.paths[0] if args.paths else Path(".")
    settings = load_settings(first.resolve() if first.exists() else Path.cwd())
    overrides = {
        key: value
        for key, value in {
            "select": args.select,
            "ignore": args.ignore,
            "target-version": args.target_version,
        }.items()
        if value
    }
    return settings.merged(overrides, "command line") if overrides else settings


def _run_files(args: argparse.Namespace, fixing: bool) -> int:
    settings = _settings(args)
    for warning in settings.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"error: {path}: no such file or directory", file=sys.stderr)
    if missing and len(missing) == len(args.paths):
        return EXIT_ERROR
    job = Job(
        settings=settings,
        fix=fixing,
        unsafe=getattr(args, "unsafe_fixes", False),
        compatible_only=getattr(args, "compatible", False),
        interpreter=find_interpreter(settings.root, args.python),
        use_jedi=not args.no_jedi,
        with_edits=getattr(args, "format", "text") in ("json", "sarif"),
    )
    files = list(discover([p for p in args.paths if p.exists()], settings))
    reports = run(job, files, progress_bar())
    return _finish(args, reports, fixing)


def _finish(args: argparse.Namespace, reports: list, fixing: bool) -> int:
    out = sys.stdout
    if fixing and args.diff:
        output.write_diff(reports, out)
        pending = [f for r in reports for f in r.findings]
        return EXIT_FINDINGS if pending or any(r.fixed for r in reports) else EXIT_CLEAN
    if fixing:
        for report in reports:
            if report.new_bytes is not None:
                write_atomically(report.path, report.new_bytes)
    fmt = getattr(args, "format", "text")
    if fmt == "json":
        output.write_json(reports, out)
    elif fmt == "sarif":
        output.write_sarif(reports, out)
    elif fmt == "github":
        output.write_github(reports, out)
    else:
        output.write_text(reports, out, color=out.isatty())
        if getattr(args, "statistics", False):
            output.write_statistics(reports, out)
        output.write_summary(reports, out, fixing, getattr(args, "unsafe_fixes", False))
    if fmt != "text":
        for report in reports:
            if report.error:
                print(f"{report.path}: {report.error}", file=sys.stderr)
    remaining = any(r.findings for r in reports)
    if getattr(args, "exit_zero", False):
        return EXIT_CLEAN
    return EXIT_FINDINGS if remaining else EXIT_CLEAN


def _rules() -> int:
    rules = all_rules()
    print(f"{'code':7} {'name':40} {'tier':4} {'kind':11} {'since':6} fix")
    for rule in rules.values():
        compatible = " (works on 2.22)" if rule.fixable and rule.works_on_2x else ""
        print(
            f"{rule.code:7} {rule.name:40} {rule.tier:<4} {rule.kind.value:11} {rule.since:6} {rule.fix_label}{compatible}"
        )
    return EXIT_CLEAN


def _explain(code: str) -> int:
    from mlflow_upgrade.docs_gen import rule_plaintext

    rule = all_rules().get(code.upper())
    if rule is None:
        print(
            f"error: unknown rule code {code!r}; `mlflow-upgrade rules` lists them", file=sys.stderr
        )
        return EXIT_ERROR
    print(rule_plaintext(rule))
    return EXIT_CLEAN


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_ERROR if exit_.code not in (0, None) else EXIT_CLEAN
    try:
        if args.command == "rules":
            return _rules()
        if args.command == "explain":
            return _explain(args.code)
        if args.command == "lsp":
            from mlflow_upgrade.lsp.server import serve

            return serve(tcp=args.tcp, host=args.host, port=args.port)
        return _run_files(args, fixing=args.command == "fix")
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as error:  # report, never a traceback wall, and exit 2
        print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR
