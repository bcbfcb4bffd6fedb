"""Server logs: to stderr, to the client's log (`window/logMessage`) and a ring buffer.

The ring buffer backs the `mlflow-upgrade.showLog` command, so a user can paste
what the server saw without hunting for the editor's log files.
"""

from __future__ import annotations

import collections
import logging
import sys
import threading
from collections.abc import Callable

_LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}


class ClientLogHandler(logging.Handler):
    """Keeps recent records and forwards them through a (thread-safe) sender."""

    def __init__(self, capacity: int = 400) -> None:
        super().__init__(logging.DEBUG)
        self.records: collections.deque[str] = collections.deque(maxlen=capacity)
        self.sender: Callable[[int, str], None] | None = None
        self.forward_level = logging.INFO
        self._local = threading.local()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._local, "busy", False):
            return  # a failure while sending must not log recursively
        self._local.busy = True
        try:
            text = self.format(record)
            self.records.append(text)
            if self.sender is not None and record.levelno >= self.forward_level:
                self.sender(record.levelno, text)
        except Exception:
            pass
        finally:
            self._local.busy = False

    def set_level(self, name: str) -> None:
        self.forward_level = _LEVELS.get(name, logging.INFO)


HANDLER = ClientLogHandler()


def configure() -> None:
    """Our loggers to the client and stderr; pygls' per-message chatter silenced."""
    package = logging.getLogger("mlflow_upgrade")
    package.setLevel(logging.DEBUG)
    if HANDLER not in package.handlers:
        package.addHandler(HANDLER)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(logging.Formatter("mlflow-upgrade %(levelname)s %(name)s: %(message)s"))
    package.addHandler(stderr)
    package.propagate = False
    for noisy in ("pygls", "jedi", "parso", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
