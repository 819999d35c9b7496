"""Start and stop gunicorn the way docs/deploy.md runs it, on a free local port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import requests

WORKERS = 2  # the landscape figures were taken with -w 2 on these 2-core machines


@dataclass
class Server:
    process: subprocess.Popen
    url: str

    def worker_pids(self) -> list[int]:
        return sorted(child.pid for child in psutil.Process(self.process.pid).children())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    # The machine is shared: let the kernel pick a port nobody else holds.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(env: dict[str, str], log: Path, workers: int = WORKERS) -> Server:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        # Two masters would fight over the default control socket in ~/.gunicorn.
        "--no-control-socket",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        command, env={**os.environ, **env}, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    server = Server(process, f"http://127.0.0.1:{port}")
    _wait_ready(server, workers)
    return server


def _wait_ready(server: Server, workers: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}")
        try:
            ready = requests.get(f"{server.url}/readyz", timeout=2).status_code == 200
        except requests.RequestException:  # still booting
            ready = False
        if ready and len(server.worker_pids()) == workers:
            return
        time.sleep(0.3)
    server.stop()
    raise RuntimeError("gunicorn did not become ready within 30 s")
