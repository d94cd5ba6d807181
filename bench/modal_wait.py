#!/usr/bin/env python3
"""How honest the modal's wait is, in a real browser at phone width (no assertions, only
numbers). The real service, the real robot and the simulated portal at delay scale 1 (the real
portal's timings); one visitor per plate, in order, on one fresh service, so the first quote
sees no learned typical time and the later ones do.

Every 0.5 s it records the bar's value (aria-valuenow) and the remaining-time line; every 3 s a
screenshot. Per quote it prints:
- the share of the wait during which the bar showed 100 % (it must be 0);
- the largest gap between the remaining time the modal forecast and the real remaining time
  (seconds; 0 while the real remaining time lies inside what the line forecasts), and the line
  that made it;
- the most the real remaining time went past a ceiling the line gave ("no máximo …", the
  portal's countdown), in seconds.

Uso: .venv/bin/python bench/modal_wait.py [--placas ABC1D23,MAN1A23,ABC1D23] [--largura 360]
(requer target/debug/rpa-v4, target/debug/sim-portal e o .venv de scripts/setup.sh; roda só em
127.0.0.1; as capturas ficam em test-artifacts/modal/espera/)."""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))

from modal_servers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, start_portal, start_service  # noqa: E402
from modal_visitor import fill_form, person  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

ALMOST_S = 15
LIMIT_S = 400

STATE_JS = """() => {
  const d = document.querySelector('.rpa-dialog');
  const bar = document.querySelector('.rpa-progress .rpa-bar') || document.querySelector('.rpa-bar');
  const eta = document.querySelector('.rpa-eta');
  const prog = document.querySelector('.rpa-progress');
  return {state: d && d.dataset.state, pct: bar ? Number(bar.getAttribute('aria-valuenow')) : null,
          eta: eta && !eta.hidden && prog && !prog.hidden ? eta.textContent : ''};
}"""


def seconds_of(words: str) -> int | None:
    """ "2 min 43 s", "58 s", "25 segundos", "3 minutos" → seconds."""
    s = words.strip()
    for pattern, unit in (
        (r"(\d+) min(?: (\d+) s)?", None),
        (r"(\d+) s\b", 1),
        (r"(\d+) segundos?", 1),
        (r"(\d+) minutos?", 60),
    ):
        m = re.match(pattern, s)
        if m:
            return int(m.group(1)) * 60 + int(m.group(2) or 0) if unit is None else int(m.group(1)) * unit
    return None


def ceiling_of(text: str) -> int | None:
    """The "no máximo …" of a line, in seconds."""
    m = re.search(r"no máximo (?:mais )?(\d+ min(?: \d+ s)?|\d+ s)", text.replace("\u00a0", " "))
    return seconds_of(m.group(1)) if m else None


def claimed_interval(text: str) -> tuple[int, int] | None:
    """The (least, most) seconds left that a remaining-time line claims, or None for a line that
    claims no time."""
    t = text.replace("\u00a0", " ")
    cap = ceiling_of(t)
    if "Quase pronto" in t:
        return (0, ALMOST_S)
    if "levando mais" in t:
        return (0, cap) if cap is not None else None
    m = re.search(r"cerca de (\d+) (minutos?|segundos)", t)
    if m:
        n = int(m.group(1))
        lo, hi = (n * 60 - 30, n * 60 + 30) if m.group(2).startswith("min") else (n - 5, n + 5)
    elif "menos de 1 minuto" in t:
        lo, hi = 0, 60
    else:
        m = re.search(r"de (\d+ segundos|\d+) a (\d+) minutos?", t)
        if not m:
            return None
        lo = seconds_of(m.group(1)) if " " in m.group(1) else int(m.group(1)) * 60
        hi = int(m.group(2)) * 60
    if cap is not None:
        hi = min(hi, cap)
        lo = min(lo, hi)
    return (lo or 0, hi)


def watch(browser, url: str, plate: str, width: int, shots: Path, order: int) -> dict:
    ctx = browser.new_context(viewport={"width": width, "height": 740}, locale="pt-BR")
    page = ctx.new_page()
    page.goto(url)
    fill_form(page, person(placa=plate))
    page.click("#submit_button_auto")
    t0 = time.monotonic()
    samples: list[tuple[float, dict]] = []
    next_shot, n = 0.0, 0
    while True:
        now = time.monotonic() - t0
        state = page.evaluate(STATE_JS)
        samples.append((now, state))
        if now >= next_shot:
            page.screenshot(path=str(shots / f"{order}-{plate}-{n:03d}-{int(now):03d}s.png"))
            n, next_shot = n + 1, next_shot + 3
        if state["state"] not in (None, "starting", "watching") or now > LIMIT_S:
            break
        page.wait_for_timeout(500)
    end = time.monotonic() - t0
    page.wait_for_timeout(800)
    page.screenshot(path=str(shots / f"{order}-{plate}-resultado.png"), full_page=True)
    ctx.close()

    wait = [s for s in samples if s[1]["state"] == "watching"]
    spans = [(wait[i + 1][0] - wait[i][0]) if i + 1 < len(wait) else 0.5 for i in range(len(wait))]
    at_100 = sum(d for s, d in zip(wait, spans) if s[1]["pct"] == 100)
    worst = (0.0, None, "", None)
    past_ceiling = [end - at - c for at, state in wait if (c := ceiling_of(state["eta"])) is not None]
    for at, state in wait:
        claim = claimed_interval(state["eta"])
        if claim is None:
            continue
        real = end - at
        gap = 0.0 if claim[0] <= real <= claim[1] else min(abs(real - claim[0]), abs(real - claim[1]))
        worst = max(worst, (gap, round(at), state["eta"], round(real)), key=lambda w: w[0])
    return {
        "placa": plate,
        "fim_s": round(end, 1),
        "desfecho": samples[-1][1]["state"],
        "parcela_em_100": round(at_100 / sum(spans), 3) if spans else None,
        "maior_diferenca_s": round(worst[0]),
        "quando_s": worst[1],
        "texto": worst[2],
        "restante_real_s": worst[3],
        "alem_do_teto_s": round(max(past_ceiling), 1) if past_ceiling else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--placas", default="ABC1D23,MAN1A23,ABC1D23")
    ap.add_argument("--largura", type=int, default=360)
    args = ap.parse_args()
    shots = ARTIFACTS / "espera"
    shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rpa-espera-") as tmp:
        portal = start_portal(Path(tmp), delay_scale=1)
        service = start_service(Path(tmp) / "svc", portal)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                for order, plate in enumerate(args.placas.split(","), 1):
                    figures = watch(browser, service.demo_url, plate, args.largura, shots, order)
                    print(json.dumps(figures, ensure_ascii=False))
                    sys.stdout.flush()
                browser.close()
        finally:
            service.process.stop()
            portal.process.stop()
    print(f"capturas: {shots}")


if __name__ == "__main__":
    main()
