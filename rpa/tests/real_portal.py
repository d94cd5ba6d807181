"""The real portal's screens 1–6 as captured during real quotes (`<repository root>/../shared/
reference/real_portal/`, reference material that the project never copies): where they are, or a
skip that says why they are not; each screen's page with the capture's own scripts and outside
references removed; and a replay server that serves them as a portal on 127.0.0.1.

The replay: page N is screen N. A small script of the server's own makes the screen's Continuar
(on screen 1, the Carro card) move to screen N+1, and sends along what the screen had checked
(checkbox and radio values, never typed text), which the server records. Screen 7 was never
captured: the replay answers it with a page of its own that no robot knows."""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from robot_harness import REPO, in_robot_page

CAPTURES = REPO.parent / "shared" / "reference" / "real_portal"
SCREENS = {
    1: "tela1_tipo_seguro.html",
    2: "tela2_placa.html",
    3: "tela3_confirmacao.html",
    4: "tela4_ja_segurado.html",
    5: "tela5_estimativa.html",
    6: "tela6_itens.html",
}
# The screen keys the robot gives screens 1–6 (its history's `dados_extra.tela`).
KEYS = {1: "tipo_seguro", 2: "placa", 3: "confirmacao", 4: "ja_segurado", 5: "estimativa", 6: "itens"}
SLUG = "/imediatosolucoes"
# The fingerprints of screens 1–6 that ship with the project: the service's known baseline.
FINGERPRINTS_FILE = REPO / "config" / "portal_fingerprints.json"

# What the robot must read off the real estimate (screen 5's capture), exactly.
REAL_ESTIMATE = [
    {
        "nome_cobertura": "Compreensiva",
        "valores": {"de": "R$ 1.200,00", "ate": "R$ 1.700,00"},
        "beneficios": [
            "Colisão e Acidentes",
            "Roubo e Furto",
            "Incêndio",
            "Danos a terceiros",
            "Assistência 24h",
            "Carro Reserva",
            "Vidros",
        ],
    },
    {
        "nome_cobertura": "Roubo e Furto",
        "valores": {"de": "R$ 1.200,00", "ate": "R$ 1.500,00"},
        "beneficios": ["Roubo", "Furto", "Danos parciais em tentativas de roubo."],
    },
    {
        "nome_cobertura": "RCF",
        "valores": {"de": "R$ 900,00", "ate": "R$ 1.400,00"},
        "beneficios": ["Danos materiais a terceiros", "Danos corporais a terceiros"],
    },
]


def estimate_as_read(estimate: dict) -> list[dict]:
    """The contract's estimate in REAL_ESTIMATE's shape (every benefit must be included)."""
    out = []
    for c in estimate["coberturas_detalhadas"]:
        assert {b["status"] for b in c["beneficios"]} == {"incluido"}, c
        out.append(
            {
                "nome_cobertura": c["nome_cobertura"],
                "valores": c["valores"],
                "beneficios": [b["nome"] for b in c["beneficios"]],
            }
        )
    return out


def require_captures() -> Path:
    """The captures' folder; the calling test is skipped, saying why, where it is absent."""
    missing = [name for name in SCREENS.values() if not (CAPTURES / name).is_file()]
    if missing:
        pytest.skip(
            f"capturas do portal real ausentes em {CAPTURES} ({', '.join(missing)}): elas ficam fora do "
            "repositório, em ../shared/reference/real_portal/ (presentes no CI); sem elas não há o que comparar"
        )
    return CAPTURES


_REMOVED = [
    re.compile(r"<script\b.*?</script\s*>", re.S | re.I),
    re.compile(r"<noscript\b.*?</noscript\s*>", re.S | re.I),
    re.compile(r"<iframe\b.*?</iframe\s*>", re.S | re.I),
    re.compile(r"<link\b[^>]*>", re.I),  # stylesheets, preloads, icons: nothing is fetched
]


def screen_html(n: int) -> str:
    """Screen n's captured page without its scripts, frames and links (so nothing runs and
    nothing is fetched from outside): the rendered DOM alone."""
    html = (require_captures() / SCREENS[n]).read_text(encoding="utf-8")
    for pattern in _REMOVED:
        html = pattern.sub("", html)
    return html


