"""scripts/demo.sh, run for real from a copy of the repository whose `scripts/setup.sh` does
nothing and whose release binaries are the debug ones: a busy port is named with the variable
that changes it before anything is installed or built; a port taken between that check and the
service's own start is named too, and "Demonstração pronta" never appears unless the demo's own
portal and service are listening."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from modal_servers import ROOT, Process, binary, free_port

READY = "Demonstração pronta"
SKIP = {"scripts", "target", "data", "test-artifacts", ".git"}


@pytest.fixture
def sandbox(tmp_path) -> Path:
    """The repository as demo.sh sees it, with a setup.sh that only says it ran."""
    box = tmp_path / "repo"
    box.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in SKIP:
            (box / entry.name).symlink_to(entry)
    (box / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "demo.sh", box / "scripts" / "demo.sh")
    setup = box / "scripts" / "setup.sh"
    setup.write_text(
        '#!/usr/bin/env bash\necho "setup.sh rodou"\n'
        'if [[ -n "${DEMO_TEST_AFTER_SETUP:-}" ]]; then bash -c "$DEMO_TEST_AFTER_SETUP"; fi\n'
    )
    setup.chmod(0o755)
    release = box / "target" / "release"
    release.mkdir(parents=True)
    for name in ("sim-portal", "rpa-v4"):
        (release / name).symlink_to(binary(name))
    return box


class Demo(Process):
    """demo.sh in its own process group, from the sandbox; its output collected line by line.
    Started as from a terminal, with Ctrl+C's signal at its default: a process that inherits it
    ignored (as the test runner's children may) could not trap it."""

    def __init__(self, box: Path, **env: str):
        argv = ["env", "--default-signal=INT", str(box / "scripts" / "demo.sh")]
        super().__init__(argv, {**os.environ, **env}, box.parent / "demo.log", cwd=box)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_exit(self, timeout: float = 90) -> int:
        rc = self.proc.wait(timeout=timeout)
        self._thread.join(timeout=5)
        return rc


@pytest.fixture
def demos():
    started: list[Demo] = []
    yield started
    for d in started:
        d.stop()


def listener(host: str = "127.0.0.1") -> socket.socket:
    s = socket.socket()
    s.bind((host, 0))
    s.listen()
    return s


@pytest.mark.parametrize(
    "variable, what, host",
    [
        ("DEMO_PORT", "serviço RPA V4", "127.0.0.1"),
        ("PORTAL_PORT", "portal simulado", "127.0.0.1"),
        ("DEMO_PORT", "serviço RPA V4", "0.0.0.0"),  # held on every address
    ],
)
def test_a_busy_port_is_named_with_the_variable_that_changes_it(sandbox, demos, variable, what, host):
    busy = listener(host)
    port = busy.getsockname()[1]
    ports = {"DEMO_PORT": str(free_port()), "PORTAL_PORT": str(free_port())}
    ports[variable] = str(port)
    demo = Demo(sandbox, **ports)
    demos.append(demo)
    try:
        assert demo.wait_exit() == 1
    finally:
        busy.close()
    assert f"a porta {port} ({what}) já está em uso" in demo.output
    assert f"{variable}={port + 1} scripts/demo.sh" in demo.output
    assert "setup.sh rodou" not in demo.output, "nothing is installed or built for a demo that cannot run"
    assert READY not in demo.output


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEMO_PORT": "8080", "PORTAL_PORT": "8080"}, "DEMO_PORT e PORTAL_PORT são a mesma porta (8080)"),
        ({"DEMO_PORT": "oitenta", "PORTAL_PORT": "8090"}, "DEMO_PORT=oitenta não é uma porta"),
        ({"DEMO_PORT": "8080", "PORTAL_PORT": "70000"}, "PORTAL_PORT=70000 não é uma porta"),
    ],
)
def test_bad_ports_are_refused(sandbox, demos, env, message):
    demo = Demo(sandbox, **env)
    demos.append(demo)
    assert demo.wait_exit() == 1
    assert message in demo.output and "setup.sh rodou" not in demo.output


def test_a_port_taken_after_the_check_is_named_and_the_demo_is_never_ready(sandbox, demos, tmp_path):
    """Someone else's server takes the service's port while setup.sh runs and answers its health
    check: the demo waits for its own service, which cannot listen, and says so."""
    port = free_port()
    other = tmp_path / "other.py"
    other.write_text(
        "import http.server, sys\n"
        "class H(http.server.BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        self.send_response(200); self.end_headers(); self.wfile.write(b'{}')\n"
        "    def log_message(self, *a): pass\n"
        "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()\n"
    )
    started = tmp_path / "other.pid"
    after_setup = (
        f"python3 {other} {port} >/dev/null 2>&1 & echo $! > {started}; "
        f"for i in $(seq 50); do python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", {port}))' "
        "2>/dev/null && break; sleep 0.1; done"
    )
    demo = Demo(sandbox, DEMO_PORT=str(port), PORTAL_PORT=str(free_port()), DEMO_TEST_AFTER_SETUP=after_setup)
    demos.append(demo)
    try:
        assert demo.wait_exit() == 1
    finally:
        if started.exists():
            os.kill(int(started.read_text()), signal.SIGTERM)
    assert "setup.sh rodou" in demo.output
    assert f"não conseguiu usar a porta {port}" in demo.output and "DEMO_PORT=<porta>" in demo.output
    assert READY not in demo.output


def session_processes(sid: int) -> str:
    return subprocess.run(["ps", "-o", "pid=,comm=", "-s", str(sid)], capture_output=True, text=True).stdout.strip()


def test_free_ports_give_a_ready_demo_that_answers_and_ctrl_c_ends_it_all(sandbox, demos):
    port, portal_port = free_port(), free_port()
    demo = Demo(sandbox, DEMO_PORT=str(port), PORTAL_PORT=str(portal_port), DEMO_DELAY_SCALE="0")
    demos.append(demo)
    demo.wait_for_line(READY, timeout=90)
    assert f"http://127.0.0.1:{port}/static/demo.html" in demo.output
    for p in (port, portal_port):
        socket.create_connection(("127.0.0.1", p), timeout=5).close()
    # Ctrl+C in the terminal: SIGINT to the whole foreground group, the demo's session here.
    os.killpg(demo.proc.pid, signal.SIGINT)
    assert demo.wait_exit(timeout=60) == 130, "Ctrl+C ends the demo as interrupted, whichever process ends first"
    assert "terminou sozinho" not in demo.output
    assert "serviço encerrado" in demo.output, "the service's own last words reach the terminal"
    # Nothing of the demo is left (the loggers end a moment after the processes they log).
    deadline = time.monotonic() + 20
    while (left := session_processes(demo.proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == "", f"processes of the demo still running:\n{left}"
    for p in (port, portal_port):
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", p), timeout=2).close()
