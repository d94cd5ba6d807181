#!/usr/bin/env python3
"""Figures for the simulated portal (no assertions, only numbers): latency of its JSON lookups at
delay scale 0 (sequential and with 10 concurrent clients), the time to load the page, and the
server's resident memory before and after the load. Bounded: a fixed number of requests.

Uso: .venv/bin/python bench/sim_portal.py [--requisicoes 2000]
(requer target/debug/sim-portal, de `cargo build --bin sim-portal`; roda só em 127.0.0.1)."""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "portal" / "tests"))

from sim_portal_process import Portal  # noqa: E402

PATHS = [
    "/api/veiculo?placa=ABC1D23",
    "/api/estimativa?placa=ABC1D23",
    "/api/endereco?cep=01310100",
    "/imediatosolucoes",
]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as r:
        r.read()
    return (time.perf_counter() - started) * 1000


def percentiles(samples: list[float]) -> str:
    s = sorted(samples)
    return f"p50 {statistics.median(s):.2f} ms, p95 {s[int(len(s) * 0.95) - 1]:.2f} ms, máx {s[-1]:.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requisicoes", type=int, default=2000, help="requisições por medida (máx. 20000)")
    n = min(ap.parse_args().requisicoes, 20_000)
    portal = Portal("--delay-scale", "0")
    try:
        base = portal.url
        rss_before = rss_kib(portal.proc.pid)
        seq = [timed_get(base + PATHS[i % len(PATHS)]) for i in range(n)]
        print(f"sequencial, {n} requisições: {percentiles(seq)}")

        lock = threading.Lock()
        conc: list[float] = []

        def worker(k: int) -> None:
            local = [timed_get(base + PATHS[(i + k) % len(PATHS)]) for i in range(n // 10)]
            with lock:
                conc.extend(local)

        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        print(f"10 clientes, {len(conc)} requisições em {wall:.2f} s ({len(conc) / wall:.0f}/s): {percentiles(conc)}")

        calc = portal.post("/api/calculo", {"placa": "ABC1D23"}).body
        print(
            f"cálculo criado: {calc['id'][:8]}…; memória do sim-portal: {rss_before} KiB antes, {rss_kib(portal.proc.pid)} KiB depois"
        )
    finally:
        portal.stop()


if __name__ == "__main__":
    main()
