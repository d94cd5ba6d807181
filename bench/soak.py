#!/usr/bin/env python3
"""Bounded soak of the whole product (figures only, no assertions): the real `rpa-v4 serve` with
its shared, supervised Chromium, the real robot and the simulated portal at delay scale 0, N
quotes (500 by default) on S slots (8), a share of them (10 %) meeting an injected portal fault
(plates starting with ERR: the plate lookup answers HTTP 500, every time).

It prints, while it runs and at the end:
- how every quote ended (all must be terminal), and the wall time;
- the service's RSS and open file descriptors, first and last samples (they should stay flat);
- what is left behind once the queue is empty: robot processes, browsers, pages in the browser;
- the browser recycles and restarts (health `navegador`).

It stands in for a 24 h stability test. In production, the same figures over a day come from
`GET /metrics` and `GET /api/rpa/health`; to run this longer here:
    .venv/bin/python bench/soak.py --cotacoes 20000 --limite-s 90000

Uso: .venv/bin/python bench/soak.py [--cotacoes 500] [--slots 8] [--falhas 0.1]
     [--reciclar-a-cada 100] [--limite-s 5400]
(requer target/debug/rpa-v4 e sim-portal, ou CARGO_TARGET_DIR; só 127.0.0.1)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / os.environ.get("CARGO_TARGET_DIR", "target") / "debug"
EMAIL, SENHA = "corretor@example.com", "senha-de-teste"


def plate(n: int, fault: bool) -> str:
    """A distinct Mercosul-shaped plate per quote; ERR… for an injected fault."""
    letters = string.ascii_uppercase.replace("Z", "").replace("M", "")  # not ZZZ (unknown), not MAN (manual)
    first = "ERR" if fault else "Q" + letters[n % 24] + letters[(n // 24) % 24]
    return f"{first}{n % 10}{letters[(n // 10) % 24]}{(n // 240) % 100:02d}"


def person(n: int, fault: bool) -> dict:
    return {
        "cpf": "529.982.247-25",
        "nome": "FULANO DE TAL",
        "placa": plate(n, fault),
        "cep": "01310-100",
        "email": "fulano@example.com",
        "telefone": "(11) 98765-4321",
        "data_nascimento": "15/03/1985",
        "sexo": "Masculino",
        "estado_civil": "Solteiro",
    }


def get(url: str) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        return json.loads(e.read() or b"null")


def post(url: str, body: dict) -> int:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def pids_matching(pattern: str) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if re.search(pattern, cmd):
                out.append(int(d.name))
    return out


def sample(pid: int) -> tuple[int, int]:
    """(RSS in KiB, open descriptors) of a process."""
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def pages_left(service_pid: int) -> int:
    """Page targets other than the start page in the service's browsers (DevTools /json/list)."""
    n = 0
    for active in Path(tempfile.gettempdir()).glob(f"rpa-v4-navegador-{service_pid}-*/DevToolsActivePort"):
        port = active.read_text().split()[0]
        for t in get(f"http://127.0.0.1:{port}/json/list"):
            if t.get("type") == "page" and t.get("url") != "about:blank":
                n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cotacoes", type=int, default=500)
    ap.add_argument("--slots", type=int, default=8)
    ap.add_argument("--falhas", type=float, default=0.10)
    ap.add_argument("--reciclar-a-cada", type=int, default=100)
    ap.add_argument("--limite-s", type=float, default=5400)
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="rpa-soak-"))
    portal = subprocess.Popen(
        [str(TARGET / "sim-portal"), "--port", "0", "--delay-scale", "0"],
        stdout=subprocess.PIPE,
        stderr=open(tmp / "portal.log", "w"),
        text=True,
        env=dict(os.environ, SIM_PORTAL_EMAIL=EMAIL, SIM_PORTAL_SENHA=SENHA),
    )
    portal_url = re.search(r"http://127\.0\.0\.1:\d+", portal.stdout.readline()).group(0) + "/imediatosolucoes"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(
        RPA_LISTEN="127.0.0.1:0",
        RPA_METRICS_LISTEN="desligado",
        RPA_DB=str(tmp / "rpa.db"),
        RPA_DATA_DIR=str(tmp / "jobs"),
        RPA_SLOTS=str(a.slots),
        RPA_QUEUE_LIMIT=str(a.cotacoes + 10),
        RPA_RATE_LIMIT_PER_MIN="0",
        RPA_COMMAND=f"{REPO / '.venv/bin/python'} {REPO / 'rpa/executar_imediato_playwright.py'}",
        RPA_DEFAULTS_FILE=str(REPO / "config/defaults.json"),
        RPA_STATIC_DIR=str(REPO / "static"),
        RPA_PORTAL_URL=portal_url,
        RPA_PORTAL_EMAIL=EMAIL,
        RPA_PORTAL_SENHA=SENHA,
        RPA_BROWSER_SHARED="1",
        RPA_BROWSER_RECYCLE_CONTEXTS=str(a.reciclar_a_cada),
        RPA_JOB_TIMEOUT_S="240",
        RUST_LOG="warn",
    )
    service = subprocess.Popen(
        [str(TARGET / "rpa-v4"), "serve"],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(tmp / "service.log", "w"),
        text=True,
    )
    base = service.stdout.readline().strip().split(" em ", 1)[1]
    start = time.monotonic()
    try:
        faults = 0
        every = round(1 / a.falhas) if a.falhas > 0 else 0  # faults spread evenly
        for n in range(a.cotacoes):
            fault = bool(every) and n % every == every - 1
            faults += fault
            code = post(base + "/api/rpa/start", person(n, fault))
            if code != 200:
                print(f"pedido {n}: HTTP {code}", file=sys.stderr)
        print(
            f"{a.cotacoes} cotações enfileiradas ({faults} com falha injetada), {a.slots} slots; serviço pid {service.pid}"
        )
        samples = [(0.0, *sample(service.pid))]
        db = sqlite3.connect(f"file:{tmp / 'rpa.db'}?mode=ro", uri=True, timeout=30)
        while True:
            (done,) = db.execute("SELECT count(*) FROM jobs WHERE status IN ('success', 'error')").fetchone()
            t = time.monotonic() - start
            samples.append((t, *sample(service.pid)))
            if len(samples) % 6 == 0:
                print(
                    f"  {t:7.0f} s  {done}/{a.cotacoes} terminadas  RSS {samples[-1][1] / 1024:.1f} MiB  fds {samples[-1][2]}",
                    flush=True,
                )
            if done >= a.cotacoes or t > a.limite_s:
                break
            time.sleep(5)
        wall = time.monotonic() - start
        outcomes = db.execute(
            "SELECT status, coalesce(error_tipo, ''), count(*) FROM jobs GROUP BY 1, 2 ORDER BY 3 DESC"
        ).fetchall()
        (attempts,) = db.execute("SELECT count(*) FROM attempts").fetchone()
        # Once the queue is empty: what is left?
        time.sleep(2)
        robots = pids_matching(r"executar_imediato_playwright\.py --data-file")
        browsers = [
            p
            for p in pids_matching(rf"rpa-v4-navegador-{service.pid}-")
            if "--type=" not in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
        ]
        health = get(base + "/api/rpa/health")
        print()
        print("| medida | valor |\n|---|---|")
        print(f"| cotações terminadas | {done} de {a.cotacoes} em {wall:.0f} s ({attempts} execuções do robô) |")
        for status, tipo, count in outcomes:
            print(f"| {status} {tipo} | {count} |")
        print(
            f"| RSS do serviço, primeira → última amostra | {samples[0][1] / 1024:.1f} → {samples[-1][1] / 1024:.1f} MiB (máx. {max(s[1] for s in samples) / 1024:.1f}) |"
        )
        print(
            f"| descritores abertos do serviço, primeira → última | {samples[0][2]} → {samples[-1][2]} (máx. {max(s[2] for s in samples)}) |"
        )
        print(f"| robôs vivos depois | {len(robots)} |")
        print(f"| navegadores vivos depois | {len(browsers)} |")
        print(f"| páginas deixadas no navegador | {pages_left(service.pid)} |")
        nav = health.get("navegador", {})
        print(
            f"| navegador: iniciados / reciclagens / reinícios / contextos | {nav.get('iniciados')} / {nav.get('reciclagens')} / {nav.get('reinicios')} / {nav.get('contextos')} |"
        )
        print(f"| health ao fim | {health.get('status')}: {'; '.join(health.get('motivos', []))} |")
    finally:
        service.terminate()
        try:
            service.wait(60)
        except subprocess.TimeoutExpired:
            service.kill()
        portal.terminate()
        portal.wait(10)
    print(f"\n(diretório da execução: {tmp})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
