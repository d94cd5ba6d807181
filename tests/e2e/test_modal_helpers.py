"""The modal's pure helpers, called directly in the real browser (`window.RpaModal.helpers`): the
wait text after a refusal, field labels, the request body built from the form, the answers'
fingerprint, the summary of the form's field errors, the error that explains a failure, the view
model of a progress answer (`progressView`), the outcome of a failed quote (`outcomeOf`) and the
pill's text; and the step names and plan rows it shows, against the contract's vocabulary. The
time texts are in test_modal_helpers_time.py, the endings' buttons and the plans' table in
test_modal_helpers_endings.py."""

from __future__ import annotations

import pytest
from contract_files import VOCABULARY
from modal_helpers_page import call, helpers_page_fixture  # noqa: F401  (the helpers_page fixture)
from modal_visitor import fill_form, person


@pytest.mark.parametrize(
    "retry_after, text",
    [
        ("30", "Fila cheia. Tente novamente em cerca de 30 segundos."),
        ("1", "Fila cheia. Tente novamente em cerca de 1 segundo."),
        ("9999", "Fila cheia. Tente mais tarde."),
        ("", "Fila cheia. Tente mais tarde."),
    ],
)
def test_wait_text_uses_a_sane_retry_after_only(helpers_page, retry_after, text):
    assert call(helpers_page, "waitText", "Fila cheia.", "Tente mais tarde.", retry_after) == text


def test_field_labels_and_the_error_that_explains_a_failure(helpers_page):
    assert call(helpers_page, "fieldLabel", "estado_civil") == "Estado civil"
    assert call(helpers_page, "fieldLabel", "campo_novo") == "campo novo"
    erros = [{"tipo": "portal_indisponivel"}, {"tipo": "rejeitado_placa", "campo": "placa"}, {"mensagem": "sem tipo"}]
    assert call(helpers_page, "mainError", erros) == {"tipo": "rejeitado_placa", "campo": "placa"}
    assert call(helpers_page, "mainError", []) == {}


def test_the_request_body_built_from_the_demo_form(helpers_page):
    fill_form(helpers_page, person(estado_civil="", ano="2017", email=""))
    body = helpers_page.evaluate(
        "() => window.RpaModal.helpers.collectPayload(document.querySelector('#wf-form-Cotacao-Seguro-Auto'))"
    )
    p = person()
    assert body["telefone"] == p.ddd + p.celular.replace("-", "")
    assert body["ano"] == 2017 and body["tipo_veiculo"] == "carro"
    assert "estado_civil" not in body and "email" not in body, "empty fields are left out"
    assert not {"DDD-CELULAR", "CELULAR", "NOME"} & set(body)
    assert {"nome", "cpf", "placa", "cep", "sexo", "data_nascimento"} <= set(body)


def test_the_fingerprint_tells_same_answers_from_changed_ones(helpers_page):
    one = call(helpers_page, "fingerprint", {"cpf": "1", "placa": "A"})
    assert call(helpers_page, "fingerprint", {"placa": "A", "cpf": "1"}) == one
    assert call(helpers_page, "fingerprint", {"cpf": "1", "placa": "B"}) != one


def test_the_steps_and_plan_rows_are_the_vocabularys(helpers_page):
    helpers = helpers_page.evaluate("() => ({steps: RpaModal.helpers.steps, rows: RpaModal.helpers.planRows})")
    assert helpers["steps"] == [e["nome"] for e in VOCABULARY["etapas"]]
    assert helpers["rows"] == [[r["campo"], r["rotulo"]] for r in VOCABULARY["linhas_plano"]]


# errorSummary: the form's summary names every field, in page order; the first gets the focus.

PAGE_ORDER = ["nome", "cpf", "data_nascimento", "sexo", "estado_civil", "placa", "cep", "telefone", "email"]


