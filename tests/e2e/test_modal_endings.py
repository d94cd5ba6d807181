"""Every ending leads to the broker, on a phone (360 px) and a desktop (1280 px): "Quero contratar
este plano" on each plan opens WhatsApp with the plan, its premium and the quote's code (nothing
personal) and records the choice with the service on the way, without waiting for it and without
a word to the visitor if it fails; "Falar com um corretor" and the phone on every ending; a
manual quote and an error say when the broker will call. The demo page's script tag sets a
synthetic WhatsApp number and phone."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import os
import threading
import time
from urllib.parse import unquote

import pytest
from modal_expected import PLATE_MANUAL, PLATE_SUCCESS
from modal_servers import start_service
from modal_visitor import norm, person, session_id, stored_session, submit_quote, wait_final

WHATSAPP = "https://wa.me/5511900000000?text="
PHONE = "tel:+551100000000"
CALLBACK = "ligar para você em até 2 horas úteis"
WIDTHS = [(360, 740), (1280, 900)]


def personal_values(p) -> list[str]:
    """Every form of the visitor's data that must never leave in a link."""
    cpf = p.cpf
    return [
        cpf,
        f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}",
        p.nome,
        p.nome.split()[0],
        p.email,
        p.celular,
        "98765-4321",
        p.placa,
        "ABC-1D23",
        p.cep,
        "01310-100",
        "15/03/1985",
    ]


def whatsapp_text(link) -> str:
    href = link.get_attribute("href")
    assert href.startswith(WHATSAPP), href
    return unquote(href[len(WHATSAPP) :])


def stub_whatsapp(context) -> None:
    """wa.me stays inside the test: the window opens on a local stand-in page."""
    context.route(
        "https://wa.me/**", lambda route: route.fulfill(status=200, body="WhatsApp", content_type="text/plain")
    )


@pytest.mark.parametrize("width, height", WIDTHS)
def test_success_offers_each_plan_and_a_broker_and_whatsapp_carries_nothing_personal(
    service, new_page, artifacts, width, height
):
    page = new_page(width, height)
    stub_whatsapp(page.context)
    visitor = person(placa=PLATE_SUCCESS)
    submit_quote(page, service.demo_url, visitor)
    assert wait_final(page) == "success"
    code = session_id(page)[-6:].upper()
    assert norm(page.locator(".rpa-quote-code").inner_text()) == f"Código da cotação: {code}"
    expected = {
        "recomendado": f"Olá! Quero contratar o plano Recomendado (R$ 3.889,94 por ano) da cotação {code} feita no site.",
        "alternativo": f"Olá! Quero contratar o plano Alternativo (R$ 3.930,75 por ano) da cotação {code} feita no site.",
    }
    for kind, text in expected.items():
        hire = page.locator(f'[data-action="contratar-{kind}"]')
        assert hire.is_visible()
        assert norm(hire.inner_text()).startswith("Quero contratar este plano")
        assert whatsapp_text(hire) == text
    talk = page.locator('.rpa-contact [data-action="whatsapp"]')
    assert norm(talk.inner_text()) == "Falar com um corretor"
    assert whatsapp_text(talk) == f"Olá! Fiz a cotação {code} no site e quero falar com um corretor."
    phone = page.locator('.rpa-contact [data-action="phone"]')
    assert phone.get_attribute("href") == PHONE and norm(phone.inner_text()) == "Ligar: (11) 0000-0000"
    links = " ".join(unquote(a.get_attribute("href")) for a in page.locator(".rpa-dialog a[href]").all())
    for value in personal_values(visitor):
        assert value not in links, value
    page.screenshot(path=str(artifacts / f"30-success-buttons-{width}.png"))
    page.locator('[data-action="contratar-recomendado"]').scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"31-success-hire-{width}.png"))


@pytest.mark.parametrize("answer", ["hangs", "fails"])
def test_choosing_a_plan_opens_whatsapp_at_once_and_records_the_interest_quietly(service, new_page, answer):
    page = new_page(360, 740)
    stub_whatsapp(page.context)

    def interest(route):
        if answer == "fails":
            route.fulfill(status=500, body="{}", content_type="application/json")
        # "hangs": never answered while the test runs.

    page.route("**/api/rpa/interesse", interest)
    submit_quote(page, service.demo_url, person(placa=PLATE_SUCCESS))
    assert wait_final(page) == "success"
    hire = page.locator('[data-action="contratar-alternativo"]')
    sent = page.expect_request(lambda r: r.url.endswith("/api/rpa/interesse"), timeout=15_000)
    with sent as request, page.context.expect_page(timeout=15_000) as popup:
        hire.click()
    opened = popup.value
    opened.wait_for_load_state()
    assert opened.url.startswith(WHATSAPP) and "Alternativo" in unquote(opened.url)
    assert request.value.method == "POST"
    assert request.value.post_data_json == {
        "session_id": session_id(page),
        "token_retomada": stored_session(page)["token"],
        "plano": "alternativo",
    }
    assert stored_session(page)["token"], "the service gave this tab a resume token"
    # Nothing is said to the visitor about the service's answer.
    assert page.locator(".rpa-dialog").get_attribute("data-state") == "success"
    assert page.locator(".rpa-notice").is_hidden()
    assert page.locator(".rpa-dialog [role=alert]").count() == 0
    events = page.evaluate("window.dataLayer")
    assert {"event": "rpa_interesse", "rpa_plano": "alternativo"} in events


