"""Both readers on pages in the real browser (the robot's own page, `page.set_content`):

- the real estimate (screen 5's capture, its scripts removed): the structure and the text readers
  agree (`metodo: "ambos"`) on the exact values, although the real cards keep their title and
  range inside `<label><button>` and "Principais Benefícios" inside `<button><label>`;
- the text reader keeps the card's buttons and labels and still leaves out the carousel's
  controls and a form (the "continuar depois" drawer), on a carousel this test builds;
- plan cards built the same way (every row a `<label><button>`, a Contratar button as the only
  control) give both plan readers the same plans;
- the vehicle is read off the real confirmation screen (screen 3's capture);
- screen 15's state function hands back the portal's countdown from the page's visible text,
  whatever element holds it, and nothing when it is hidden, gone or has no time."""

import pytest
from cotacao.portal import RESULT_TITLE
from cotacao.reading import estimate as estimates
from cotacao.reading import plans
from cotacao.reading.vehicle import read_vehicle
from cotacao.screens.result import STATE_JS
from real_portal import REAL_ESTIMATE, estimate_as_read, screen_html
from robot_harness import in_robot_page
from test_readers import ABC_ALT, ABC_REC, LABELS, card_values

NB = "\u00a0"
OK_ICON = '<img alt="Icone de OK" src="/icone-ok.svg">'
NOK_ICON = '<img alt="Icone de NOK" src="/icone-nok.svg">'


def on_page(html: str, read):
    """`read(page)` on a page holding `html`, in the robot's own browser."""

    async def work(page, _settings):
        await page.set_content(html)
        return await read(page)

    return in_robot_page(work)


def test_both_readers_take_the_real_estimate():
    reading = on_page(screen_html(5), lambda page: estimates.read_estimate(page, 10))
    assert (reading.metodo, reading.motivo) == ("ambos", "estrutura e texto deram os mesmos valores")
    assert estimate_as_read(reading.value) == REAL_ESTIMATE
    assert reading.value["resumo"] == {"total_coberturas": 3, "total_beneficios": 12, "valores_encontrados": 6}


def built_carousel(in_screen_form: bool) -> str:
    """A carousel built like the real one, with its arrows after the cards and either a form of
    its own inside it (the drawer) or, as the simulated portal's screens are, the whole screen
    inside a form (HTML nests no forms, so a page has one or the other)."""

    def card(name: str, de: str, ate: str, benefits: list[tuple[bool, str]]) -> str:
        amount = lambda v: f"<span><span>R$</span><span>{NB}{v}</span><span>,00</span></span>"  # noqa: E731
        listed = "".join(f"<div>{OK_ICON if ok else NOK_ICON}<p>{b}</p></div>" for ok, b in benefits)
        return (
            '<div role="group" aria-roledescription="slide"><div>'
            f"<label><button><p>Cobertura <b>{name}</b></p></button></label>"
            f"<label><button><p>De {amount(de)} até {amount(ate)}</p></button></label>"
            "<div>com possibilidade de parcelamento sem juros</div>"
            f"<button><label>Principais Benefícios</label></button><div>{listed}</div>"
            "</div></div>"
        )

    drawer = (
        '<form><p>Nos diga porquê prefere continuar depois</p><label><input type="radio" name="motivo">'
        "<span>Quero comparar com outras seguradoras</span></label><button>ENVIAR</button></form>"
    )
    screen = (
        '<div role="region" aria-roledescription="carousel"><div>'
        + card("Compreensiva", "1.200", "1.700", [(True, "Colisão e Acidentes"), (False, "Vidros")])
        + card("RCF", "900", "1.400", [(True, "Danos materiais a terceiros")])
        + "</div><button disabled><span>Previous slide</span></button><button><span>Next slide</span></button>"
        + ("" if in_screen_form else drawer)
        + '</div><button type="button"><p>Voltar</p></button><button type="submit"><p>Continuar</p></button>'
    )
    return f"<main><form>{screen}</form></main>" if in_screen_form else f"<main>{screen}</main>"


