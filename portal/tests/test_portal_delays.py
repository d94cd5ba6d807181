"""The delay scale: 0 schedules nothing, a nonzero scale schedules the real portal's timings times
the scale (read from the `x-sim-atraso-ms` header the server reports) and really waits them; the
countdown on screen shows the scaled time."""

from __future__ import annotations

import re
import time

from portal_driver import wait_end, walk


def test_scale_zero_schedules_no_delay(portal):
    assert portal.get("/api/veiculo?placa=ABC1D23").delay_ms == 0
    assert portal.get("/api/estimativa?placa=ABC1D23").delay_ms == 0
    assert portal.get("/api/endereco?cep=01310100").delay_ms == 0
    r = portal.post("/api/calculo", {"placa": "ABC1D23", "cpf": "52998224725"})
    assert r.delay_ms == 0 and r.body["contagem_ms"] == 0 and r.body["pronto_em_ms"] == 0
    assert portal.post("/api/login", {"email": "corretor@example.com", "senha": "senha-de-teste"}).delay_ms == 0


def test_nonzero_scale_schedules_scaled_real_timings(start_portal):
    p = start_portal("--delay-scale", "0.5")
    assert 400 <= p.get("/api/veiculo?placa=ABC1D23").delay_ms <= 850  # 0,8–1,7 s × 0,5
    assert p.get("/api/estimativa?placa=ABC1D23").delay_ms == 2500  # 5 s × 0,5
    assert 500 <= p.get("/api/endereco?cep=01310100").delay_ms <= 1500  # 1–3 s × 0,5
    assert p.post("/api/login", {"email": "corretor@example.com", "senha": "senha-de-teste"}).delay_ms == 400
    ok = p.post("/api/calculo", {"placa": "ABC1D23", "cpf": "52998224725"})
    assert 15_000 <= ok.delay_ms <= 35_000 and ok.body["pronto_em_ms"] == ok.delay_ms  # 30–70 s × 0,5
    assert ok.body["contagem_ms"] == 81_500  # 163 s × 0,5
    manual = p.post("/api/calculo", {"placa": "MAN1A23", "cpf": "52998224725"})
    assert manual.body["pronto_em_ms"] == 81_500  # the whole countdown
    pending = p.get(f"/api/calculo/{ok.body['id']}").body
    assert pending["estado"] == "calculando" and 0 < pending["restante_ms"] <= ok.delay_ms


def test_scheduled_delay_is_really_waited(start_portal):
    p = start_portal("--delay-scale", "0.2")
    started = time.monotonic()
    r = p.get("/api/estimativa?placa=ABC1D23")
    elapsed_ms = (time.monotonic() - started) * 1000
    assert r.delay_ms == 1000
    assert elapsed_ms >= r.delay_ms - 20  # a lower bound: the server slept at least that long


def test_countdown_shows_scaled_time_then_result(start_portal, page):
    p = start_portal("--delay-scale", "0.2")
    walk(page, p, placa="BRA2E19", until="calculo")  # its calculation: 65,6 s × 0,2 = 13 s on screen
    assert page.locator("text=Por favor, aguarde. Estamos realizando o cálculo para você!").is_visible()
    shown = page.inner_text("#contagemTelaCalculo")
    m = re.fullmatch(r"Tempo estimado em (\d\d):(\d\d)", shown.strip())
    assert m, shown
    seconds = int(m.group(1)) * 60 + int(m.group(2))
    assert 20 <= seconds <= 33  # 163 s × 0,2 = 32,6 s, counting down
    assert wait_end(page, timeout_ms=60_000) == "resultado"
    assert page.locator("text=Tempo estimado em").count() == 0
