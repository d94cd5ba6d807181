#!/usr/bin/env python3
"""The robot with its own Chromium per quote against one shared browser, side by side, for 1, 4,
10 and 20 quotes at once against the simulated portal (no assertions, only numbers; a markdown
table). The shared browser comes two ways: the service's browser server (`RPA_BROWSER_SERVER`:
Chromium over a pipe behind Playwright's server, as the service runs it) and a Chromium with a
DevTools port (`RPA_BROWSER_ENDPOINT`, as a browser on another machine is reached):

- peak of the summed PSS of everything involved (robots, their Playwright drivers, their own
  Chromiums or the shared one), sampled from /proc/PID/smaps_rollup over the process trees;
- PSS added per quote: the peak less the idle shared Chromium (own mode: the peak), divided by N;
- CPU seconds of all those processes (user + system, children included) per quote;
- wall time from the first start to the last exit, and how many quotes did not end with exit 0;

then, in shared mode, the time from the robot's start (fork) to the first request reaching the
portal (a local page that only records the time), with the shared Chromium idle and with 10
other contexts open on it; the own mode's for comparison.

Both shared browsers are started here as the service and an operator would, with the project's
flags. Every wait is bounded: a quote still running after --limite-s is killed (its
process group) and counted as a failure.

Uso: .venv/bin/python bench/shared_browser.py [--quantidades 1,4,10,20] [--escala 1]
     [--limite-s 900] [--partidas 5] [--modos próprio,servidor,cdp]
(requer o sim-portal de `cargo build` (CARGO_TARGET_DIR respeitado) e o .venv de
scripts/setup.sh; roda só em 127.0.0.1)."""

from __future__ import annotations

import argparse
import asyncio
import http.server
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rpa"))