# The replay's own script: the screen's Continuar (screen 1: the Carro card) goes to the next
# screen and carries what was checked; no form is ever submitted.
_REPLAY_JS = """<script>(() => {
  const n = %d;
  const next = location.pathname.replace(/\\/tela\\/\\d+$/, '').replace(/\\/$/, '') + '/tela/' + (n + 1);
  const checked = () => Array.from(document.querySelectorAll('input[type=checkbox], input[type=radio]'))
    .filter(i => i.checked).map(i => ({ name: i.getAttribute('name') || '', value: i.value }));
  document.addEventListener('submit', ev => ev.preventDefault(), true);
  document.addEventListener('click', ev => {
    const button = ev.target.closest('button');
    if (!button) return;
    const moves = n === 1 ? !!button.querySelector('img[src*="/insurance-icons/car"]')
                          : /^gtm-tela\\w*Continuar/.test(button.id);
    if (!moves) return;
    ev.preventDefault();
    location.assign(next + '?marcados=' + encodeURIComponent(JSON.stringify(checked())));
  }, true);
})();</script>"""

# Titled as the real screens are: paragraphs, no heading.
_END_PAGE = (
    '<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>Reprodução do portal</title></head>'
    "<body><main><p>Seguro de Carro</p><p>Fim da reprodução: a tela %d não foi capturada</p></main></body></html>"
)


class Replay:
    """The captures served as a portal at `url` (screen 1; screen N at `url/tela/N`), screen n
    passed through `edits[n]` when given (a portal that changed). `checked[n]` is what screen n
    had checked when its Continuar was pressed, and `served` the screens asked for, in order."""

    def __init__(self, edits: dict[int, Callable[[str], str]] | None = None):
        edits = edits or {}
        pages = {
            n: edits.get(n, str)(screen_html(n)).replace("</body>", (_REPLAY_JS % n) + "</body>", 1) for n in SCREENS
        }
        self.checked: dict[int, list[dict]] = {}
        self.served: list[int] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                path = parts.path.rstrip("/")
                if path == SLUG:
                    n = 1
                elif re.fullmatch(re.escape(SLUG) + r"/tela/\d+", path):
                    n = int(path.rsplit("/", 1)[1])
                else:
                    return self.answer(404, b"", "text/plain")
                marcados = parse_qs(parts.query).get("marcados")
                if marcados and n > 1:
                    replay.checked[n - 1] = json.loads(marcados[0])
                replay.served.append(n)
                html = pages.get(n) or _END_PAGE % n
                self.answer(200, html.encode("utf-8"), "text/html; charset=utf-8")

            def answer(self, status: int, body: bytes, kind: str):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{SLUG}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def capture_fingerprints() -> dict[str, list[str]]:
    """Screen number -> [the fingerprint the robot computes on that screen's capture], as
    `config/portal_fingerprints.json` holds them."""
    from cotacao.screens.fingerprint import fingerprint

    async def work(page, _settings):
        out = {}
        for n in SCREENS:
            await page.set_content(screen_html(n))
            out[str(n)] = [await fingerprint(page)]
        return out

    return in_robot_page(work)


def fingerprints_document(telas: dict[str, list[str]]) -> dict:
    return {
        "_sobre": (
            "Impressões digitais estruturais (rpa/cotacao/screens/fingerprint.py) das telas 1 a 6 do portal "
            "real, calculadas pelo robô sobre o DOM dessas telas salvo em cotações reais de 2025-08-29 "
            "(../shared/reference/real_portal/, fora do repositório). O serviço as carrega ao iniciar como a "
            "base conhecida dessas telas (só quando os robôs cotam nesse portal): tela -> impressões conhecidas. "
            "rpa/tests/test_portal_fingerprints.py "
            "as recalcula e falha quando este arquivo fica desatualizado; para regravar: "
            ".venv/bin/python rpa/tests/real_portal.py --gravar-impressoes"
        ),
        "portal": "app.tosegurado.com.br",
        "capturado_em": "2025-08-29",
        "origem": {n: f"portal real, captura {SCREENS[int(n)]} de 2025-08-29" for n in telas},
        "telas": telas,
    }


if __name__ == "__main__":
    if sys.argv[1:] != ["--gravar-impressoes"]:
        sys.exit("uso: .venv/bin/python rpa/tests/real_portal.py --gravar-impressoes")
    document = fingerprints_document(capture_fingerprints())
    FINGERPRINTS_FILE.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{FINGERPRINTS_FILE.relative_to(REPO)}: {document['telas']}")