@pytest.mark.parametrize(
    "erros, expected",
    [
        pytest.param(
            [{"campo": "email", "mensagem": "E-mail inválido."}, {"campo": "cpf", "mensagem": "CPF inválido."}],
            {"fields": ["cpf", "email"], "text": "Confira os campos CPF e E-mail e envie de novo."},
            id="page-order-not-answer-order",
        ),
        pytest.param(
            [
                {"campo": "telefone", "mensagem": "x"},
                {"campo": "nome", "mensagem": "x"},
                {"campo": "data_nascimento", "mensagem": "x"},
            ],
            {
                "fields": ["nome", "data_nascimento", "telefone"],
                "text": "Confira os campos Nome, Data de nascimento e Celular e envie de novo.",
            },
            id="three-fields",
        ),
        pytest.param(
            [{"campo": "cep", "mensagem": "CEP inválido."}, {"campo": "cep", "mensagem": "Outro."}],
            {"fields": ["cep"], "text": "Confira o campo CEP e envie de novo."},
            id="one-field-twice",
        ),
        pytest.param(
            [{"campo": "combustivel", "mensagem": "Valor inválido."}, {"campo": "placa", "mensagem": "x"}],
            {"fields": ["placa"], "text": "Confira o campo Placa e envie de novo. combustivel: Valor inválido."},
            id="a-field-the-form-lacks-is-named-with-its-message",
        ),
        pytest.param(
            [{"campo": "", "mensagem": "Corpo inválido."}],
            {"fields": [], "text": "Confira os dados informados e envie de novo. Corpo inválido."},
            id="no-field",
        ),
    ],
)
def test_error_summary(helpers_page, erros, expected):
    assert call(helpers_page, "errorSummary", erros, PAGE_ORDER) == expected


# progressView: the view model of one progress answer, from the answer and the modal's clock.

MINUTE_MS = 60_000
# A watch that began 100 s ago, on step 15 for the last 60 s, with no typical length known.
NOW = 1_000_000_000
CLOCK = {"now": NOW, "startedAt": NOW - 100_000, "step": 15, "stepSince": NOW - 60_000, "typicalSeconds": None}
TODO = ["todo"] * 15
ESTIMATE = {"coberturas_detalhadas": [{"nome_cobertura": "RCF", "valores": {"de": "R$ 1,00", "ate": "R$ 2,00"}}]}
# Measured here: 16 s to the estimate, 60 s of calculation, 100 s in all, from 10 quotes.
TEMPO = {"estimativa_s": 16, "calculo_s": 60, "total_s": 100, "amostras": 10}


def clock(**changes):
    return {**CLOCK, **changes}


