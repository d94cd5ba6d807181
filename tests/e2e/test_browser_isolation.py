"""Nobody else on the machine reaches a visitor's page. While a quote runs in the service's shared
browser, a client running as another user (`nobody`) tries what such a user can: every TCP port
listening on loopback (DevTools' `/json/list` and `/json/version`, a WebSocket upgrade on the
usual paths), and every process's command line and environment in /proc. It must find no
DevTools, attach to nothing, read no page and learn no endpoint; and the endpoint the service
gave its robot is in no log.

Running as another user needs root; elsewhere the test skips and says why."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cotacao import proctree  # rpa/ is on the path: conftest imports modal_servers first
from modal_servers import ROOT, start_portal, start_service
from test_shared_browser_service import start_quote, wait

# What the other user runs: the standard library only, fed on stdin (it may not read our files).
PROBE = r"""
import base64, json, os, re, socket, struct

def listening_loopback_ports():
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(name).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if f[3] == "0A":
                ports.add(int(f[1].split(":")[1], 16))
    return sorted(ports)

def listening_unix_sockets():
    found = []
    for line in open("/proc/net/unix").read().splitlines()[1:]:
        f = line.split()
        if len(f) >= 8 and f[5] == "01" and f[7].startswith("/"):
            found.append(f[7])
    return found

def exchange(connect, request, want_upgrade=False):
    # Reads until the server closes, the body it announced is whole, or 3 s pass: a server may
    # keep the connection open whatever the request asked.
    try:
        s = connect()
    except OSError as exc:
        return f"erro: {exc}"
    data = b""
    with s:
        try:
            s.settimeout(3)
            s.sendall(request.encode())
            while len(data) < 65536:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                head, sep, body = data.partition(b"\r\n\r\n")
                if sep and want_upgrade:
                    break
                length = re.search(rb"(?i)content-length:\s*(\d+)", head)
                if sep and length and len(body) >= int(length.group(1)):
                    break
        except OSError as exc:
            if not data:
                return f"erro: {exc}"
    return data.decode(errors="replace")

def tcp(port):
    return lambda: socket.create_connection(("127.0.0.1", port), timeout=3)

def unix(path):
    def connect():
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(3)
        s.connect(path)
        return s
    return connect

def upgrade(connect, path):
    key = base64.b64encode(os.urandom(16)).decode()
    answer = exchange(connect, f"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n", True)
    return answer.split("\r\n", 1)[0].split(" ")[1:2] == ["101"]

def page_text(ws_url):
    # One CDP command on a page's own WebSocket: the text the visitor's page shows.
    m = re.match(r"ws://([^:/]+):(\d+)(/.*)", ws_url)
    host, port, path = m.group(1), int(m.group(2)), m.group(3)
    with socket.create_connection((host, port), timeout=5) as s:
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += s.recv(4096)
        buf = buf.split(b"\r\n\r\n", 1)[1]
        payload = json.dumps({"id": 1, "method": "Runtime.evaluate",
                              "params": {"expression": "document.body.innerText + ' ' + [...document.querySelectorAll('input')].map(i => i.value).join(' ')",
                                         "returnByValue": True}}).encode()
        mask = os.urandom(4)
        head = struct.pack("!BB", 0x81, 0x80 | 126) + struct.pack("!H", len(payload)) if len(payload) >= 126 else struct.pack("!BB", 0x81, 0x80 | len(payload))
        s.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        while True:
            while len(buf) < 2:
                buf += s.recv(65536)
            n = buf[1] & 0x7F
            start = 2
            if n == 126:
                while len(buf) < 4: buf += s.recv(65536)
                n, start = struct.unpack("!H", buf[2:4])[0], 4
            elif n == 127:
                while len(buf) < 10: buf += s.recv(65536)
                n, start = struct.unpack("!Q", buf[2:10])[0], 10
            while len(buf) < start + n:
                buf += s.recv(65536)
            message, buf = buf[start:start + n], buf[start + n:]
            reply = json.loads(message)
            if reply.get("id") == 1:
                return reply.get("result", {}).get("result", {}).get("value", "")

