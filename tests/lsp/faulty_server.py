"""The language server with faults injected, to prove it survives them.

- a rule raises on documents containing `BOOM` (the engine isolates rules);
- the whole analysis raises for documents whose name contains `crash`;
- hover raises everywhere (a handler bug).
"""

from __future__ import annotations

import sys

from mlflow_upgrade.lsp import analysis, server, session
from mlflow_upgrade.rules.models_logging import ArtifactPathToName

_check = ArtifactPathToName.check
_analyse = analysis.analyse


def check(self, ctx):
    if "BOOM" in ctx.text:
        raise RuntimeError("injected rule failure")
    return _check(self, ctx)


def analyse(snapshot, config, encoding, previous=None):
    if "crash" in snapshot.key:
        raise RuntimeError("injected analysis failure")
    return _analyse(snapshot, config, encoding, previous)


def hover_contents(*args, **kwargs):
    raise RuntimeError("injected hover failure")


ArtifactPathToName.check = check
analysis.analyse = analyse
session.hover_contents = hover_contents

if __name__ == "__main__":
    sys.exit(server.serve())
