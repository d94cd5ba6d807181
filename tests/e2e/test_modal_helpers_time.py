"""The modal's time model, called directly in the real browser: durations in words (a range when
the service measured too few quotes), the portal's countdown in words, each step's typical length
from the service's measured stages (`tempo_tipico`), the wait's bar, remaining time and
calculation stage (`timeView`), the page's copy about the usual length, and when the live region
speaks over a whole quote (never every poll)."""

from __future__ import annotations

import pytest
from modal_helpers_page import call, helpers_page_fixture, view_sequence  # noqa: F401  (the helpers_page fixture)


@pytest.mark.parametrize(
    "seconds, samples, text",
    [
        (92, None, "de 1 a 3 minutos"),
        (92, 5, "cerca de 2 minutos"),
        (60, 7, "cerca de 1 minuto"),
        (40, 12, "cerca de 40 segundos"),
        (12, 8, "cerca de 10 segundos"),
        (2, 8, "cerca de 5 segundos"),
        (40, 4, "de 25 segundos a 1 minuto"),
        (60, 4, "de 40 segundos a 2 minutos"),
        (10, 0, "menos de 1 minuto"),
        (300, 2, "de 3 a 8 minutos"),
    ],
)
def test_duration_phrase_is_a_range_until_enough_quotes_were_measured(helpers_page, seconds, samples, text):
    assert call(helpers_page, "durationPhrase", seconds, samples) == text


@pytest.mark.parametrize(
    "seconds, text", [(163, "2 min 43 s"), (120, "2 min"), (58.2, "59 s"), (0, "0 s"), (-3, "0 s")]
)
def test_clock_text_is_the_countdown_in_words(helpers_page, seconds, text):
    assert call(helpers_page, "clockText", seconds) == text


@pytest.mark.parametrize(
    "tempo, typical, expected",
    [
        pytest.param(
            None,
            None,
            {"estimate": 16, "questions": 21, "calc": 55, "total": 92, "samples": None, "first": 4},
            id="the-real-portals-profile",
        ),
        pytest.param(
            None,
            46,
            {"estimate": 8, "questions": 10.5, "calc": 27.5, "total": 46, "samples": None, "first": 2},
            id="scaled-to-the-measured-whole-quote",
        ),
        pytest.param(
            {"estimativa_s": 12, "calculo_s": 50, "total_s": 80, "amostras": 9},
            46,
            {"estimate": 12, "questions": 18, "calc": 50, "total": 80, "samples": 9, "first": 3},
            id="the-measured-stages",
        ),
        pytest.param(
            {"calculo_s": 40, "amostras": 3},
            None,
            {"estimate": 16, "questions": 21, "calc": 40, "total": 77, "samples": 3, "first": 4},
            id="only-the-calculation-measured",
        ),
        pytest.param(
            {"estimativa_s": 0, "calculo_s": 0, "total_s": 0, "amostras": 0},
            None,
            {"estimate": 16, "questions": 21, "calc": 55, "total": 92, "samples": None, "first": 4},
            id="nothing-usable-is-the-profile",
        ),
    ],
)
def test_step_durations(helpers_page, tempo, typical, expected):
    d = call(helpers_page, "stepDurations", tempo, typical)
    got = {k: round(d[k], 3) if isinstance(d[k], float) else d[k] for k in expected if k != "first"}
    assert got == {k: v for k, v in expected.items() if k != "first"}
    assert round(d["steps"][0], 3) == expected["first"] and round(d["steps"][14], 3) == expected["calc"]
    assert round(sum(d["steps"]), 3) == expected["total"]


def test_step_durations_keep_the_questions_stage_when_medians_do_not_add_up(helpers_page):
    d = call(helpers_page, "stepDurations", {"estimativa_s": 30, "calculo_s": 60, "total_s": 70, "amostras": 20}, None)
    assert d["questions"] > 0 and all(s > 0 for s in d["steps"])


# timeView: 16 s to the estimate, 24 s of questions and 60 s of calculation, from 10 quotes; the
# portal's countdown starts at 02:43.
MEASURED = {"estimativa_s": 16, "calculo_s": 60, "total_s": 100, "amostras": 10}
FEW = {**MEASURED, "amostras": 2}


