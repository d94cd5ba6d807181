"""The modal's pure helpers, called directly in the real browser (`window.RpaModal.helpers`): the
remaining-time texts, the wait text after a refusal, field labels, the request body built from the
form, the answers' fingerprint, the error that explains a failure, the view model of a progress
answer (`progressView`) and the outcome of a failed quote (`outcomeOf`); and the step names and plan
rows it shows, against the contract's vocabulary."""

from __future__ import annotations

import pytest
from contract_files import VOCABULARY
from modal_visitor import fill_form, person


@pytest.fixture
def helpers_page(service, new_page):
    page = new_page()
    page.goto(service.demo_url)
    page.wait_for_function("window.RpaModal && window.RpaModal.helpers")
    return page


def call(page, name: str, *args):
    return page.evaluate("([name, args]) => window.RpaModal.helpers[name](...args)", [name, list(args)])


@pytest.mark.parametrize(
    "args, text",
    [
        ((0, 0, 0, None), "Em geral o cálculo leva de 1 a 3 minutos."),
        ((0, 0, 0, 45), "Em geral o cálculo leva menos de 1 minuto."),
        ((0, 0, 0, 150), "Em geral o cálculo leva cerca de 3 minutos."),
        # The profile is 92 s: from step 1, about 2 minutes; scaled tenfold, about 15.
        ((1, 0, 0, None), "Tempo restante estimado: cerca de 2 minutos."),
        ((1, 0, 0, 920), "Tempo restante estimado: cerca de 15 minutos."),
        ((14, 0, 40, None), "Tempo restante estimado: menos de 1 minuto."),
        ((15, 10, 80, None), "Tempo restante estimado: menos de 1 minuto."),
        ((15, 60, 100, None), "Quase pronto: a seguradora está finalizando o cálculo."),
        # Past 2.5 times the typical length it says so instead of counting down.
        ((9, 5, 231, None), "Está levando mais que o normal, mas seguimos calculando."),
    ],
)
def test_remaining_time_texts(helpers_page, args, text):
    assert call(helpers_page, "remainingText", *args) == text


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


# progressView: the view model of one progress answer, from the answer and the modal's clock.

MINUTE_MS = 60_000
# A watch that began 100 s ago, on step 15 for the last 60 s, with no typical length known.
NOW = 1_000_000_000
CLOCK = {"now": NOW, "startedAt": NOW - 100_000, "step": 15, "stepSince": NOW - 60_000, "typicalSeconds": None}
TODO = ["todo"] * 15
ESTIMATE = {"coberturas_detalhadas": [{"nome_cobertura": "RCF", "valores": {"de": "R$ 1,00", "ate": "R$ 2,00"}}]}


def clock(**changes):
    return {**CLOCK, **changes}


