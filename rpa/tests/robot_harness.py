"""What the robot's tests share: synthetic quote inputs, running the real robot as a subprocess
(real Chromium) with a watcher that parses the snapshot files continuously, the checks every run
must pass, and the simulated portal started on a free port (with its API as the source of the
expected values). A module of its own (not conftest) so it can be imported by name."""

from __future__ import annotations

import copy
import functools
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

RPA_DIR = Path(__file__).resolve().parents[1]
REPO = RPA_DIR.parent
ROBOT = RPA_DIR / "executar_imediato_playwright.py"
sys.path.insert(0, str(RPA_DIR))

from contract_files import check_snapshot_contract  # noqa: E402
from cotacao import proctree  # noqa: E402

BROKER_EMAIL = "corretor@example.com"
BROKER_SENHA = "senha-de-teste"

# A synthetic person and the questionnaire defaults (contract §2): every key present. The same
# file documents a manual run in rpa/README.md and feeds bench/robot_run.py.
BASE_INPUT = json.loads((RPA_DIR / "exemplo_entrada.json").read_text(encoding="utf-8"))

PERSONAL_VALUES = (
    "FULANO DE TAL",
    "52998224725",
    "529.982.247-25",
    "fulano.teste@example.com",
    "FULANO.TESTE@EXAMPLE.COM",
    "11987654321",
    "98765-4321",
    "15/03/1985",
)


def quote_input(**changes) -> dict:
    doc = copy.deepcopy(BASE_INPUT)
    doc.update(changes)
    return doc


class SnapshotWatcher(threading.Thread):
    """Reads the three snapshot files in a tight loop while the robot runs and records every
    version; a file that does not parse as JSON is recorded as a failure."""

    def __init__(self, data_dir: Path, session: str):
        super().__init__(daemon=True)
        self.paths = {k: data_dir / f"{k}_{session}.json" for k in ("progress", "history", "result")}
        self.versions: dict[str, list[dict]] = {k: [] for k in self.paths}
        self.invalid: list[str] = []
        self.reads = 0
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.poll()

    def poll(self):
        for kind, path in self.paths.items():
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                continue
            self.reads += 1
            try:
                doc = json.loads(raw)
            except ValueError:
                self.invalid.append(f"{kind}: {raw[:80]!r}")
                continue
            seen = self.versions[kind]
            if not seen or seen[-1] != doc:
                seen.append(doc)

    def stop(self):
        self._halt.set()
        self.join(5)
        self.poll()


@dataclass
class RobotRun:
    """A finished run: its snapshot files are final, so each is parsed once."""

    code: int
    stdout: str
    stderr: str
    data_dir: Path
    session: str
    elapsed: float
    watcher: SnapshotWatcher

    def snapshot(self, kind: str) -> dict:
        return json.loads((self.data_dir / f"{kind}_{self.session}.json").read_text())

    @functools.cached_property
    def progress(self) -> dict:
        return self.snapshot("progress")

    @functools.cached_property
    def history(self) -> dict:
        return self.snapshot("history")

    @functools.cached_property
    def result(self) -> dict:
        return self.snapshot("result")

    @property
    def last_line(self) -> dict:
        return json.loads(self.stdout.strip().splitlines()[-1])

    def error(self) -> dict:
        erros = self.progress["erros"]
        assert len(erros) == 1, erros
        return erros[0]