def running(etapa, in_step=0.0, elapsed=0.0, calc=0.0, left=None, total=None):
    return {
        "status": "running",
        "etapa": etapa,
        "inStep": in_step,
        "elapsed": elapsed,
        "calcElapsed": calc,
        "ceilingLeft": left,
        "ceilingTotal": total,
    }


EXPECTED_CALC = "Normalmente leva cerca de 1 minuto; no máximo 2 min 43 s."
ALMOST = "Quase pronto: a seguradora está terminando o cálculo."


@pytest.mark.parametrize(
    "t, tempo, expected",
    [
        pytest.param(
            {**running(0), "status": "waiting"}, MEASURED, {"percent": 0, "eta": "", "calc": None}, id="waiting"
        ),
        pytest.param(
            running(0), MEASURED, {"percent": 0, "eta": "Em geral o cálculo leva cerca de 2 minutos."}, id="preparing"
        ),
        pytest.param(
            running(5, in_step=2),
            MEASURED,
            {"percent": 10, "eta": "Tempo restante estimado: cerca de 2 minutos.", "calc": None},
            id="step-5",
        ),
        pytest.param(
            running(9, in_step=50, elapsed=250),
            MEASURED,
            {"eta": "Está levando mais que o normal, mas seguimos calculando.", "overdue": True},
            id="a-slow-portal-before-the-calculation",
        ),
        pytest.param(
            running(15, calc=0, left=163, total=163),
            MEASURED,
            {
                "percent": 40,
                "eta": "Tempo restante estimado: cerca de 1 minuto; no máximo 2 min 43 s.",
                "calc": {"percent": 0, "expected": EXPECTED_CALC},
                "almost": False,
                "overdue": False,
            },
            id="the-calculation-begins",
        ),
        pytest.param(
            running(15, calc=30, left=133, total=163),
            MEASURED,
            {
                "percent": 67,
                "eta": "Tempo restante estimado: cerca de 30 segundos; no máximo 2 min 13 s.",
                "calc": {"percent": 45, "expected": EXPECTED_CALC},
                "almost": False,
            },
            id="halfway",
        ),
        pytest.param(
            running(15, calc=50, left=113, total=163),
            MEASURED,
            {"percent": 85, "eta": ALMOST, "almost": True, "overdue": False},
            id="almost-by-the-typical-time",
        ),
        pytest.param(
            running(15, calc=50),
            FEW,
            {
                "percent": 85,
                "eta": "Tempo restante estimado: menos de 1 minuto.",
                "calc": {"percent": 75, "expected": "Normalmente leva de 40 segundos a 2 minutos."},
                "almost": False,
            },
            id="few-samples-promise-no-almost",
        ),
        pytest.param(
            running(15, calc=100, left=63, total=163),
            MEASURED,
            {
                "percent": 95,
                "eta": "Está levando mais que o normal, mas a seguradora segue calculando: no máximo mais 1 min 3 s.",
                "calc": {"percent": 93, "expected": EXPECTED_CALC},
                "almost": False,
                "overdue": True,
            },
            id="past-the-usual-end-towards-the-ceiling",
        ),
        pytest.param(
            running(15, calc=70),
            MEASURED,
            {
                "percent": 94,
                "eta": "Está levando mais que o normal, mas a seguradora segue calculando.",
                "calc": {"percent": 90, "expected": "Normalmente leva cerca de 1 minuto."},
                "overdue": True,
            },
            id="past-the-usual-end-without-a-countdown",
        ),
        pytest.param(
            running(15, calc=155, left=8, total=163),
            MEASURED,
            {"percent": 98, "eta": ALMOST, "almost": True, "overdue": False},
            id="almost-by-the-countdown",
        ),
        pytest.param(
            running(15, calc=400, left=0, total=163),
            MEASURED,
            {"percent": 98, "eta": ALMOST, "calc": {"percent": 98, "expected": EXPECTED_CALC}},
            id="never-100-before-the-result",
        ),
        pytest.param(
            running(15, calc=10, left=30, total=40),
            MEASURED,
            {
                "eta": "Tempo restante estimado: cerca de 30 segundos; no máximo 30 s.",
                "calc": {"percent": 22, "expected": "Normalmente leva cerca de 40 segundos; no máximo 40 s."},
            },
            id="a-countdown-shorter-than-usual-bounds-the-expected-time",
        ),
        pytest.param(
            {**running(15), "status": "success"}, MEASURED, {"percent": 100, "eta": "", "calc": None}, id="success"
        ),
    ],
)
def test_time_view(helpers_page, t, tempo, expected):
    view = helpers_page.evaluate(
        "([t, tempo]) => RpaModal.helpers.timeView(t, RpaModal.helpers.stepDurations(tempo, null))", [t, tempo]
    )
    assert {k: view[k] for k in expected} == expected


