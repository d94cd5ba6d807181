#!/usr/bin/env python3
"""Figures for the quote modal in a real browser (no assertions, only numbers), against the real
service, the real robot and the simulated portal at delay scale 0:

1. what the page downloads for the modal (rpa-modal.js and rpa-modal.css, bytes of each);
2. per quote: click → dialog on screen, click → first progress answer, click → plans on screen;
3. progress requests per quote and per minute of watching (the polling load one visitor puts on
   the service);
4. the page's JavaScript heap after a finished quote (Chromium's Performance.getMetrics).

Uso: .venv/bin/python bench/modal_page.py [--cotacoes 3]
(requer target/debug/rpa-v4, target/debug/sim-portal e o .venv de scripts/setup.sh; roda só em
127.0.0.1)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))

from modal_servers import CHROMIUM, CHROMIUM_ARGS, start_portal, start_service  # noqa: E402
from modal_visitor import fill_form, person, wait_final  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def one_quote(browser, url: str) -> dict:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    sizes: dict[str, int] = {}
    polls: list[float] = []

    def on_response(res):
        if res.url.endswith((".js", ".css")) and "rpa-modal" in res.url:
            sizes[res.url.rsplit("/", 1)[1]] = len(res.body())
        if "/api/rpa/progress/" in res.url and not polls:
            polls.append(time.monotonic())

    page.on("response", on_response)
    requests: list[float] = []
    page.on("request", lambda r: requests.append(time.monotonic()) if "/api/rpa/progress/" in r.url else None)
    page.goto(url)
    fill_form(page, person())
    t0 = time.monotonic()
    page.click("#submit_button_auto")
    page.wait_for_selector(".rpa-dialog", state="visible")
    t_dialog = time.monotonic()
    state = wait_final(page)
    t_end = time.monotonic()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    ctx.close()
    return {
        "state": state,
        "dialog_ms": (t_dialog - t0) * 1000,
        "first_progress_ms": (polls[0] - t0) * 1000 if polls else float("nan"),
        "end_s": t_end - t0,
        "progress_requests": len(requests),
        "heap_mb": metrics.get("JSHeapUsedSize", 0) / 1e6,
        "sizes": sizes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cotacoes", type=int, default=3, help="quantas cotações medir (padrão 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        portal = start_portal(tmp)
        service = start_service(tmp / "service", portal)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                runs = [one_quote(browser, service.demo_url) for _ in range(args.cotacoes)]
                browser.close()
        finally:
            service.process.stop()
            portal.process.stop()

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    sizes = runs[0]["sizes"]
    print(f"cotações medidas: {len(runs)} (desfechos: {', '.join(r['state'] for r in runs)})")
    for name, size in sorted(sizes.items()):
        print(f"download {name}: {size} bytes")
    print(f"clique → modal na tela: mediana {med('dialog_ms'):.0f} ms")
    print(f"clique → primeira resposta de progresso: mediana {med('first_progress_ms'):.0f} ms")
    print(f"clique → planos na tela (escala 0): mediana {med('end_s'):.1f} s")
    per_min = statistics.median(r["progress_requests"] / (r["end_s"] / 60) for r in runs)
    print(f"consultas de progresso por cotação: mediana {med('progress_requests'):.0f} ({per_min:.0f}/min)")
    print(f"heap JavaScript da página ao fim: mediana {med('heap_mb'):.1f} MB")


if __name__ == "__main__":
    main()
