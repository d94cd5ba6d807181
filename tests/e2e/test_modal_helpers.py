"""The modal's pure helpers, called directly in the real browser (`window.RpaModal.helpers`): the
remaining-time texts, the wait text after a refusal, field labels, the request body built from the
form, the answers' fingerprint, the error that explains a failure; and the step names and plan rows
it shows, against the contract's vocabulary."""

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
