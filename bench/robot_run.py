#!/usr/bin/env python3
"""Figures for the quote robot against the simulated portal (no assertions, only numbers):

1. wall time of one full quote at delay scale 0 (median of a few runs);
2. wall time of one full quote at delay scale 1 (the real portal's timings), the portal's
   scheduled delays for that run, and the difference (the robot's own overhead);
3. peak memory of the robot's process tree (Python + Playwright driver + Chromium, sum of RSS
   sampled from /proc), for 1 robot and for 4 and 10 robots at once.

Uso: .venv/bin/python bench/robot_run.py [--so-escala-0] [--escala-concorrencia 0.1]
(requer target/debug/sim-portal e o .venv de scripts/setup.sh; roda só em 127.0.0.1)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "rpa"))

from cotacao import proctree  # noqa: E402

ROBOT = REPO / "rpa" / "executar_imediato_playwright.py"
PYTHON = REPO / ".venv" / "bin" / "python"
SIM_PORTAL = REPO / os.environ.get("CARGO_TARGET_DIR", "target") / "debug" / "sim-portal"
EMAIL, SENHA = "corretor@example.com", "senha-de-teste"

# Synthetic quote (plate ABC1D23: no Zero KM, no previous broker, success).
INPUT = json.loads((REPO / "rpa" / "exemplo_entrada.json").read_text(encoding="utf-8"))

# Page-side waits of the simulated portal at scale 1 (portal/README.md, "Tempos").
TRANSITION_MS, LOGIN_OVERLAY_MS, ESTIMATE_MS, LOGIN_MS = 300, 1_000, 5_000, 800


class Portal:
    def __init__(self, scale: float):
        self.proc = subprocess.Popen(
            [str(SIM_PORTAL), "--port", "0", "--delay-scale", str(scale)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.base = self.proc.stdout.readline().strip().split()[-1].rstrip("/")
        self.url = self.base + "/imediatosolucoes"

    def delay_ms(self, method: str, path: str, body: dict | None = None) -> int:
        """The delay the portal schedules for this request (header x-sim-atraso-ms)."""
        req = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=120) as resp:
            return int(resp.headers["x-sim-atraso-ms"])

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)


class MemorySampler(threading.Thread):
    """Peaks of the summed RSS and PSS of several process trees, sampled every 100 ms."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.peak, self.peak_pss, self.halt = pids, 0, 0, threading.Event()

    def run(self):
        while not self.halt.is_set():
            tree = proctree.children_map()  # one scan of /proc per tick, for every robot
            pids = [p for root in self.pids for p in (root, *proctree.descendants(root, tree))]
            self.peak = max(self.peak, sum(map(proctree.rss_bytes, pids)))
            self.peak_pss = max(self.peak_pss, sum(map(proctree.pss_bytes, pids)))
            time.sleep(0.1)


