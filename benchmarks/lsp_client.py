"""A minimal JSON-RPC client over stdio for timing language servers (ours and basedpyright)."""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any


class StdioClient:
    def __init__(self, command: list[str], cwd: str | None = None) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
        )
        self._ids = itertools.count(1)
        self.messages: queue.Queue[tuple[float, dict]] = queue.Queue()
        self._pending: list[tuple[float, dict]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(stream.read(length))
            self.messages.put((time.perf_counter(), message))
            if "id" in message and "method" in message:  # a request from the server
                self._answer(message)

    def _answer(self, request: dict) -> None:
        result: Any = None
        if request["method"] == "workspace/configuration":
            result = [self.configuration for _ in request["params"]["items"]]
        self._write({"jsonrpc": "2.0", "id": request["id"], "result": result})

    configuration: dict = {}

    def _write(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> float:
        sent = time.perf_counter()
        self._write({"jsonrpc": "2.0", "method": method, "params": params})
        return sent

    def request(self, method: str, params: Any, timeout: float = 60) -> tuple[Any, float]:
        """Send a request; returns its result and the round-trip seconds."""
        request_id = next(self._ids)
        sent = time.perf_counter()
        self._write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        arrived, message = self.wait(
            lambda m: m.get("id") == request_id and "method" not in m, timeout
        )
        return message.get("result"), arrived - sent

    def wait(self, predicate: Callable[[dict], bool], timeout: float = 60) -> tuple[float, dict]:
        for index, (arrived, message) in enumerate(self._pending):
            if predicate(message):
                del self._pending[index]
                return arrived, message
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("no matching message")
            arrived, message = self.messages.get(timeout=remaining)
            if predicate(message):
                return arrived, message
            self._pending.append((arrived, message))

    def drain(self) -> None:
        self._pending.clear()
        while not self.messages.empty():
            self.messages.get_nowait()

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
