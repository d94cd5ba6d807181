"""A Chromium with a DevTools endpoint, as the service runs it for the robots' shared mode
(`RPA_BROWSER_ENDPOINT`): starting one on a free port (for tests, benchmarks and manual runs)
and looking into it without Playwright: its page targets (`GET /json/list`) and its browser
contexts (CDP `Target.getBrowserContexts`, over a minimal WebSocket client of the standard
library, so looking attaches to nothing).

Uso manual: python -m cotacao.devtools   (imprime o endereço e espera Ctrl+C)"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import urllib.request
from urllib.parse import urlsplit

from .config import CHROMIUM_FLAGS, DEFAULT_CHROMIUM

_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


class SharedChromium:
    """A Chromium process (own process group, throwaway profile) listening for DevTools on
    127.0.0.1 at a port it picked itself (`--remote-debugging-port=0`)."""

    def __init__(self, chromium_path: str | None = None, start_timeout_s: float = 30.0):
        path = chromium_path or os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
        self.profile = tempfile.mkdtemp(prefix="rpa_chromium_compartilhado_")
        self.proc = subprocess.Popen(
            [
                path,
                *CHROMIUM_FLAGS,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        self._found = threading.Event()
        self.ws_endpoint = ""
        # Chromium keeps writing to stderr: the pipe is drained for the process's whole life.
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._found.wait(start_timeout_s) or not self.ws_endpoint:
            self.close()
            raise RuntimeError(f"o Chromium em {path} não abriu o endereço DevTools em {start_timeout_s:g} s")
        self.port = urlsplit(self.ws_endpoint).port
        self.http_endpoint = f"http://127.0.0.1:{self.port}"

    def _drain(self) -> None:
        for line in self.proc.stderr:
            if not self.ws_endpoint:
                found = _LISTENING.search(line)
                if found:
                    self.ws_endpoint = found.group(1)
                    self._found.set()
        self._found.set()  # exited before listening

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def page_targets(self) -> list[dict]:
        return page_targets(self.http_endpoint)

    def target_types(self) -> set[str]:
        return {t.get("type", "") for t in targets(self.http_endpoint)}

    def contexts(self) -> list[str]:
        return browser_contexts(self.ws_endpoint)

    def crash(self) -> None:
        """SIGKILL to the whole browser (every process of its group)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(30)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.crash()
            except ProcessLookupError:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # renderers left behind, if any
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait(30)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def targets(http_endpoint: str, timeout_s: float = 10.0) -> list[dict]:
    """Every target the browser lists in `GET /json/list` (pages, its own WebUI, workers)."""
    with urllib.request.urlopen(f"{http_endpoint.rstrip('/')}/json/list", timeout=timeout_s) as resp:
        return json.loads(resp.read())


def page_targets(http_endpoint: str, timeout_s: float = 10.0) -> list[dict]:
    """The browser's page targets (tabs)."""
    return [t for t in targets(http_endpoint, timeout_s) if t.get("type") == "page"]


def browser_contexts(ws_endpoint: str, timeout_s: float = 10.0) -> list[str]:
    """The ids of the browser contexts other than the default one (CDP)."""
    return cdp_call(ws_endpoint, "Target.getBrowserContexts", timeout_s=timeout_s)["browserContextIds"]


def cdp_call(ws_endpoint: str, method: str, params: dict | None = None, timeout_s: float = 10.0) -> dict:
    """One CDP command on the browser's WebSocket endpoint; returns its `result`."""
    url = urlsplit(ws_endpoint)
    deadline = time.monotonic() + timeout_s
    with socket.create_connection((url.hostname, url.port), timeout_s) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            (
                f"GET {url.path} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        reader = _Reader(sock, deadline)
        head = reader.until(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"o endereço DevTools recusou a conexão: {head[:80]!r}")
        _send_text(sock, json.dumps({"id": 1, "method": method, "params": params or {}}))
        while True:  # bounded by the deadline in every read
            message = json.loads(reader.message())
            if message.get("id") == 1:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]


def _send_text(sock: socket.socket, text: str) -> None:
    payload = text.encode()
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x81, 0x80 | n)
    elif n < 1 << 16:
        header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


class _Reader:
    def __init__(self, sock: socket.socket, deadline: float):
        self.sock, self.deadline, self.buf = sock, deadline, b""

    def _fill(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("o endereço DevTools não respondeu a tempo")
        self.sock.settimeout(left)
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("o endereço DevTools fechou a conexão")
        self.buf += chunk

    def exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def until(self, marker: bytes) -> bytes:
        while marker not in self.buf:
            self._fill()
        out, _, self.buf = self.buf.partition(marker)
        return out

    def message(self) -> bytes:
        """One whole text message (continuation frames joined; control frames skipped)."""
        parts = []
        while True:
            first, second = self.exactly(2)
            n = second & 0x7F
            if n == 126:
                n = struct.unpack("!H", self.exactly(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self.exactly(8))[0]
            mask = self.exactly(4) if second & 0x80 else None
            data = self.exactly(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("o endereço DevTools fechou a conexão")
            if opcode in (0x1, 0x2, 0x0):
                parts.append(data)
                if first & 0x80:
                    return b"".join(parts)


def main() -> None:
    with SharedChromium() as chromium:
        print(f"RPA_BROWSER_ENDPOINT={chromium.http_endpoint}", flush=True)
        print(f"(ou {chromium.ws_endpoint}); Ctrl+C encerra o Chromium", flush=True)
        try:
            chromium.proc.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