report = {"ports": {}, "devtools": [], "upgrades": [], "pages_read": [], "unix": {}, "secrets": [], "proc_read": 0}
for port in listening_loopback_ports():
    seen = []
    for path in ("/json/list", "/json/version", "/json"):
        answer = exchange(tcp(port), f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
        seen.append(answer[:400])
        body = answer.split("\r\n\r\n", 1)[-1]
        for ws_url in re.findall(r'"webSocketDebuggerUrl":\s*"([^"]+)"', body):
            report["devtools"].append([port, f"{path}: {ws_url}"])
            if "/devtools/page/" in ws_url:
                try:
                    report["pages_read"].append([port, page_text(ws_url)[:2000]])
                except Exception as exc:
                    report["pages_read"].append([port, f"erro: {exc}"])
        for found in re.findall(r'"wsEndpointPath":\s*"([^"]+)"', body):
            report["devtools"].append([port, f"{path}: {found}"])
            if upgrade(tcp(port), found):
                report["upgrades"].append([port, found])
    for path in ("/", "/devtools/browser", "/json"):
        if upgrade(tcp(port), path):
            report["upgrades"].append([port, path])
    report["ports"][port] = seen
for path in listening_unix_sockets():
    if "rpa-v4" not in path and "navegador" not in path:
        continue
    answer = exchange(unix(path), "GET /json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    report["unix"][path] = answer[:200]
for pid in filter(str.isdigit, os.listdir("/proc")):
    for part in ("environ", "cmdline"):
        try:
            text = open(f"/proc/{pid}/{part}", "rb").read().decode(errors="replace")
        except OSError:
            continue
        report["proc_read"] += 1
        if "RPA_BROWSER_SERVER" in text or "/devtools/browser/" in text or "ws+unix:" in text:
            report["secrets"].append(f"{pid}/{part}")
print(json.dumps(report))
"""


def as_nobody(script: str) -> dict:
    proc = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--reset-env", "python3", "-I", "-"],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def service_tree(service) -> set[int]:
    """The service's process and every descendant (robots, the browser server, Chromium)."""
    pid = service.process.proc.pid
    return {pid, *proctree.descendants(pid)}


def listening_ports(pids: set[int]) -> set[int]:
    """The TCP ports on which `pids` listen (socket inodes of their descriptors)."""
    inodes = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if f[3] == "0A" and f[9] in inodes:
                ports.add(int(f[1].split(":")[1], 16))
    return ports


def robot_endpoint(service) -> tuple[int, str]:
    """(pid, RPA_BROWSER_SERVER) of the service's running robot, read as root."""
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes()
            env = (d / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"executar_imediato_playwright.py" in cmd and str(service.data_dir).encode() in cmd:
            for entry in env:
                if entry.startswith(b"RPA_BROWSER_SERVER="):
                    return int(d.name), entry.split(b"=", 1)[1].decode()
    return 0, ""


@pytest.mark.skipif(os.geteuid() != 0, reason="rodar um cliente como outro usuário (nobody) exige root")
@pytest.mark.skipif(
    shutil.which("setpriv") is None, reason="setpriv (util-linux) ausente: não há como trocar de usuário"
)
def test_another_user_reaches_no_page_while_a_quote_runs(e2e_tmp):
    portal_dir = e2e_tmp / "isolation-portal"
    portal_dir.mkdir()
    portal = start_portal(portal_dir, ["--fault", "10:slow:60"])
    service = start_service(e2e_tmp / "isolation", portal)
    try:
        session = start_quote(service, "ABC1D23")
        wait("the quote past the personal data (screen 9)", lambda: service.progress(session)["etapa_atual"] >= 9)
        pid, endpoint = wait(
            "the robot and its browser", lambda: robot_endpoint(service)[1] and robot_endpoint(service)
        )
        ours = service_tree(service)
        our_ports = listening_ports(ours)
        report = as_nobody(PROBE)
        assert service.progress(session)["status"] == "running", "the quote still runs while the probe looks"
    finally:
        service.process.stop()
        portal.process.stop()
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "isolamento-navegador.json").write_text(json.dumps(report, indent=1))
    # Other programs on a developer's machine may run browsers of their own: only what belongs to
    # this service counts.
    marker = f"rpa-v4-navegador-{service.process.proc.pid}-"
    mine = {
        "devtools": [e for e in report["devtools"] if e[0] in our_ports],
        "upgrades": [e for e in report["upgrades"] if e[0] in our_ports],
        "pages_read": [e for e in report["pages_read"] if e[0] in our_ports],
        "unix": {path: answer for path, answer in report["unix"].items() if marker in path},
        "secrets": [e for e in report["secrets"] if int(e.split("/")[0]) in ours],
    }
    assert our_ports, "the service listens on no TCP port (its API): the probe's view is not understood"
    assert our_ports <= {int(p) for p in report["ports"]}, "the probe did not try every port of the service"
    assert report["proc_read"] > 0
    assert mine["devtools"] == [], f"the service's browser answered another user: {mine['devtools']}"
    assert mine["upgrades"] == [], f"another user opened a WebSocket to the service: {mine['upgrades']}"
    assert mine["pages_read"] == [], "another user read a visitor's page"
    assert mine["unix"], "the probe found no socket of the service's browser to try"
    for path, answer in mine["unix"].items():
        assert answer.startswith("erro: "), f"another user reached the browser's socket {path}: {answer}"
    assert mine["secrets"] == [], f"another user read the browser's endpoint: {mine['secrets']}"
    secret = endpoint.rsplit("/", 1)[1]
    assert len(secret) == 32, "the endpoint's path is its secret"
    assert secret not in json.dumps(report), "the probe learnt the browser's endpoint"
    logs = service.process.log_path.read_text() + "".join(
        p.read_text(errors="replace") for p in service.data_dir.glob("*/robo.log")
    )
    assert secret not in logs, "the browser's endpoint was written to a log"
    assert pid
