#!/usr/bin/env python3
"""Robots on a shared browser killed with SIGKILL mid-quote, their whole process group at once as
the service's hard limit does, N times (default 100), at a random moment from 0 to 6 s after the
start (before connecting, while creating the context, on any screen up to the 10th, where the
portal stalls). The shared browser is the service's (`--modo servidor`, `RPA_BROWSER_SERVER`: its
server closes a dropped connection's contexts) or a Chromium with a DevTools port (`--modo cdp`,
`RPA_BROWSER_ENDPOINT`: Chromium disposes them). After each kill: how long until the robot's page
is gone (server: Chromium's renderers back to the idle count; CDP: `Target.getBrowserContexts`
empty and `GET /json/list` back to the pages it had before), bounded; at the end: what is left,
whether the browser is still up, robot processes left alive, and the empty temporary directories
the killed drivers could not remove.

Uso: .venv/bin/python bench/shared_browser_kills.py [--mortes 100] [--janela-s 6] [--modo servidor|cdp]
(requer o sim-portal de `cargo build` (CARGO_TARGET_DIR respeitado) e o .venv de
scripts/setup.sh; roda só em 127.0.0.1)."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rpa"))

from cotacao import proctree
from cotacao.browser_server_process import BrowserServer
from cotacao.devtools import SharedChromium
from robot_run import EMAIL, INPUT, PYTHON, REPO, ROBOT, SENHA, SIM_PORTAL
from shared_browser import shared_variable

DISPOSE_BOUND_S = 15.0
SURVIVOR_BOUND_S = 5.0


def start_portal() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [str(SIM_PORTAL), "--port", "0", "--delay-scale", "0", "--fault", "10:slow:300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    return proc, proc.stdout.readline().strip().split()[-1].rstrip("/") + "/imediatosolucoes"


def etapa(data_dir: Path) -> int | None:
    try:
        return json.loads((data_dir / "progress_k.json").read_text())["etapa_atual"]
    except (FileNotFoundError, ValueError, KeyError):
        return None


class Held:
    """What a shared browser holds of the robots, seen from outside: renderers beyond the idle
    ones (the server's Chromium has no DevTools port), or contexts and pages (CDP)."""

    def __init__(self, chromium):
        self.chromium = chromium
        self.server = isinstance(chromium, BrowserServer)
        self.idle = len(chromium.renderers()) if self.server else {t["id"] for t in chromium.page_targets()}

    def busy(self) -> bool:
        if self.server:
            return len(self.chromium.renderers()) > self.idle
        return bool(self.chromium.contexts())

    def clean(self) -> bool:
        if self.server:
            return len(self.chromium.renderers()) <= self.idle
        return self.chromium.contexts() == [] and {t["id"] for t in self.chromium.page_targets()} == self.idle

    def left(self) -> tuple[str, int]:
        """(contexts left, or "—" where they cannot be seen; pages left)."""
        if self.server:
            return "—", max(0, len(self.chromium.renderers()) - self.idle)
        pages = [t for t in self.chromium.page_targets() if t["id"] not in self.idle]
        return str(len(self.chromium.contexts())), len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description="SIGKILL de robôs no Chromium compartilhado.")
    parser.add_argument("--mortes", type=int, default=100, help="quantas vezes (padrão 100)")
    parser.add_argument(
        "--janela-s",
        type=float,
        default=6.0,
        help="a morte cai num instante aleatório de 0 a este valor após a partida",
    )
    parser.add_argument("--semente", type=int, default=1)
    parser.add_argument("--modo", choices=("servidor", "cdp"), default="servidor")
    args = parser.parse_args()
    rng = random.Random(args.semente)

    work = Path(tempfile.mkdtemp(prefix="bench_mortes_"))
    tmp = work / "tmp"
    tmp.mkdir()
    data = work / "entrada.json"
    data.write_text(json.dumps(INPUT, ensure_ascii=False))
    portal, portal_url = start_portal()
    chromium = BrowserServer() if args.modo == "servidor" else SharedChromium()
    held = Held(chromium)
    env = {
        "PATH": "/usr/bin:/bin",
        "RPA_PORTAL_URL": portal_url,
        "RPA_PORTAL_EMAIL": EMAIL,
        "RPA_PORTAL_SENHA": SENHA,
        "TMPDIR": str(tmp),
        **shared_variable(chromium),
    }
    dispose, at_etapa, not_clean, survivors, had_context = [], [], 0, 0, 0
    started_all = time.monotonic()
    try:
        for i in range(args.mortes):
            data_dir = work / f"d{i}"
            proc = subprocess.Popen(
                [str(PYTHON), str(ROBOT), "--data-file", str(data), "--session", "k", "--data-dir", str(data_dir)],
                env=env,
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            deadline = time.monotonic() + rng.uniform(0, args.janela_s)
            while time.monotonic() < deadline and proc.poll() is None:  # bounded by the deadline
                time.sleep(0.02)
            had_context += held.busy()
            at_etapa.append(etapa(data_dir))
            group = proctree.tree_identities(proc.pid) | {proctree.identity(proc.pid)} - {None}
            killed_at = time.monotonic()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(30)
            limit = killed_at + DISPOSE_BOUND_S
            while time.monotonic() < limit:
                if held.clean():
                    dispose.append(time.monotonic() - killed_at)
                    break
                time.sleep(0.02)
            else:
                not_clean += 1
            # A process killed a moment ago may still be tearing down on a loaded machine.
            limit = time.monotonic() + SURVIVOR_BOUND_S
            while any(proctree.is_alive(x) for x in group) and time.monotonic() < limit:
                time.sleep(0.02)
            survivors += sum(proctree.is_alive(x) for x in group)
            shutil.rmtree(data_dir, ignore_errors=True)
        total = time.monotonic() - started_all
        contexts_left, pages_left = held.left()
        alive = chromium.alive()
        leftover_dirs = sorted(p.name.rsplit("-", 1)[0] for p in tmp.iterdir())
    finally:
        chromium.close()
        portal.terminate()
        portal.wait(10)
        shutil.rmtree(work, ignore_errors=True)

    etapas = [e for e in at_etapa if e is not None]
    print(
        f"{args.mortes} robôs mortos com SIGKILL (grupo inteiro) em {total:.0f} s; "
        f"{had_context} deles já tinham uma página no navegador compartilhado ({args.modo}) no momento da morte"
    )
    print(
        f"- etapa no momento da morte: sem snapshot {at_etapa.count(None)}, "
        + ", ".join(f"{e}: {etapas.count(e)}" for e in sorted(set(etapas)))
    )
    if dispose:
        print(
            f"- página descartada em: mediana {statistics.median(dispose) * 1000:.0f} ms, "
            f"máx {max(dispose) * 1000:.0f} ms ({len(dispose)} de {args.mortes})"
        )
    print(f"- mortes sem limpeza em {DISPOSE_BOUND_S:g} s: {not_clean}")
    print(
        f"- ao fim: contextos sobrando {contexts_left}, páginas sobrando {pages_left}, "
        f"navegador compartilhado {'no ar' if alive else 'CAIU'}, processos de robô vivos "
        f"{SURVIVOR_BOUND_S:g} s após a morte {survivors}"
    )
    kinds = {k: leftover_dirs.count(k) for k in sorted(set(leftover_dirs))}
    print(
        f"- diretórios temporários deixados pelos drivers mortos: {len(leftover_dirs)}"
        + (f" ({', '.join(f'{k}: {v}' for k, v in kinds.items())})" if kinds else "")
    )


if __name__ == "__main__":
    main()