@pytest.mark.parametrize(
    "progress, clock_, expected",
    [
        pytest.param(
            {"status": "waiting", "etapa_atual": 0, "percentual": 0, "posicao_fila": 2, "mensagem": ""},
            clock(),
            {
                "stage": "Na fila",
                "stepLabel": "Na fila",
                "percent": 0,
                "queue": "Você é o 2º na fila.",
                "eta": "Seu cálculo começa assim que um robô de cálculo ficar livre.",
                "message": "Aguardando a vez do seu cálculo.",
                "spoken": "Na fila: você é o 2º.",
                "steps": TODO,
                "calc": None,
                "end": None,
            },
            id="waiting-in-line",
        ),
        pytest.param(
            {"status": "waiting", "posicao_fila": None, "mensagem": "Na fila"},
            clock(),
            {"queue": None, "spoken": "Na fila.", "message": "Na fila", "end": None},
            id="waiting-without-position",
        ),
        pytest.param(
            {"status": "waiting", "posicao_fila": 0, "mensagem": "Tentando de novo em instantes…"},
            clock(seen=7, percent=30),
            {
                "stage": "Tentando de novo",
                "message": "Tentando de novo em instantes…",
                "eta": "O cálculo recomeça em instantes.",
                "percent": 30,
                "spoken": "Tentando de novo. O cálculo recomeça em instantes.",
            },
            id="waiting-for-a-retry-keeps-the-bar",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": 3, "percentual": 20, "mensagem": "Confirmando o veículo"},
            clock(step=3),
            {
                "stage": "Consultando o veículo na seguradora",
                "stepLabel": "Etapa 3 de 15: Confirmação do veículo",
                # Weighted by time: steps 1–2 (6 s) and 90 % of step 3 (1 s) of the 92 s profile.
                "percent": 7,
                "valuetext": "7 % — Consultando o veículo na seguradora; Etapa 3 de 15: Confirmação do veículo",
                "message": "Confirmando o veículo",
                "queue": None,
                "eta": "Tempo restante estimado: de 50 segundos a 3 minutos.",
                "spoken": "Etapa 3 de 15: Confirmação do veículo. Tempo restante estimado: de 50 segundos a 3 minutos.",
                "steps": ["done", "done", "current"] + ["todo"] * 12,
                "calc": None,
                "end": None,
            },
            id="running-step-3",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": "9", "tempo_tipico": TEMPO},
            clock(step=9, stepSince=NOW),
            {"etapa": 9, "percent": 26, "stage": "Respondendo o questionário da seguradora"},
            id="percent-weighted-by-the-measured-stages",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": 2, "tempo_tipico": TEMPO},
            clock(step=2, stepSince=NOW, percent=55),
            {"percent": 55},
            id="the-bar-never-goes-back",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": 99, "percentual": 100},
            clock(),
            # 60 s into a calculation that usually takes 55 s: past its usual end, still below 100.
            {"etapa": 15, "percent": 94, "stepLabel": "Etapa 15 de 15: Cálculo final", "overdue": True},
            id="out-of-range-clamped-and-below-100",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": 0},
            clock(step=0),
            {"stage": "Preparando", "spoken": None, "eta": "Em geral o cálculo leva de 1 a 3 minutos."},
            id="running-before-the-first-step",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": 3, "veiculo": "  ECOSPORT   2007/2007 ", "premissas": ["uso pessoal"]},
            clock(step=3),
            {
                "vehicle": "ECOSPORT 2007/2007",
                "spoken": "Veículo encontrado: ECOSPORT 2007/2007.",
                "assumptions": "Consideramos: uso pessoal. O corretor pode ajustar essas respostas com você.",
            },
            id="the-vehicle-the-portal-confirmed",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": 3, "veiculo": None, "premissas": None},
            clock(step=3),
            {"vehicle": None, "assumptions": None},
            id="vehicle-and-assumptions-unknown",
        ),
        pytest.param(
            {
                "status": "success",
                "etapa_atual": 15,
                "percentual": 93,
                "premissas": ["uso pessoal", "garagem com portão eletrônico", "sem condutores de 18 a 26 anos"],
            },
            clock(),
            {
                "stage": "Cálculo concluído",
                "percent": 100,
                "steps": ["done"] * 15,
                "eta": "",
                "end": "success",
                "spoken": None,
                "assumptions": "Consideramos: uso pessoal, garagem com portão eletrônico e sem condutores de 18 a "
                "26 anos. O corretor pode ajustar essas respostas com você.",
            },
            id="success",
        ),
        pytest.param(
            {"status": "error", "etapa_atual": 2, "percentual": 13, "erros": [{"tipo": "rejeitado_placa"}]},
            clock(),
            {
                "stage": "Cálculo interrompido",
                "stepLabel": "Etapa 2 de 15: Placa",
                "steps": ["done", "stopped"] + ["todo"] * 13,
                "eta": "",
                "spoken": None,
                "end": "error",
                "erros": [{"tipo": "rejeitado_placa"}],
            },
            id="error-stops-its-step",
        ),
        pytest.param(
            {"status": "error", "etapa_atual": 2, "erros": None},
            clock(),
            {"end": "error", "erros": []},
            id="error-without-erros",
        ),
        pytest.param(
            {"mensagem": "Enviando seus dados com segurança…"},
            None,
            {"stepLabel": "Preparando", "percent": 0, "steps": TODO, "eta": "", "end": None},
            id="before-any-answer-without-a-clock",
        ),
    ],
)
def test_progress_view(helpers_page, progress, clock_, expected):
    view = call(helpers_page, "progressView", progress, clock_)
    assert {k: view[k] for k in expected} == expected


@pytest.mark.parametrize(
    "status, note",
    [
        (
            "running",
            "Faixa inicial do portal da seguradora, por ano. O prêmio final depende do seu perfil (idade, CEP, "
            "uso do veículo) e vem no cálculo final.",
        ),
        (
            "success",
            "Esta foi a faixa inicial do portal da seguradora. O prêmio final, nos planos acima, depende do seu perfil.",
        ),
        (
            "error",
            "Esta foi a faixa inicial do portal da seguradora. O prêmio final depende do seu perfil; o especialista "
            "confirma os valores com você.",
        ),
    ],
)
def test_progress_view_estimate_says_it_is_the_portals_initial_range(helpers_page, status, note):
    progress = {"status": status, "etapa_atual": 6, "estimativas": {"capturadas": True, "dados": ESTIMATE}}
    assert call(helpers_page, "progressView", progress, clock())["estimate"] == {"dados": ESTIMATE, "note": note}
    progress["estimativas"] = {"capturadas": False, "dados": None}
    assert call(helpers_page, "progressView", progress, clock())["estimate"] is None