def start_robot(portal: Portal, work: Path, session: str) -> subprocess.Popen:
    data = work / f"in_{session}.json"
    data.write_text(json.dumps(INPUT, ensure_ascii=False))
    env = {"PATH": "/usr/bin:/bin", "RPA_PORTAL_URL": portal.url, "RPA_PORTAL_EMAIL": EMAIL, "RPA_PORTAL_SENHA": SENHA}
    return subprocess.Popen(
        [str(PYTHON), str(ROBOT), "--data-file", str(data), "--session", session, "--data-dir", str(work / "dados")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_robots(portal: Portal, count: int) -> tuple[float, tuple[int, int], list[int], Path]:
    """Starts `count` robots at once; returns (wall s, (peak RSS, peak PSS) of the trees in
    bytes, exit codes, work dir)."""
    work = Path(tempfile.mkdtemp(prefix="bench_robo_"))
    started = time.monotonic()
    procs = [start_robot(portal, work, f"b{i}") for i in range(count)]
    sampler = MemorySampler([p.pid for p in procs])
    sampler.start()
    codes = [p.wait() for p in procs]
    wall = time.monotonic() - started
    sampler.halt.set()
    sampler.join()
    return wall, (sampler.peak, sampler.peak_pss), codes, work


def history(work: Path, session: str) -> list[dict]:
    """The entries of a finished run's history snapshot."""
    return json.loads((work / "dados" / f"history_{session}.json").read_text())["historico"]


def step_times(hist: list[dict]) -> list[tuple[str, float]]:
    stamps = [(str(e["etapa"]), datetime.fromisoformat(e["timestamp"])) for e in hist]
    return [(a[0], (b[1] - a[1]).total_seconds()) for a, b in zip(stamps, stamps[1:])]


def scheduled_ms(portal: Portal, scale: float, hist: list[dict]) -> int:
    """The portal's own waits for the run: server delays (asked again of the same portal, which
    derives them from the plate and CEP) plus the page-side waits."""
    screens = len({e["etapa"] for e in hist if isinstance(e["etapa"], int)})
    server = (
        portal.delay_ms("GET", f"/api/veiculo?placa={INPUT['placa']}&tipo=carro")
        + portal.delay_ms("GET", f"/api/endereco?cep={INPUT['cep']}")
        + portal.delay_ms("POST", "/api/calculo", {"placa": INPUT["placa"], "tipo": "carro"})
    )
    page_side = (screens * TRANSITION_MS + LOGIN_OVERLAY_MS + ESTIMATE_MS + LOGIN_MS) * scale
    return int(server + page_side)


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def memory(peaks: tuple[int, int], count: int = 1) -> str:
    rss, pss = peaks
    each = f" (por robô: RSS {mib(rss // count)}, PSS {mib(pss // count)})" if count > 1 else ""
    return f"pico RSS somado {mib(rss)}, pico PSS somado {mib(pss)}{each}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Medições do robô contra o portal simulado.")
    parser.add_argument("--so-escala-0", action="store_true", help="pula a execução na escala 1 (~1–2 min)")
    parser.add_argument(
        "--escala-concorrencia",
        type=float,
        default=0.1,
        help="escala de atraso das execuções concorrentes (padrão 0.1)",
    )
    parser.add_argument("--repeticoes", type=int, default=3, help="execuções na escala 0 (padrão 3)")
    args = parser.parse_args()

    load = os.getloadavg()
    print(
        f"máquina: {os.cpu_count()} núcleos, carga média {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(1/5/15 min) no início"
    )
    portal = Portal(0)
    try:
        walls, peaks = [], []
        for _ in range(args.repeticoes):
            wall, peak, codes, _ = run_robots(portal, 1)
            assert codes == [0], f"execução falhou: {codes}"
            walls.append(wall)
            peaks.append(peak)
        print(
            f"escala 0: 1 cotação completa: mediana {statistics.median(walls):.2f} s "
            f"(mín {min(walls):.2f} s, máx {max(walls):.2f} s, {len(walls)} execuções); "
            f"árvore do robô: {memory(max(peaks))}"
        )
    finally:
        portal.close()

    if not args.so_escala_0:
        portal = Portal(1)
        try:
            wall, peak, codes, work = run_robots(portal, 1)
            hist = history(work, "b0")
            sched = scheduled_ms(portal, 1, hist) / 1000
            print(
                f"escala 1: 1 cotação completa: {wall:.1f} s (saída {codes[0]}); atrasos agendados pelo "
                f"portal {sched:.1f} s; sobrecarga do robô {wall - sched:.1f} s; {memory(peak)}"
            )
            print("  tempo por etapa (s): " + ", ".join(f"{k}={v:.1f}" for k, v in step_times(hist)))
        finally:
            portal.close()

    portal = Portal(args.escala_concorrencia)
    try:
        for count in (1, 4, 10):
            wall, peak, codes, _ = run_robots(portal, count)
            ok = sum(c == 0 for c in codes)
            print(
                f"escala {args.escala_concorrencia:g} (carga {os.getloadavg()[0]:.1f}): {count:2d} robôs ao mesmo tempo: {wall:.1f} s, "
                f"{ok}/{count} com sucesso; {memory(peak, count)}"
            )
    finally:
        portal.close()


if __name__ == "__main__":
    main()