@pytest.mark.parametrize(
    "progress, clock_, expected",
    [
        pytest.param(
            {"status": "waiting", "etapa_atual": 0, "percentual": 0, "posicao_fila": 2, "mensagem": ""},
            clock(),
            {
                "stepLabel": "Na fila",
                "percent": 0,
                "queue": "Você é o 2º na fila.",
                "eta": "Seu cálculo começa assim que um robô de cálculo ficar livre.",
                "message": "Aguardando a vez do seu cálculo.",
                "spoken": "Na fila: você é o 2º.",
                "steps": TODO,
                "notice": None,
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
            {"status": "running", "etapa_atual": 3, "percentual": 20, "mensagem": "Confirmando o veículo"},
            clock(step=3),
            {
                "stepLabel": "Etapa 3 de 15: Confirmação do veículo",
                "percent": 20,
                "message": "Confirmando o veículo",
                "queue": None,
                "eta": "Tempo restante estimado: cerca de 1 minuto.",
                "spoken": "Etapa 3 de 15: Confirmação do veículo.",
                "steps": ["done", "done", "current"] + ["todo"] * 12,
                "end": None,
            },
            id="running-step-3",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": "7"},
            clock(step=7),
            {"etapa": 7, "percent": 47, "stepLabel": "Etapa 7 de 15: Pernoite (CEP)"},
            id="percent-from-the-step-when-missing",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": 99, "percentual": 250},
            clock(),
            {"etapa": 15, "percent": 100, "stepLabel": "Etapa 15 de 15: Cálculo final"},
            id="out-of-range-clamped",
        ),
        pytest.param(
            {"status": "running", "etapa_atual": 0},
            clock(step=0),
            {"stepLabel": "Preparando", "spoken": None, "eta": "Em geral o cálculo leva de 1 a 3 minutos."},
            id="running-before-the-first-step",
        ),
        pytest.param(
            {"status": "success", "etapa_atual": 15, "percentual": 93},
            clock(),
            {"stepLabel": "Cálculo concluído", "percent": 100, "steps": ["done"] * 15, "eta": "", "end": "success"},
            id="success",
        ),
        pytest.param(
            {"status": "error", "etapa_atual": 2, "percentual": 13, "erros": [{"tipo": "rejeitado_placa"}]},
            clock(),
            {
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
        ("running", "Valores aproximados do seguro anual. O cálculo final vem a seguir."),
        ("success", "Esta foi a estimativa inicial; os valores finais estão nos planos acima."),
        ("error", "Esta foi a estimativa inicial da seguradora; o especialista confirma os valores finais."),
    ],
)
def test_progress_view_estimate_note_says_what_follows(helpers_page, status, note):
    progress = {"status": status, "etapa_atual": 6, "estimativas": {"capturadas": True, "dados": ESTIMATE}}
    assert call(helpers_page, "progressView", progress, clock())["estimate"] == {"dados": ESTIMATE, "note": note}
    progress["estimativas"] = {"capturadas": False, "dados": None}
    assert call(helpers_page, "progressView", progress, clock())["estimate"] is None


@pytest.mark.parametrize(
    "clock_, progress, eta, next_clock",
    [
        pytest.param(
            clock(),
            {"status": "running", "etapa_atual": 15},
            "Quase pronto: a seguradora está finalizando o cálculo.",
            {"step": 15, "stepSince": NOW - 60_000, "typicalSeconds": None},
            id="same-step-keeps-its-start",
        ),
        pytest.param(
            clock(step=14),
            {"status": "running", "etapa_atual": 15},
            "Tempo restante estimado: menos de 1 minuto.",
            {"step": 15, "stepSince": NOW, "typicalSeconds": None},
            id="new-step-starts-now",
        ),
        pytest.param(
            clock(step=1, stepSince=NOW),
            {"status": "running", "etapa_atual": 1, "duracao_tipica_s": 920},
            "Tempo restante estimado: cerca de 15 minutos.",
            {"step": 1, "stepSince": NOW, "typicalSeconds": 920},
            id="typical-length-from-the-service",
        ),
        pytest.param(
            clock(step=1, stepSince=NOW, typicalSeconds=920),
            {"status": "running", "etapa_atual": 1, "duracao_tipica_s": 0},
            "Tempo restante estimado: cerca de 15 minutos.",
            {"step": 1, "stepSince": NOW, "typicalSeconds": 920},
            id="typical-length-kept-when-absent",
        ),
    ],
)
def test_progress_view_keeps_the_clock(helpers_page, clock_, progress, eta, next_clock):
    view = call(helpers_page, "progressView", progress, clock_)
    assert view["eta"] == eta
    assert view["clock"] == {"now": NOW, "startedAt": clock_["startedAt"], **next_clock}


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
        [{"status": "running", "etapa_atual": 4, "duracao_tipica_s": 90}, clock(step=3)],
    )
    assert same


# outcomeOf: how a quote that ended in error goes on, from its erros and the fields the form has.

SPECIALIST = (
    "Não conseguimos concluir o cálculo automático agora. "
    "Fique tranquilo: um especialista da Imediato Seguros vai calcular e entrar em contato com você em breve."
)
FORM_FIELDS = ["nome", "cpf", "placa", "cep", "data_nascimento"]


def specialist(tipo: str, text: str = SPECIALIST) -> dict:
    return {
        "kind": "error",
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
        "title": "Precisamos que você confira um dado",
        "heading": heading,
        "text": text,
        "spoken": f"{heading}. {text}",
        "campo": campo,
        "fix": f"Corrigir {label.lower()}",
        "event": "rpa_error",
        "tipo": tipo,
    }


MANUAL_TEXT = (
    "Para o seu perfil, a seguradora pede um cálculo feito por uma pessoa. "
    "Fique tranquilo: um especialista da Imediato Seguros vai calcular e entrar em contato com você em breve."
)
MANUAL = {
    "kind": "manual",
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


@pytest.mark.parametrize(
    "erros, fields, expected",
    [
        pytest.param(
            [{"tipo": "cotacao_manual", "mensagem": "Ops, ainda não encontramos resultados"}],
            FORM_FIELDS,
            MANUAL,
            id="manual-quote",
        ),
        pytest.param(
            [{"tipo": "rejeitado_placa", "campo": "placa", "mensagem": "Placa não encontrada."}],
            FORM_FIELDS,
            rejected("rejeitado_placa", "placa", "Placa", "Placa não encontrada."),
            id="refused-plate",
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
            [{"tipo": "rejeitado_placa", "campo": "placa"}],
            ["nome", "cpf"],
            specialist("rejeitado_placa"),
            id="refused-field-the-form-lacks",
        ),
        pytest.param([{"tipo": "rejeitado_dados"}], FORM_FIELDS, specialist("rejeitado_dados"), id="refused-data"),
        pytest.param(
            [{"tipo": "portal_indisponivel", "mensagem": "HTTP 500"}],
            FORM_FIELDS,
            specialist("portal_indisponivel"),
            id="technical-failure",
        ),
        pytest.param(
            [{"tipo": "tempo_esgotado_no_navegador"}],
            FORM_FIELDS,
            specialist(
                "tempo_esgotado_no_navegador",
                "O cálculo está demorando mais do que deveria. Fique tranquilo: um especialista da Imediato "
                "Seguros vai calcular e entrar em contato com você em breve.",
            ),
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
    assert call(helpers_page, "outcomeOf", erros, fields) == expected
