"""jedi as the second opinion on what a receiver is.

Our own inference knows MLflow's factories; jedi knows everything the analysed
interpreter's packages and the project's code say (returns of helper functions in
other modules, attributes of user classes, …). It is asked only about receivers of
rule attributes that our inference could not place, so its cost stays off the
common path. A receiver counts as MLflow's only when jedi names an `mlflow.` class.
"""

from __future__ import annotations

import ast
import logging
import threading
from pathlib import Path

import jedi

from mlflow_upgrade.engine.document import Document
from mlflow_upgrade.python import mlflow_api as api

log = logging.getLogger(__name__)


class JediTypes:
    def __init__(self, interpreter: str | None = None, project_root: Path | None = None) -> None:
        self.interpreter = interpreter
        self.project_root = project_root
        self._environment: jedi.api.environment.Environment | None = None
        self._project: jedi.Project | None = None
        self._lock = threading.Lock()
        self._scripts: dict[int, jedi.Script] = {}

    @property
    def environment(self):
        if self._environment is None:
            if self.interpreter:
                self._environment = jedi.create_environment(self.interpreter, safe=False)
            else:
                self._environment = jedi.InterpreterEnvironment()
        return self._environment

    @property
    def project(self) -> jedi.Project | None:
        if self._project is None and self.project_root is not None:
            self._project = jedi.Project(self.project_root)
        return self._project

    def warm_up(self) -> None:
        """Load the environment and MLflow's stubs once, before the first request needs them."""
        try:
            script = jedi.Script("import mlflow\nmlflow.start_run", environment=self.environment)
            script.infer(2, 10)
        except Exception:  # jedi failures must never break analysis
            log.exception("jedi warm-up failed")

    def _script(self, document: Document) -> jedi.Script:
        key = hash((document.text, str(document.path)))
        script = self._scripts.get(key)
        if script is None:
            script = jedi.Script(
                document.text,
                path=document.path,
                environment=self.environment,
                project=self.project,
            )
            self._scripts = {key: script}  # keep only the latest document's script
        return script

    def infer_class(self, document: Document, expr: ast.expr) -> str | None:
        """The canonical MLflow class of an expression, as jedi infers it."""
        line, column = expr.end_lineno, expr.end_col_offset
        if line is None or column is None:
            return None
        text_line = document.index.line_text(line - 1)
        column = len(text_line.encode()[:column].decode(errors="ignore"))
        try:
            with self._lock:
                names = self._script(document).infer(line, max(column - 1, 0))
        except Exception:
            log.debug("jedi could not infer at %s:%s", line, column, exc_info=True)
            return None
        # Every inferred value must be the same MLflow class; anything else is unknown.
        classes = {_mlflow_class(name.full_name, name.name) for name in names}
        return classes.pop() if len(classes) == 1 else None


def _mlflow_class(full_name: str | None, short: str) -> str | None:
    if not full_name or not api.is_mlflow(full_name):
        return None
    return api.CLASS_BY_SHORT_NAME.get(short) or api.canonical(full_name)