from cotacao import proctree
from cotacao.browser_server_process import BrowserServer
from cotacao.devtools import SharedChromium
from robot_run import EMAIL, INPUT, PYTHON, REPO, ROBOT, SENHA, Portal

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU of one process (plus its waited-for children with `children`)."""
    fields = proctree._stat_fields(pid)
    if not fields:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


Shared = SharedChromium | BrowserServer | None


def browser_cpu(chromium: Shared) -> float:
    """The shared browser's CPU so far: its main process with the children it reaped, plus the
    live ones (the server's Node and the Chromium under it)."""
    if chromium is None:
        return 0.0
    return cpu_seconds(chromium.pid, children=True) + sum(cpu_seconds(p) for p in proctree.descendants(chromium.pid))


def shared_variable(chromium: Shared) -> dict:
    """How a robot is told to use `chromium`."""
    if isinstance(chromium, BrowserServer):
        return {"RPA_BROWSER_SERVER": chromium.endpoint}
    if isinstance(chromium, SharedChromium):
        return {"RPA_BROWSER_ENDPOINT": chromium.http_endpoint}
    return {}


def left_in(chromium: Shared, idle_renderers: int) -> int:
    """Contexts (CDP) or renderers beyond the idle ones (server) left after a row."""
    if isinstance(chromium, SharedChromium):
        return len(chromium.contexts())
    if isinstance(chromium, BrowserServer):
        return 0 if chromium.wait_renderers(idle_renderers) else len(chromium.renderers()) - idle_renderers
    return 0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class PssSampler(threading.Thread):
    """Peak of the summed PSS of the process trees of `roots` (the list may grow), every 0.5 s."""

    def __init__(self, roots: list[int], interval: float = 0.5):
        super().__init__(daemon=True)
        self.roots, self.interval, self.peak, self.halt = roots, interval, 0, threading.Event()

    def sample(self) -> int:
        tree = proctree.children_map()
        pids = {p for root in list(self.roots) for p in (root, *proctree.descendants(root, tree))}
        return sum(map(proctree.pss_bytes, pids))

    def run(self):
        while not self.halt.is_set():
            self.peak = max(self.peak, self.sample())
            self.halt.wait(self.interval)


def robot_env(portal_url: str, chromium: Shared, tmp: Path) -> dict:
    return {
        "PATH": "/usr/bin:/bin",
        "RPA_PORTAL_URL": portal_url,
        "RPA_PORTAL_EMAIL": EMAIL,
        "RPA_PORTAL_SENHA": SENHA,
        "TMPDIR": str(tmp),
        **shared_variable(chromium),
    }


def start_robot(work: Path, session: str, env: dict) -> subprocess.Popen:
    data = work / f"in_{session}.json"
    data.write_text(json.dumps(INPUT, ensure_ascii=False))
    return subprocess.Popen(
        [str(PYTHON), str(ROBOT), "--data-file", str(data), "--session", session, "--data-dir", str(work / "dados")],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_all(procs: list[subprocess.Popen], limit_s: float) -> list[int | None]:
    """Exit codes; a robot still running at the limit is killed with its group (None)."""
    deadline = time.monotonic() + limit_s
    codes: list[int | None] = []
    for proc in procs:
        try:
            codes.append(proc.wait(max(0.1, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            codes.append(None)
    return codes


def row(portal: Portal, count: int, chromium: Shared, limit_s: float) -> dict:
    """`count` quotes at once, own Chromiums (chromium None) or on a shared one."""
    work = Path(tempfile.mkdtemp(prefix="bench_compartilhado_"))
    (work / "tmp").mkdir()
    env = robot_env(portal.url, chromium, work / "tmp")
    roots: list[int] = [chromium.pid] if chromium else []
    idle_renderers = len(chromium.renderers()) if isinstance(chromium, BrowserServer) else 0
    idle = PssSampler(roots).sample() if chromium else 0
    sampler = PssSampler(roots)
    cpu_before = children_cpu() + browser_cpu(chromium)
    started = time.monotonic()
    procs = []
    for i in range(count):
        procs.append(start_robot(work, f"b{i}", env))
        roots.append(procs[-1].pid)
        if i == 0:
            sampler.start()
    codes = wait_all(procs, limit_s)
    wall = time.monotonic() - started
    sampler.halt.set()
    sampler.join()
    cpu = children_cpu() + browser_cpu(chromium) - cpu_before
    leftovers = left_in(chromium, idle_renderers)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "n": count,
        "peak": sampler.peak,
        "idle": idle,
        "added": (sampler.peak - idle) / count,
        "cpu": cpu / count,
        "wall": wall,
        "failed": sum(c != 0 for c in codes),
        "timeouts": codes.count(None),
        "contexts_left": leftovers,
    }


class FirstRequest(http.server.ThreadingHTTPServer):
    """A stand-in portal that records when its first request arrives."""

    daemon_threads = True

    def __init__(self):
        self.first: float | None = None
        self.arrived = threading.Event()
        super().__init__(("127.0.0.1", 0), _FirstRequestHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/imediatosolucoes"


class _FirstRequestHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.server.first is None:
            self.server.first = time.monotonic()
            self.server.arrived.set()
        body = b"<!doctype html><title>inicio</title><p>aguarde</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_to_first_request(chromium: Shared, runs: int) -> list[float]:
    """Seconds from the robot's fork to its first portal request, `runs` times."""
    times = []
    for i in range(runs):
        work = Path(tempfile.mkdtemp(prefix="bench_partida_"))
        (work / "tmp").mkdir()
        site = FirstRequest()
        threading.Thread(target=site.serve_forever, daemon=True).start()
        try:
            env = robot_env(site.url, chromium, work / "tmp")
            started = time.monotonic()
            proc = start_robot(work, f"p{i}", env)
            arrived = site.arrived.wait(60)
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            wait_all([proc], 30)
            if arrived:
                times.append(site.first - started)
        finally:
            site.shutdown()
            site.server_close()
            shutil.rmtree(work, ignore_errors=True)
    return times


async def _hold_contexts(chromium: Shared, url: str, count: int, ready: threading.Event, release: threading.Event):
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        if isinstance(chromium, BrowserServer):
            browser = await pw.chromium.connect(chromium.endpoint, timeout=30_000)
        else:
            browser = await pw.chromium.connect_over_cdp(chromium.http_endpoint, timeout=30_000)
        for _ in range(count):
            page = await (await browser.new_context()).new_page()
            await page.goto(url)
        ready.set()
        while not release.is_set():  # bounded by the caller, which always releases
            await asyncio.sleep(0.1)
        await browser.close()


def with_open_contexts(chromium: Shared, url: str, count: int, work):
    """Runs `work()` while another client holds `count` contexts with a page each."""
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=lambda: asyncio.run(_hold_contexts(chromium, url, count, ready, release)), daemon=True
    )
    holder.start()
    try:
        if not ready.wait(120):
            raise RuntimeError("os contextos de fundo não abriram em 120 s")
        return work()
    finally:
        release.set()
        holder.join(60)


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f}".replace(",", ".")


def seconds(values: list[float]) -> str:
    if not values:
        return "—"
    return f"mediana {statistics.median(values):.2f} s (mín {min(values):.2f}, máx {max(values):.2f}; {len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description="Chromium próprio × Chromium compartilhado.")
    parser.add_argument("--quantidades", default="1,4,10,20", help="cotações ao mesmo tempo (padrão 1,4,10,20)")
    parser.add_argument("--escala", type=float, default=1.0, help="escala de atraso do portal (padrão 1)")
    parser.add_argument("--limite-s", type=float, default=900.0, help="limite de cada linha (padrão 900 s)")
    parser.add_argument("--partidas", type=int, default=5, help="medições da partida (padrão 5; 0 pula)")
    parser.add_argument(
        "--modos", default="próprio,servidor,cdp", help="próprio, servidor (o do serviço), cdp (padrão: os três)"
    )
    args = parser.parse_args()
    counts = [int(c) for c in args.quantidades.split(",") if c.strip()]
    modes = [m.strip() for m in args.modos.split(",") if m.strip()]

    load = os.getloadavg()
    print(
        f"máquina: {os.cpu_count()} núcleos, {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB, "
        f"carga média {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} no início; portal na escala {args.escala:g}\n"
    )
    results = []
    portal = Portal(args.escala)
    browsers: dict[str, Shared] = {"próprio": None}
    try:
        if "servidor" in modes:
            browsers["servidor"] = BrowserServer()
        if "cdp" in modes:
            browsers["cdp"] = SharedChromium()
        for count in counts:
            for mode in modes:
                began = time.monotonic()
                r = row(portal, count, browsers[mode], args.limite_s)
                r["mode"] = mode
                r["load"] = os.getloadavg()[0]
                results.append(r)
                print(
                    f"  {mode}, {count} ao mesmo tempo: {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True
                )
        print(
            "| cotações ao mesmo tempo | navegador | PSS total (pico) | PSS por cotação | CPU por cotação "
            "| tempo total | falhas | carga 1 min ao fim |"
        )
        print("|---:|---|---:|---:|---:|---:|---:|---:|")
        for r in results:
            idle = f" (navegador ocioso {mib(r['idle'])} MiB)" if r["mode"] != "próprio" else ""
            failed = f"{r['failed']}/{r['n']}" + (f" ({r['timeouts']} no limite)" if r["timeouts"] else "")
            print(
                f"| {r['n']} | {r['mode']} | {mib(r['peak'])} MiB{idle} | {mib(r['added'])} MiB | "
                f"{r['cpu']:.1f} s | {r['wall']:.0f} s | {failed} | {r['load']:.1f} |"
            )
        left = [r for r in results if r["contexts_left"]]
        print(
            "\ncontextos (cdp) ou páginas (servidor) sobrando no navegador compartilhado ao fim das linhas: "
            + (", ".join(f"{r['mode']}: {r['contexts_left']}" for r in left) if left else "nenhum")
        )

        if args.partidas:
            print("\nda partida do robô (fork) à primeira requisição ao portal:")
            for mode in modes:
                chromium = browsers[mode]
                print(f"- {mode}, navegador ocioso: {seconds(start_to_first_request(chromium, args.partidas))}")
                if chromium is not None:
                    busy = with_open_contexts(
                        chromium, portal.url, 10, lambda c=chromium: start_to_first_request(c, args.partidas)
                    )
                    print(f"- {mode}, com 10 outros contextos abertos: {seconds(busy)}")
    finally:
        for chromium in browsers.values():
            if chromium is not None:
                chromium.close()
        portal.close()


if __name__ == "__main__":
    main()
