"""The shared browser's server (rpa/browser_server.py) as a process, started the way the service
starts it: a private (0700) directory for its socket and profile, the endpoint read from the first line of its stdout and
never printed, its stdin held open (closing it stops the server). For tests, benchmarks and
manual runs; the service has its own supervisor (src/).

A Chromium behind the server opens no DevTools port, so what it holds is seen from outside only
through its processes: `renderers()` counts the renderer processes (one per open page, plus any
WebUI page Chromium opens on its own).

Uso manual: python -m cotacao.browser_server_process   (exporta RPA_BROWSER_SERVER para um
subshell; Ctrl+D encerra)."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import proctree

LAUNCHER = Path(__file__).resolve().parents[1] / "browser_server.py"


class BrowserServer:
    """One browser server process (own process group) and the Chromium behind it (Playwright
    starts it in a process group of its own)."""

    def __init__(self, start_timeout_s: float = 30.0, env: dict | None = None):
        self.profile = tempfile.mkdtemp(prefix="rpa_navegador_servidor_")
        self.proc = subprocess.Popen(
            [sys.executable, str(LAUNCHER), self.profile],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        ready, _, _ = select.select([self.proc.stdout], [], [], start_timeout_s)
        line = self.proc.stdout.readline() if ready else b""
        try:
            first = json.loads(line)
            self.endpoint: str = first["endpoint"]
            self.chromium_pid: int = int(first["pid"])
        except (ValueError, KeyError, TypeError):
            err = self.proc.stderr.read1(2000).decode(errors="replace") if self.proc.poll() is not None else ""
            self.close()
            raise RuntimeError(
                f"o servidor do navegador não informou o endereço em {start_timeout_s:g} s: {err}"
            ) from None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None and proctree.identity(self.chromium_pid) is not None

    def renderers(self) -> list[int]:
        """The pids of Chromium's renderer processes alive now."""
        found = []
        for pid in proctree.descendants(self.chromium_pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"--type=renderer" in cmdline:
                found.append(pid)
        return found

    def crash(self) -> None:
        """SIGKILL to Chromium (every process of its group), as an out-of-memory kill would."""
        try:
            os.killpg(self.chromium_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # the server closes Chromium and exits
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        for group in (self.proc.pid, getattr(self, "chromium_pid", None)):
            if group:
                try:
                    os.killpg(group, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        self.proc.wait(30)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def wait_renderers(self, count: int, timeout_s: float = 15.0) -> bool:
        """Waits (bounded) until at most `count` renderers are alive."""
        deadline = time.monotonic() + timeout_s
        while len(self.renderers()) > count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main() -> None:
    with BrowserServer() as server:
        shell = os.environ.get("SHELL", "/bin/sh")
        print("navegador do serviço aberto; RPA_BROWSER_SERVER exportada para o subshell (exit encerra)")
        subprocess.run([shell], env={**os.environ, "RPA_BROWSER_SERVER": server.endpoint}, check=False)


if __name__ == "__main__":
    main()