@pytest.mark.parametrize("in_screen_form", [False, True], ids=["gaveta-no-carrossel", "tela-num-form"])
def test_estimate_text_reader_keeps_the_cards_buttons_and_leaves_out_controls_and_forms(in_screen_form):
    got = on_page(built_carousel(in_screen_form), estimates.read_by_text)
    assert [(c["nome_cobertura"], c["valores"]) for c in got["coberturas_detalhadas"]] == [
        ("Compreensiva", {"de": "R$ 1.200,00", "ate": "R$ 1.700,00"}),
        ("RCF", {"de": "R$ 900,00", "ate": "R$ 1.400,00"}),
    ]
    assert [c["beneficios"] for c in got["coberturas_detalhadas"]] == [
        [{"nome": "Colisão e Acidentes", "status": "incluido"}, {"nome": "Vidros", "status": "nao_incluido"}],
        [{"nome": "Danos materiais a terceiros", "status": "incluido"}],
    ]


def buttons_in_labels_result() -> str:
    """A result page whose label column and card rows are all `<label><button>` (the pattern of
    the real estimate cards), with a Contratar button in each card."""

    def row(content: str) -> str:
        return f"<label><button><p>{content}</p></button></label>"

    def card(plan: dict, recommended: bool) -> str:
        icon = {"\ue000": OK_ICON, "\ue001": NOK_ICON}
        values = [icon.get(v, v) for v in card_values(plan)]
        price = plan["valor"].replace("R$ ", "")
        return (
            f'<div class="md:w-80 border-4{" border-primary" if recommended else ""}">'
            + row(plan["plano"])
            + row(f"<span>R$</span><span>{price}</span>")
            + row("anual")
            + "".join(row(v) for v in values)
            + '<button type="button"><p>Contratar</p></button></div>'
        )

    return (
        "<main><section><h2>Parabéns, chegamos ao resultado final da cotação!</h2>"
        '<div class="grid grid-cols-[250px_1fr_1fr]"><div>'
        + "".join(row(label) for label in LABELS)
        + "</div>"
        + card(ABC_REC, True)
        + card(ABC_ALT, False)
        + "</div></section></main>"
    )


def test_both_plan_readers_take_cards_of_buttons_inside_labels():
    page = buttons_in_labels_result()
    expected = {"plano_recomendado": ABC_REC, "plano_alternativo": ABC_ALT}
    assert on_page(page, plans.read_by_structure) == expected
    assert on_page(page, plans.read_by_text) == expected
    reading = on_page(page, plans.read_plans)
    assert (reading.metodo, reading.value) == ("ambos", expected)


def test_the_vehicle_is_read_off_the_real_confirmation_screen():
    assert on_page(screen_html(3), lambda page: read_vehicle(page, "KVA1791")) == "ECOSPORT 2007/2007"


COUNTDOWNS = [
    ("<p>Tempo estimado em <b>02:43</b></p>", 163),
    ("<div><span>Tempo estimado em</span><span> 01</span>:<span>05</span></div>", 65),
    (f"<section><p>Por favor, aguarde.</p><p>Tempo estimado em:{NB}1:02:03</p></section>", 3723),
    ("<p>Tempo estimado em <b>00:00</b></p>", 0),
    ("<p>Por favor, aguarde. Estamos realizando o cálculo para você!</p>", None),
    ("<p>Tempo estimado em <b>--:--</b></p>", None),
    ('<p style="display:none">Tempo estimado em 02:43</p>', None),
    ('<p style="visibility:hidden">Tempo estimado em 02:43</p>', None),
]


def screen_15_states(cases: list[tuple[str, object]]) -> list:
    """What screen 15's state function answers on each page `html` when it last handed back
    `last`, for each (html, last), in one browser."""

    async def work(page, _settings):
        out = []
        for html, last in cases:
            await page.set_content(html)
            out.append(await page.evaluate(STATE_JS, [RESULT_TITLE, [], {"last": last}]))
        return out

    return in_robot_page(work)


def test_the_countdown_is_read_from_the_visible_text():
    cases, expected = [], []
    for html, seconds in COUNTDOWNS:
        cases.append((html, None))
        expected.append(False if seconds is None else {"restante": seconds})
        if seconds is None:
            cases.append((html, 12))  # it was shown, and is gone
            expected.append({"restante": None})
        else:
            cases += [(html, seconds), (html, seconds + 1)]  # the same value is nothing new
            expected += [False, {"restante": seconds}]
    # An ending wins over the countdown.
    cases.append(("<p>Tempo estimado em 00:00</p><p>Ops, ainda não encontramos resultados para você</p>", None))
    expected.append({"estado": "cotacao_manual"})
    assert screen_15_states(cases) == expected
