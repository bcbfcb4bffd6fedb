"""The context rules get for files that are not Python, registered with the engine.

Importing this module registers `FileContext` as the context factory of every non-Python
text kind (`engine.analyze.CONTEXT_FACTORIES`); `mlflow_upgrade.rules.config_files`
imports it, so any engine that loads the rules can analyse these files.
"""

from __future__ import annotations

from functools import cached_property

from mlflow_upgrade.engine.analyze import CONTEXT_FACTORIES
from mlflow_upgrade.engine.context import Context
from mlflow_upgrade.engine.document import FileKind
from mlflow_upgrade.engine.settings import NEWEST_MLFLOW
from mlflow_upgrade.files.pins import PinPolicy
from mlflow_upgrade.files.shell import command_view

TEXT_KINDS = frozenset(
    {
        FileKind.GATEWAY_YAML,
        FileKind.YAML,
        FileKind.SHELL,
        FileKind.DOCKERFILE,
        FileKind.MAKEFILE,
        FileKind.PROCFILE,
        FileKind.DOTENV,
        FileKind.REQUIREMENTS,
        FileKind.PYPROJECT,
        FileKind.SETUP_CFG,
        FileKind.CONDA,
        FileKind.MLPROJECT,
    }
)


class FileContext(Context):
    """A non-Python document, with its command view computed once for all rules."""

    @cached_property
    def view(self) -> str | None:
        return command_view(self.text, self.document.kind)


def command_view_of(ctx: Context) -> str | None:
    """The command view of any context (a Python context sees Databricks `# MAGIC` cells)."""
    if isinstance(ctx, FileContext):
        return ctx.view
    cached = ctx.__dict__.get("_command_view", False)
    if cached is False:
        cached = command_view(ctx.text, ctx.document.kind)
        ctx.__dict__["_command_view"] = cached
    return cached


def pin_policy(ctx: Context) -> PinPolicy:
    target = ctx.settings.target_version
    return PinPolicy(target, newest=target == NEWEST_MLFLOW)


for _kind in TEXT_KINDS:
    CONTEXT_FACTORIES[_kind] = FileContext