def wait_for(predicate, timeout: float, what: str):
    """Polls `predicate` until it returns something truthy (bounded); returns that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"tempo esgotado esperando {what}")


def robot_env(portal_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(
        RPA_PORTAL_URL=portal_url,
        RPA_PORTAL_EMAIL=BROKER_EMAIL,
        RPA_PORTAL_SENHA=BROKER_SENHA,
        RPA_TIMEOUT_TELA_S="20",
        RPA_TIMEOUT_CALCULO_S="60",
        RPA_TIMEOUT_RESULTADO_S="30",
        RPA_TIMEOUT_FECHAMENTO_S="20",  # evidence capture on a loaded machine
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_robot(
    data: dict | str, data_dir: Path, session: str, env: dict, *, inline: bool = False, new_group: bool = False
) -> subprocess.Popen:
    """The robot as the service starts it (`--data-file`, or `--data` with `inline`; in a
    process group of its own with `new_group`)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    if inline:
        source = ["--data", text]
    else:
        data_file = data_dir.parent / f"input_{session}.json"
        data_file.write_text(text)
        data_file.chmod(0o600)
        source = ["--data-file", str(data_file)]
    return subprocess.Popen(
        [sys.executable, str(ROBOT), *source, "--session", session, "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        start_new_session=new_group,
    )


@dataclass
class Interrupted:
    """How a robot ended after something was done to it mid-run."""

    code: int
    last_line: dict
    progress: dict
    history: dict
    tree: set  # (pid, start time) of its processes just before the interruption
    seconds: float  # from the interruption to the exit

    def survivors(self) -> list:
        return [i for i in self.tree if proctree.is_alive(i)]


def interrupt_mid_run(
    portal_url: str, data_dir: Path, etapa: int, act, *, inline: bool = False, new_group: bool = False, **env_extra
) -> Interrupted:
    """Starts a robot, waits until it reaches `etapa` with its browser up, calls
    `act(proc, tree)` and waits (bounded) for the robot to end."""
    proc = start_robot(
        quote_input(), data_dir, "s", robot_env(portal_url, **env_extra), inline=inline, new_group=new_group
    )
    progress = data_dir / "progress_s.json"
    try:
        wait_for(
            lambda: progress.exists() and json.loads(progress.read_text())["etapa_atual"] == etapa, 90, f"etapa {etapa}"
        )
        tree = wait_for(
            lambda: (lambda t: t if len(t) >= 3 else None)(proctree.tree_identities(proc.pid)), 60, "o navegador"
        )
        started = time.monotonic()
        act(proc, tree)
        out, _ = proc.communicate(timeout=60)
        seconds = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return Interrupted(
        proc.returncode,
        json.loads(out.strip().splitlines()[-1]),
        json.loads(progress.read_text()),
        json.loads((data_dir / "history_s.json").read_text()),
        tree,
        seconds,
    )


def run_robot(
    data, tmp_path: Path, portal_url: str, session: str = "sessao_teste", timeout: float = 180, **env_extra
) -> RobotRun:
    data_dir = tmp_path / "dados"
    data_dir.mkdir(parents=True, exist_ok=True)
    watcher = SnapshotWatcher(data_dir, session)
    watcher.start()
    started = time.monotonic()
    proc = start_robot(data, data_dir, session, robot_env(portal_url, **env_extra))
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        watcher.stop()
    return RobotRun(proc.returncode, out, err, data_dir, session, time.monotonic() - started, watcher)


def check_snapshots(run: RobotRun) -> None:
    w = run.watcher
    assert w.reads > 0, "o leitor de snapshots não chegou a ler nada durante a execução"
    assert not w.invalid, f"snapshot inválido lido durante a execução: {w.invalid[:3]}"
    # History is append-only: each version extends the previous one.
    versions = w.versions["history"] + [run.history]
    for before, after in zip(versions, versions[1:]):
        n = len(before["historico"])
        assert after["historico"][:n] == before["historico"], "o histórico foi reescrito"
    progress = run.progress
    assert progress["status"] in ("success", "error")
    assert run.history["status_final"] == progress["status"]
    assert run.history["historico"][-1]["etapa"] == "final"
    assert run.result["status"] == progress["status"]
    assert 0 <= progress["etapa_atual"] <= 15 and isinstance(progress["etapa_atual"], int)
    assert progress["percentual"] == round(progress["etapa_atual"] / 15 * 100, 2)
    for erro in progress["erros"]:
        assert {"tipo", "mensagem", "sugestao", "timestamp"} <= set(erro)
    # No personal data anywhere in what the service reads or logs.
    exposed = "".join(p.read_text() for p in run.data_dir.glob(f"*_{run.session}.json"))
    exposed += run.stdout + run.stderr
    for value in PERSONAL_VALUES:
        assert value not in exposed, f"dado pessoal exposto: {value[:4]}…"
    for kind in ("progress", "history", "result"):
        for doc in [*w.versions[kind], getattr(run, kind)]:
            check_snapshot_contract(kind, doc)
    last = run.last_line
    assert set(last) == {"status", "codigo", "tipo", "mensagem"}
    assert last["status"] == ("success" if run.code == 0 else "error")


# -- the robot's own page, in process -----------------------------------------------------------


def in_robot_page(work, timeout: float = 120, **settings_env: str):
    """`await work(page, settings)` in the robot's own browser and page (`open_page`, the
    project's Chromium flags), on a loop in a thread of its own (another suite's sync Playwright
    may own this thread's loop); returns what `work` returns."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from cotacao.browser import open_page
    from cotacao.config import load_settings

    async def main():
        settings = load_settings(
            {
                "RPA_PORTAL_URL": "http://127.0.0.1:9/imediatosolucoes",
                "RPA_PORTAL_EMAIL": BROKER_EMAIL,
                "RPA_PORTAL_SENHA": BROKER_SENHA,
                **settings_env,
            }
        )
        async with open_page(settings) as page:
            return await work(page, settings)

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result(timeout=timeout)


# -- the simulated portal -------------------------------------------------------------------

# The binary `cargo build` produced: under CARGO_TARGET_DIR when set (relative paths are taken
# from the repository, where cargo runs), else the repository's target/.
TARGET = REPO / os.environ.get("CARGO_TARGET_DIR", "target") / "debug"
SIM_PORTAL = TARGET / "sim-portal"


class Portal:
    """A real sim-portal process on a free 127.0.0.1 port."""

    def __init__(self, *args: str, delay_scale: float = 0):
        if not SIM_PORTAL.exists():
            pytest.fail(f"{SIM_PORTAL} não existe: rode scripts/setup.sh (cargo build --bins)")
        self.proc = subprocess.Popen(
            [
                str(SIM_PORTAL),
                "--port",
                "0",
                "--delay-scale",
                str(delay_scale),
                "--email",
                BROKER_EMAIL,
                "--senha",
                BROKER_SENHA,
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline()
        if "http://" not in line:
            self.close()
            pytest.fail(f"sim-portal não iniciou: {line!r}")
        self.base = line.strip().split()[-1].rstrip("/")
        self.url = f"{self.base}/imediatosolucoes"

    def api(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        req = urllib.request.Request(
            self.base + path, method=method, data=None if body is None else json.dumps(body).encode()
        )
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def expected_plans(self, placa: str, tipo: str = "carro") -> dict:
        """The plans the portal's API gives for the plate once logged in, in the contract's
        shape (the premium gets its "R$ " like the other amounts)."""
        calc = self.api("POST", "/api/calculo", {"placa": placa, "tipo": tipo, "cpf": "52998224725"})
        token = self.api("POST", "/api/login", {"email": BROKER_EMAIL, "senha": BROKER_SENHA})["token"]
        answer = wait_for(
            lambda: (lambda a: a if a["estado"] == "concluido" else None)(
                self.api("GET", f"/api/calculo/{calc['id']}", token=token)
            ),
            120,
            "o cálculo do portal",
        )
        planos = answer["planos"]
        for plan in planos.values():
            plan["valor"] = f"R$ {plan['valor']}"
            plan["parcelamento"] = "anual"
        return planos

    def expected_estimate(self, placa: str, tipo: str = "carro") -> list[dict]:
        def brl(reais: int) -> str:
            return "R$ " + f"{reais:,}".replace(",", ".") + ",00"

        data = self.api("GET", f"/api/estimativa?placa={placa}&tipo={tipo}")
        return [
            {
                "nome_cobertura": c["nome"],
                "valores": {"de": brl(c["de"]), "ate": brl(c["ate"])},
                "beneficios": [{"nome": b, "status": "incluido"} for b in c["beneficios"]],
            }
            for c in data["coberturas"]
        ]

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def evidence_files(run) -> dict[str, Path]:
    """The failure evidence of a run, by suffix ("html", "png")."""
    return {p.suffix[1:]: p for p in run.data_dir.glob("falha_*")}


def pixels_of_colour(png: Path, rgb: tuple[int, int, int]) -> int:
    """How many pixels of a PNG have exactly `rgb`, counted by Chromium itself (a canvas)."""
    import base64

    from cotacao.config import CHROMIUM_FLAGS, DEFAULT_CHROMIUM
    from playwright.sync_api import sync_playwright

    src = "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM,
            args=list(CHROMIUM_FLAGS),
            headless=True,
        )
        try:
            page = browser.new_page()
            return page.evaluate(
                """async ([src, rgb]) => {
                    const img = new Image();
                    img.src = src;
                    await img.decode();
                    const canvas = new OffscreenCanvas(img.width, img.height);
                    const ctx = canvas.getContext('2d');
                    ctx.drawImage(img, 0, 0);
                    const d = ctx.getImageData(0, 0, img.width, img.height).data;
                    let n = 0;
                    for (let i = 0; i < d.length; i += 4) {
                        if (d[i] === rgb[0] && d[i + 1] === rgb[1] && d[i + 2] === rgb[2]) n++;
                    }
                    return n;
                }""",
                [src, list(rgb)],
            )
        finally:
            browser.close()