@pytest.mark.parametrize("width, height", WIDTHS)
def test_a_manual_quote_says_when_the_broker_calls_and_still_offers_whatsapp(
    service, new_page, artifacts, width, height
):
    page = new_page(width, height)
    submit_quote(page, service.demo_url, person(placa=PLATE_MANUAL))
    assert wait_final(page) == "manual"
    assert CALLBACK in norm(page.locator(".rpa-outcome").inner_text())
    code = session_id(page)[-6:].upper()
    talk = page.locator('.rpa-contact [data-action="whatsapp"]')
    assert whatsapp_text(talk) == (
        f"Olá! Fiz a cotação {code} no site e a seguradora pediu um cálculo com um especialista. Podemos conversar?"
    )
    assert page.locator('.rpa-contact [data-action="phone"]').is_visible()
    page.screenshot(path=str(artifacts / f"32-manual-{width}.png"))


@pytest.mark.parametrize("width, height", WIDTHS)
def test_an_error_says_when_the_broker_calls_and_still_offers_whatsapp(service, new_page, artifacts, width, height):
    page = new_page(width, height)
    # ERR…: the portal's plate lookup answers HTTP 500 on every attempt.
    submit_quote(page, service.demo_url, person(placa="ERR1A23"))
    assert wait_final(page) == "error"
    text = norm(page.locator(".rpa-outcome").inner_text())
    assert "Não conseguimos concluir o cálculo automático agora." in text and CALLBACK in text
    code = session_id(page)[-6:].upper()
    talk = page.locator('.rpa-contact [data-action="whatsapp"]')
    assert whatsapp_text(talk) == f"Olá! Fiz a cotação {code} no site, mas ela não foi concluída. Podemos conversar?"
    page.screenshot(path=str(artifacts / f"33-error-{width}.png"))


class _Receiver(http.server.ThreadingHTTPServer):
    """The broker's webhook endpoint: records every delivery (headers and body)."""

    daemon_threads = True

    def __init__(self):
        self.deliveries: list[tuple[dict, bytes]] = []
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/webhooks"


class _ReceiverHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.deliveries.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def signed(headers: dict, body: bytes, secret: str) -> bool:
    """Standard Webhooks: v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return any(sig == f"v1,{expected}" for sig in headers["webhook-signature"].split())


def test_a_chosen_plan_reaches_the_brokers_webhook_signed(e2e_tmp, portal, new_page):
    """The visitor presses "Quero contratar este plano": the service records the choice and its
    `cotacao.interesse` event reaches the broker's endpoint with a valid signature."""
    receiver = _Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    secret = "whsec_" + base64.b64encode(os.urandom(32)).decode()
    hooks = e2e_tmp / "interest-webhooks.json"
    hooks.write_text(
        json.dumps([{"url": receiver.url, "segredo": secret, "formato": "standard", "eventos": ["cotacao.interesse"]}])
    )
    hooks.chmod(0o600)
    service = start_service(e2e_tmp / "interest-service", portal, RPA_WEBHOOKS_FILE=str(hooks))
    try:
        page = new_page(1280, 900)
        stub_whatsapp(page.context)
        submit_quote(page, service.demo_url, person(placa=PLATE_SUCCESS))
        assert wait_final(page) == "success"
        with page.context.expect_page(timeout=15_000):
            page.locator('[data-action="contratar-recomendado"]').click()
        deadline = time.monotonic() + 60
        while not receiver.deliveries and time.monotonic() < deadline:
            time.sleep(0.1)
        assert receiver.deliveries, "the interest never reached the broker's endpoint"
        headers, body = receiver.deliveries[0]
        event = json.loads(body)
        assert event["type"] == "cotacao.interesse" and event["data"]["plano"] == "recomendado", event
        assert event["data"]["session_id"] == session_id(page)
        assert signed(headers, body, secret), "the delivery's signature does not verify"
    finally:
        service.process.stop()
        receiver.shutdown()
        receiver.server_close()