@pytest.mark.parametrize(
    "clock_, progress, next_clock",
    [
        pytest.param(
            clock(),
            {"status": "running", "etapa_atual": 15},
            {"step": 15, "stepSince": NOW - 60_000, "typicalSeconds": None},
            id="same-step-keeps-its-start",
        ),
        pytest.param(
            clock(step=14),
            {"status": "running", "etapa_atual": 15},
            {"step": 15, "stepSince": NOW, "typicalSeconds": None},
            id="new-step-starts-now",
        ),
        pytest.param(
            clock(step=1, stepSince=NOW),
            {"status": "running", "etapa_atual": 1, "duracao_tipica_s": 920},
            {"step": 1, "stepSince": NOW, "typicalSeconds": 920},
            id="typical-length-from-the-service",
        ),
        pytest.param(
            clock(step=1, stepSince=NOW, typicalSeconds=920, tempo=TEMPO),
            {"status": "running", "etapa_atual": 1, "duracao_tipica_s": 0, "tempo_tipico": None},
            {"typicalSeconds": 920, "tempo": TEMPO},
            id="typical-lengths-kept-when-absent",
        ),
        pytest.param(
            clock(step=15),
            {"status": "running", "etapa_atual": 15, "calculo": {"restante_s": 120, "total_s": 163}},
            {"ceiling": {"left": 120, "total": 163, "at": NOW}},
            id="a-countdown-reading",
        ),
        pytest.param(
            clock(step=15, ceiling={"left": 120, "total": 163, "at": NOW - 10_000}),
            {"status": "running", "etapa_atual": 15, "calculo": {"restante_s": 120, "total_s": 163}},
            {"ceiling": {"left": 120, "total": 163, "at": NOW - 10_000}},
            id="the-same-reading-keeps-counting-down",
        ),
        pytest.param(
            clock(step=15, ceiling={"left": 120, "total": 163, "at": NOW - 10_000}),
            {"status": "running", "etapa_atual": 15, "calculo": {"restante_s": 108, "total_s": 163}},
            {"ceiling": {"left": 108, "total": 163, "at": NOW}},
            id="a-new-reading",
        ),
        pytest.param(
            clock(step=15, ceiling={"left": 120, "total": 163, "at": NOW - 10_000}),
            {"status": "running", "etapa_atual": 15, "calculo": None},
            {"ceiling": None},
            id="no-countdown",
        ),
        pytest.param(
            clock(step=12, seen=12),
            {"status": "running", "etapa_atual": 3},
            {"seen": 12},
            id="the-highest-step-seen",
        ),
    ],
)
def test_progress_view_keeps_the_clock(helpers_page, clock_, progress, next_clock):
    view = call(helpers_page, "progressView", progress, clock_)
    assert view["clock"]["now"] == NOW and view["clock"]["startedAt"] == clock_["startedAt"]
    assert {k: view["clock"][k] for k in next_clock} == next_clock


@pytest.mark.parametrize(
    "first, then",
    [
        pytest.param(None, {"restante_s": 162, "total_s": 163}, id="the-countdown-arrives"),
        # The modal saw step 15 late: the countdown said 10 s had passed; one answer without it
        # leaves only the modal's own 3 s.
        pytest.param({"restante_s": 10, "total_s": 20}, None, id="one-answer-without-the-countdown"),
    ],
)
def test_the_calculation_bar_never_goes_back(helpers_page, first, then):
    running = {"status": "running", "etapa_atual": 15, "tempo_tipico": TEMPO}
    before = call(helpers_page, "progressView", dict(running, calculo=first), clock(step=15, stepSince=NOW - 2_000))
    later = dict(before["clock"], now=NOW + 1_000)
    after = call(helpers_page, "progressView", dict(running, calculo=then), later)
    assert before["calc"]["percent"] > 0
    assert after["calc"]["percent"] >= before["calc"]["percent"], (before["calc"], after["calc"])
    assert after["percent"] >= before["percent"] and after["calc"]["percent"] < 100


