#!/usr/bin/env python3
"""Figures for how the robot reads the portal (no assertions, only numbers):

1. `--custo` (padrão): the robot's added time per quote from the second reading of the estimate
   and of the plans (the text reader and the comparison of the two readings) and from the
   per-screen fingerprints. The quote runs in-process against the simulated portal at delay
   scale 0, with those calls timed; median of N quotes (10 by default).
2. `--variantes [--robo DIR]`: for each layout of the result page (`--variante-resultado`), does
   the robot in DIR (default: this repository's rpa/) end the quote with exactly the portal's
   plans? One run per layout and plate (ABC1D23, BRA2E19). To measure a robot of another commit:
   `git worktree add /tmp/antes COMMIT`, then `--robo /tmp/antes/rpa`, then
   `git worktree remove /tmp/antes`.

Uso: .venv/bin/python bench/robot_reading.py [--custo] [--quotes 10] [--variantes [--robo DIR]]
(requer o sim-portal compilado — em $CARGO_TARGET_DIR/debug ou target/debug — e o .venv de
scripts/setup.sh; roda só em 127.0.0.1)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
SIM_PORTAL = REPO / os.environ.get("CARGO_TARGET_DIR", "target") / "debug" / "sim-portal"
EMAIL, SENHA = "corretor@example.com", "senha-de-teste"
INPUT = json.loads((REPO / "rpa" / "exemplo_entrada.json").read_text(encoding="utf-8"))
VARIANTS = ["padrao", "rotulos-no-cartao", "sem-coluna-de-rotulos", "linhas-em-lista", "botoes-em-rotulos"]
PLATES = ["ABC1D23", "BRA2E19"]


class Portal:
    def __init__(self, *args: str):
        self.proc = subprocess.Popen(
            [str(SIM_PORTAL), "--port", "0", "--delay-scale", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.base = self.proc.stdout.readline().strip().split()[-1].rstrip("/")
        self.url = self.base + "/imediatosolucoes"

    def api(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        req = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())

    def expected_plans(self, placa: str) -> dict:
        calc = self.api("POST", "/api/calculo", {"placa": placa, "tipo": "carro", "cpf": INPUT["cpf"]})
        token = self.api("POST", "/api/login", {"email": EMAIL, "senha": SENHA})["token"]
        for _ in range(600):
            answer = self.api("GET", f"/api/calculo/{calc['id']}", token=token)
            if answer["estado"] == "concluido":
                break
            time.sleep(0.05)
        planos = answer["planos"]
        for plan in planos.values():
            plan["valor"] = f"R$ {plan['valor']}"
            plan["parcelamento"] = "anual"
        return planos

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)


# -- 1. added cost per quote -----------------------------------------------------------------


def cost(quotes: int) -> None:
    os.environ.update(RPA_PORTAL_EMAIL=EMAIL, RPA_PORTAL_SENHA=SENHA)
    sys.path.insert(0, str(REPO / "rpa"))
    from cotacao.cli import Ending
    from cotacao.config import load_settings
    from cotacao.flow import run_quote
    from cotacao.inputs import parse_input
    from cotacao.reading import estimate as estimates
    from cotacao.reading import plans
    from cotacao.reading import twice as reading
    from cotacao.screens import base
    from cotacao.tracker import Tracker

    spent = {"impressoes": 0.0, "texto_estimativa": 0.0, "texto_planos": 0.0, "comparacao": 0.0}
    counts = {"impressoes": 0}

    def timed(key, fn, count=False):
        async def wrapper(*a, **kw):
            started = time.perf_counter()
            try:
                return await fn(*a, **kw)
            finally:
                spent[key] += time.perf_counter() - started
                if count:
                    counts[key] += 1

        return wrapper

    def timed_sync(key, fn):
        def wrapper(*a, **kw):
            started = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                spent[key] += time.perf_counter() - started

        return wrapper

    base.fingerprint = timed("impressoes", base.fingerprint, count=True)
    estimates.read_by_text = timed("texto_estimativa", estimates.read_by_text)
    plans.read_by_text = timed("texto_planos", plans.read_by_text)
    plans.differences = timed_sync("comparacao", plans.differences)
    estimates.differences = timed_sync("comparacao", estimates.differences)
    reading.log.setLevel("WARNING")

    portal = Portal()
    os.environ["RPA_PORTAL_URL"] = portal.url
    rows = []
    try:
        settings = load_settings()
        for i in range(quotes):
            for k in spent:
                spent[k] = 0.0
            counts["impressoes"] = 0
            work = Path(tempfile.mkdtemp(prefix="bench_leitura_"))
            tracker = Tracker(work, f"b{i}")
            ending = Ending(tracker)
            started = time.perf_counter()
            planos = asyncio.run(run_quote(settings, parse_input(dict(INPUT)), tracker, ending))
            wall = time.perf_counter() - started
            assert planos and planos["plano_recomendado"]["valor"], "cotação sem planos"
            rows.append((wall, dict(spent), counts["impressoes"]))
    finally:
        portal.close()

    def med(values):
        return statistics.median(values) * 1000

    fps = [r[1]["impressoes"] for r in rows]
    text = [r[1]["texto_estimativa"] + r[1]["texto_planos"] + r[1]["comparacao"] for r in rows]
    total = [a + b for a, b in zip(fps, text)]
    print(f"custo acrescentado por cotação (escala 0, {quotes} cotações em processo, mediana):")
    print(f"  impressões digitais: {med(fps):.1f} ms ({rows[0][2]} telas; {med(fps) / rows[0][2]:.1f} ms por tela)")
    print(
        f"  segunda leitura (texto) da estimativa: {med([r[1]['texto_estimativa'] for r in rows]):.1f} ms; "
        f"dos planos: {med([r[1]['texto_planos'] for r in rows]):.1f} ms; comparação: "
        f"{med([r[1]['comparacao'] for r in rows]):.2f} ms"
    )
    print(
        f"  total: {med(total):.1f} ms (mín {min(total) * 1000:.1f}, máx {max(total) * 1000:.1f}); "
        f"cotação completa: mediana {statistics.median(r[0] for r in rows):.2f} s"
    )


# -- 2. pass/fail per result layout ----------------------------------------------------------


def variants(robot_dir: Path) -> None:
    robot = robot_dir / "executar_imediato_playwright.py"
    print(f"robô: {robot}")
    for variant in VARIANTS:
        portal = Portal("--variante-resultado", variant)
        try:
            for placa in PLATES:
                work = Path(tempfile.mkdtemp(prefix="bench_variante_"))
                data = work / "entrada.json"
                data.write_text(json.dumps({**INPUT, "placa": placa}, ensure_ascii=False))
                env = {
                    "PATH": "/usr/bin:/bin",
                    "RPA_PORTAL_URL": portal.url,
                    "RPA_PORTAL_EMAIL": EMAIL,
                    "RPA_PORTAL_SENHA": SENHA,
                    "RPA_TIMEOUT_RESULTADO_S": "20",
                }
                proc = subprocess.run(
                    [
                        str(PYTHON),
                        str(robot),
                        "--data-file",
                        str(data),
                        "--session",
                        "v",
                        "--data-dir",
                        str(work / "dados"),
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                last = json.loads(proc.stdout.strip().splitlines()[-1])
                got = json.loads((work / "dados" / "result_v.json").read_text())["dados_finais"]
                expected = portal.expected_plans(placa)
                if proc.returncode == 0 and got == expected:
                    verdict = "passa"
                elif proc.returncode == 0:
                    wrong = [
                        f"{k}.{f}" for k in expected for f in expected[k] if got.get(k, {}).get(f) != expected[k][f]
                    ]
                    verdict = f"FALHA: planos errados ({', '.join(wrong[:6])})"
                else:
                    verdict = f"FALHA: saída {proc.returncode}, {last.get('tipo')}"
                print(f"  {variant:24s} {placa}: {verdict}")
        finally:
            portal.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Custo da leitura dupla e das impressões digitais; variantes do resultado."
    )
    parser.add_argument("--custo", action="store_true", help="mede o custo acrescentado por cotação (padrão)")
    parser.add_argument("--quotes", type=int, default=10, help="cotações medidas (padrão 10)")
    parser.add_argument("--variantes", action="store_true", help="passa/falha do robô em cada leiaute do resultado")
    parser.add_argument("--robo", type=Path, default=REPO / "rpa", help="diretório rpa/ do robô (padrão: este)")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"máquina: {os.cpu_count()} núcleos, carga média {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)")
    if args.variantes:
        variants(args.robo.resolve())
    if args.custo or not args.variantes:
        cost(args.quotes)


if __name__ == "__main__":
    main()