@pytest.mark.parametrize(
    "tempo, typical, text",
    [
        (None, None, "de 1 a 3 minutos"),
        (MEASURED, None, "cerca de 2 minutos"),
        (FEW, None, "de 1 a 3 minutos"),
        (None, 20, "menos de 1 minuto"),
    ],
)
def test_the_pages_copy_about_the_usual_length(helpers_page, tempo, typical, text):
    assert call(helpers_page, "typicalPhrase", tempo, typical) == text


def test_the_live_region_speaks_at_sensible_intervals_over_a_whole_quote(helpers_page):
    """A quote polled every 2 s: the queue, the first step, the vehicle, the estimate, the
    calculation and "almost" are said as they happen; steps at most every 20 s; the remaining time during the
    calculation at most every 30 s. Of 60 polls, nine speak."""
    estimate = {
        "coberturas_detalhadas": [
            {"nome_cobertura": "Compreensiva", "valores": {"de": "R$ 2.300,00", "ate": "R$ 2.900,00"}}
        ]
    }
    est = {"capturadas": True, "dados": estimate}
    t0 = 1_000_000_000

    def answer(second, **fields):
        return (t0 + second * 1000, {"status": "running", "tempo_tipico": MEASURED, **fields})

    answers = [(t0, {"status": "waiting", "posicao_fila": 1, "etapa_atual": 0})]
    answers += [answer(2, etapa_atual=1), answer(4, etapa_atual=2), answer(6, etapa_atual=3, veiculo="KICKS 2017/2017")]
    answers += [answer(s, etapa_atual=5, veiculo="KICKS 2017/2017", estimativas=est) for s in (8, 10)]
    answers += [answer(s, etapa_atual=6 + (s - 12) // 4, estimativas=est) for s in range(12, 40, 2)]
    calc = {"restante_s": 163, "total_s": 163}
    answers += [
        answer(s, etapa_atual=15, estimativas=est, calculo={**calc, "restante_s": 163 - (s - 40)})
        for s in range(40, 120, 2)
    ]
    views = view_sequence(helpers_page, answers, {"startedAt": t0, "step": -1, "stepSince": t0})
    spoken = [(round((a[0] - t0) / 1000), v["spoken"]) for a, v in zip(answers, views) if v["spoken"]]
    assert spoken == [
        (0, "Na fila: você é o 1º."),
        (2, "Etapa 1 de 15: Tipo de veículo. Tempo restante estimado: cerca de 2 minutos."),
        (6, "Veículo encontrado: KICKS 2017/2017."),
        (8, "A estimativa inicial chegou: Compreensiva de R$ 2.300,00 a R$ 2.900,00 por ano."),
        (28, "Etapa 10 de 15: Condutor principal. Tempo restante estimado: cerca de 1 minuto."),
        (40, "Etapa 15 de 15: cálculo final da seguradora. " + EXPECTED_CALC),
        (70, "Tempo restante estimado: cerca de 30 segundos; no máximo 2 min 13 s."),
        (86, ALMOST),
        (116, "Está levando mais que o normal, mas a seguradora segue calculando: no máximo mais 1 min 27 s."),
    ]
    assert len(answers) == 60


def test_without_a_countdown_the_calculations_bar_keeps_moving_past_its_usual_end(helpers_page):
    shown = helpers_page.evaluate(
        """tempo => [70, 100, 200, 400, 800].map(calc => RpaModal.helpers.timeView(
             {status: 'running', etapa: 15, inStep: calc, elapsed: calc + 40, calcElapsed: calc,
              ceilingLeft: null, ceilingTotal: null},
             RpaModal.helpers.stepDurations(tempo, null)).calc.percent)""",
        MEASURED,
    )
    assert shown == [90, 91, 94, 96, 97]