@pytest.mark.parametrize(
    "status, watched_ms, end, erros",
    [
        ("running", 20 * MINUTE_MS, None, []),
        ("running", 20 * MINUTE_MS + 1, "error", [{"tipo": "tempo_esgotado_no_navegador"}]),
        ("waiting", 20 * MINUTE_MS + 1, "error", [{"tipo": "tempo_esgotado_no_navegador"}]),
        ("success", 20 * MINUTE_MS + 1, "success", []),
    ],
)
def test_progress_view_gives_up_after_twenty_minutes(helpers_page, status, watched_ms, end, erros):
    view = call(helpers_page, "progressView", {"status": status, "etapa_atual": 9}, clock(startedAt=NOW - watched_ms))
    assert (view["end"], view["erros"]) == (end, erros)


def test_progress_view_leaves_its_inputs_alone(helpers_page):
    same = helpers_page.evaluate(
        """([progress, clock]) => {
            const before = JSON.stringify([progress, clock]);
            const one = JSON.stringify(window.RpaModal.helpers.progressView(progress, clock));
            const two = JSON.stringify(window.RpaModal.helpers.progressView(progress, clock));
            return one === two && JSON.stringify([progress, clock]) === before;
        }""",
        [
            {
                "status": "running",
                "etapa_atual": 15,
                "tempo_tipico": TEMPO,
                "calculo": {"restante_s": 9, "total_s": 163},
            },
            clock(step=15, spoken={"at": 1, "said": ["estimativa"], "step": 9, "text": "x"}),
        ],
    )
    assert same


# outcomeOf: how a quote that ended in error goes on, from its erros and the fields the form has.

CALL = "Um especialista da Imediato Seguros vai calcular e ligar para você em até 2 horas úteis."
SPECIALIST = "Não conseguimos concluir o cálculo automático agora. " + CALL
FORM_FIELDS = ["nome", "cpf", "placa", "cep", "data_nascimento"]
SETTINGS = {"callbackTime": "em até 2 horas úteis"}


def specialist(tipo: str, text: str = SPECIALIST) -> dict:
    return {
        "kind": "error",
        "reason": "erro",
        "title": "Um especialista vai cuidar da sua cotação",
        "heading": "Cálculo com um especialista",
        "text": text,
        "spoken": text,
        "campo": None,
        "fix": None,
        "event": "rpa_error",
        "tipo": tipo,
    }


def rejected(tipo: str, campo: str, label: str, text: str) -> dict:
    heading = f"Confira o campo {label}"
    return {
        "kind": "rejected",
        "reason": "erro",
        "title": "Precisamos que você confira um dado",
        "heading": heading,
        "text": text,
        "spoken": f"{heading}. {text}",
        "campo": campo,
        "fix": f"Corrigir {label.lower()}",
        "event": "rpa_error",
        "tipo": tipo,
    }


NOT_FOUND_TEXT = (
    "A seguradora não encontrou um veículo com esta placa. Confira se a placa está certa e envie de novo, "
    "ou fale com um corretor."
)
NOT_FOUND = {
    "kind": "rejected",
    "reason": "placa",
    "title": "Não encontramos o seu veículo",
    "heading": "Veículo não encontrado",
    "text": NOT_FOUND_TEXT,
    "spoken": "Veículo não encontrado. " + NOT_FOUND_TEXT,
    "campo": "placa",
    "fix": "Corrigir a placa",
    "event": "rpa_error",
    "tipo": "rejeitado_placa",
}
MANUAL_TEXT = "Para o seu perfil, a seguradora pede um cálculo feito por uma pessoa. " + CALL
MANUAL = {
    "kind": "manual",
    "reason": "manual",
    "title": "Um especialista vai cuidar da sua cotação",
    "heading": "Cálculo com um especialista",
    "text": MANUAL_TEXT,
    "spoken": MANUAL_TEXT,
    "campo": None,
    "fix": None,
    "event": "rpa_manual",
    "tipo": None,
}
REFUSED = "A seguradora não aceitou este dado. Corrija-o e envie de novo."
# What the robot writes when the portal does not know the plate (rpa/cotacao/fields.py).
PLATE_REFUSED = {
    "tipo": "rejeitado_placa",
    "campo": "placa",
    "mensagem": "O veículo desta placa não foi encontrado pela seguradora. Confira a placa e envie de novo.",
    "sugestao": "O portal recusou o campo na tela Placa: Placa não encontrada. Verifique a placa informada.",
}


@pytest.mark.parametrize(
    "erros, fields, expected",
    [
        pytest.param(
            [{"tipo": "cotacao_manual", "mensagem": "Ops, ainda não encontramos resultados"}],
            FORM_FIELDS,
            MANUAL,
            id="manual-quote-says-when-the-broker-calls",
        ),
        pytest.param([PLATE_REFUSED], FORM_FIELDS, NOT_FOUND, id="plate-not-found-by-the-portal"),
        pytest.param(
            [{"tipo": "rejeitado_placa", "campo": "placa"}], FORM_FIELDS, NOT_FOUND, id="plate-refused-without-words"
        ),
        pytest.param(
            [{"tipo": "rejeitado_placa", "campo": "placa", "mensagem": "Placa inválida."}],
            FORM_FIELDS,
            rejected("rejeitado_placa", "placa", "Placa", "Placa inválida."),
            id="plate-refused-for-another-reason",
        ),
        pytest.param(
            [{"tipo": "rejeitado_cep"}],
            FORM_FIELDS,
            rejected("rejeitado_cep", "cep", "CEP", REFUSED),
            id="refused-field-named-by-the-tipo",
        ),
        pytest.param(
            [{"tipo": "rejeitado_data_nascimento", "mensagem": "Data inválida."}],
            FORM_FIELDS,
            rejected("rejeitado_data_nascimento", "data_nascimento", "Data de nascimento", "Data inválida."),
            id="refused-field-with-a-long-label",
        ),
        pytest.param(
            [PLATE_REFUSED],
            ["nome", "cpf"],
            specialist("rejeitado_placa"),
            id="refused-field-the-form-lacks",
        ),
        pytest.param([{"tipo": "rejeitado_dados"}], FORM_FIELDS, specialist("rejeitado_dados"), id="refused-data"),
        pytest.param(
            [{"tipo": "portal_indisponivel", "mensagem": "HTTP 500"}],
            FORM_FIELDS,
            specialist("portal_indisponivel"),
            id="technical-failure-says-when-the-broker-calls",
        ),
        pytest.param(
            [{"tipo": "tempo_esgotado_no_navegador"}],
            FORM_FIELDS,
            specialist("tempo_esgotado_no_navegador", "O cálculo está demorando mais do que deveria. " + CALL),
            id="watched-too-long",
        ),
        pytest.param([], FORM_FIELDS, specialist("desconhecido"), id="no-erros"),
        pytest.param(
            [{"tipo": "cotacao_manual"}, {"mensagem": "sem tipo"}],
            [],
            MANUAL,
            id="the-last-entry-with-a-tipo-explains",
        ),
    ],
)
def test_outcome_of(helpers_page, erros, fields, expected):
    assert call(helpers_page, "outcomeOf", erros, fields, SETTINGS) == expected


@pytest.mark.parametrize(
    "settings, text",
    [
        ({"callbackTime": "hoje até as 18h"}, "ligar para você hoje até as 18h."),
        ({"callbackTime": ""}, "ligar para você em até 2 horas úteis."),
        ({}, "ligar para você em até 2 horas úteis."),
        ({"callbackTime": "x" * 81}, "ligar para você em até 2 horas úteis."),
    ],
)
def test_outcome_says_when_the_broker_calls_from_the_setting(helpers_page, settings, text):
    assert call(helpers_page, "outcomeOf", [{"tipo": "cotacao_manual"}], [], settings)["text"].endswith(text)


@pytest.mark.parametrize(
    "err, found",
    [
        (PLATE_REFUSED, True),
        ({"tipo": "rejeitado_placa"}, True),
        ({"campo": "placa", "mensagem": "Placa não encontrada."}, True),
        ({"campo": "placa", "mensagem": "Placa inválida: use ABC1234 ou ABC1D23."}, False),
        ({"tipo": "rejeitado_cep", "campo": "cep", "sugestao": "CEP não encontrado."}, False),
        ({"tipo": "portal_indisponivel", "mensagem": "a placa não foi encontrada"}, False),
    ],
)
def test_plate_not_found(helpers_page, err, found):
    assert call(helpers_page, "plateNotFound", err) is found


@pytest.mark.parametrize(
    "status, text",
    [
        ("running", "Sua cotação continua — ver"),
        ("waiting", "Sua cotação continua — ver"),
        ("success", "Sua cotação está pronta — ver"),
        ("error", "Sua cotação terminou — ver"),
    ],
)
def test_pill_text(helpers_page, status, text):
    assert call(helpers_page, "pillText", status) == text
