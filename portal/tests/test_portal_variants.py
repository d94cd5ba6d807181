"""The layouts of the result page (--variante-resultado), the slight change of one screen
(--mudanca-tela) and the unknown screen (--fault N:desconhecida), through the browser."""

from __future__ import annotations

import pytest
from portal_driver import CONTINUAR, login, walk

NBSP = "\u00a0"
LABELS = [
    "Forma de pagamento",
    "Franquia",
    "Tipo de franquia",
    "Valor de mercado",
    "Assistência 24h",
    "Vidros",
    "Carro reserva",
    "Danos materiais",
    "Danos corporais",
    "Danos morais",
    "Morte/Invalidez",
]
REC = "div.md\\:w-80.border-4.border-primary"
ALT = "div.md\\:w-80.border-4:not(.border-primary)"

# The value rows of a card, whatever the element type: text without the repeated label, or the icon.
ROW_VALUES = """c => [...c.querySelectorAll('.linha')].map(r => {
  const img = r.querySelector('img');
  if (img) return img.getAttribute('src');
  const v = r.querySelector('.valor');
  return (v || r).textContent;
})"""


def result_page(page, portal):
    assert walk(page, portal, placa="ABC1D23") == "resultado"
    login(page)
    page.wait_for_selector("#emailTelaLogin", state="hidden")
    page.wait_for_function("() => !document.querySelector('#gradeResultado').textContent.includes('100,00')")


@pytest.fixture(scope="module")
def values_by_variant():
    return {}


@pytest.mark.parametrize(
    "variant", ["padrao", "rotulos-no-cartao", "sem-coluna-de-rotulos", "linhas-em-lista", "botoes-em-rotulos"]
)
def test_result_layouts_show_the_same_values(start_portal, page, variant, values_by_variant):
    result_page(page, start_portal("--delay-scale", "0", "--variante-resultado", variant))
    rec, alt = page.locator(REC), page.locator(ALT)
    values = (rec.evaluate(ROW_VALUES), alt.evaluate(ROW_VALUES))
    assert values[0] == [
        "Crédito em até 12x sem juros!",
        f"R${NBSP}3.091,66",
        "Reduzida",
        "100% da tabela FIPE",
        "/icone-ok.svg",
        "/icone-nok.svg",
        "/icone-nok.svg",
        f"R${NBSP}50.000,00",
        f"R${NBSP}50.000,00",
        f"R${NBSP}10.000,00",
        f"R${NBSP}0,00",
    ]
    assert (
        values[1][0] == "Boleto/Crédito em até 3x sem juros ou 12x de R$ 422,56"
        and values[1][-1] == f"R${NBSP}5.000,00"
    )
    values_by_variant[variant] = values
    assert all(v == values for v in values_by_variant.values())
    grid = page.locator("#gradeResultado")
    text = rec.text_content()
    if variant == "padrao":
        # A line break between a card's rows, as in the real portal's captures (portal/README.md).
        assert text.split("\n") == [
            "Plano recomendado",
            "R$3.889,94",
            "anual",
            "Crédito em até 12x sem juros!",
            f"R${NBSP}3.091,66",
            "Reduzida",
            "100% da tabela FIPE",
            "",
            "",
            "",
            f"R${NBSP}50.000,00",
            f"R${NBSP}50.000,00",
            f"R${NBSP}10.000,00",
            f"R${NBSP}0,00",
            "Contratar",
        ]
        assert grid.locator(".coluna-rotulos > p").all_text_contents() == LABELS
        assert page.locator("#gradeResultado [role]").count() == 0
    elif variant == "rotulos-no-cartao":
        assert rec.locator(".rotulo-cartao").all_text_contents() == LABELS
        assert not rec.locator(".rotulo-cartao").first.is_visible()  # wide screen: the label column shows them
        page.set_viewport_size({"width": 600, "height": 900})
        assert rec.locator(".rotulo-cartao").first.is_visible()
        assert text.split("\n")[3] == "Forma de pagamentoCrédito em até 12x sem juros!"
        assert rec.get_attribute("role") == "group" and rec.get_attribute("aria-labelledby") == "tituloPlanoRecomendado"
    elif variant == "sem-coluna-de-rotulos":
        assert grid.locator(".coluna-rotulos").count() == 0 and grid.get_attribute("role") == "list"
        assert "grid-cols-[250px_1fr_1fr]" not in grid.get_attribute("class")
        assert rec.locator("dl > dt").all_text_contents() == LABELS and rec.locator("dl > dd").count() == 11
        assert "\n" not in text and text.startswith("Plano recomendadoR$3.889,94anualForma de pagamentoCrédito")
        assert rec.get_attribute("role") == "listitem"
    elif variant == "botoes-em-rotulos":
        # The real estimate cards' pattern: the card's text is the content of buttons inside labels.
        assert grid.locator(".coluna-rotulos > p").all_text_contents() == LABELS
        in_buttons = rec.locator("label > button > p")
        assert in_buttons.all_text_contents()[:3] == [
            "Plano recomendado",
            "R$3.889,94",
            "Crédito em até 12x sem juros!",
        ]
        assert in_buttons.count() == 2 + 8  # title, premium, the eight text rows
        assert rec.locator("label.linha").count() == 8 and rec.locator("div.linha.icone > img").count() == 3
        assert rec.locator("button img").count() == 0  # the icons are outside the buttons, as the benefits
        assert "\n" not in text and text.startswith("Plano recomendadoR$3.889,94anualCrédito em até 12x sem juros!")
        assert page.locator("#gradeResultado [role]").count() == 0
    else:
        assert grid.locator("ul.coluna-rotulos[role=list] > li").all_text_contents() == LABELS
        assert rec.locator("ul[role=list] > li.linha").count() == 11
        assert "\n  R$3.889,94\n  anual\n" in text


def test_changed_screen_has_one_more_button_there_only(start_portal, page):
    portal = start_portal("--delay-scale", "0", "--mudanca-tela", "9")
    seen = {}
    walk(
        page,
        portal,
        until="condutor",
        on_screen=lambda name: seen.setdefault(name, page.locator("[data-ajuda]").count()),
    )
    assert seen.pop("segurado") == 1 and set(seen.values()) == {0}
    walk(page, portal, until="segurado")
    assert page.locator("button#gtm-telaDadosSeguradoAjuda[type=button]").inner_text() == "Precisa de ajuda?"
    assert page.locator(CONTINUAR["segurado"]).count() == 1


def test_changed_result_page(start_portal, page):
    result_page(page, start_portal("--delay-scale", "0", "--mudanca-tela", "15"))
    assert page.locator("#gtm-telaResultadoAjuda").count() == 1


def test_unknown_screen_before_a_known_one(start_portal, page):
    portal = start_portal("--delay-scale", "0", "--fault", "8:desconhecida")
    walk(page, portal, until="pernoite")
    page.fill("#enderecoTelaEndereco", "01310-100")
    page.click("#enderecoTelaEndereco-option-0")
    page.click(CONTINUAR["pernoite"])
    page.wait_for_selector("text=O veículo possui rastreador?")
    assert page.locator(CONTINUAR["uso"]).count() == 0
    assert page.locator("div[role=radiogroup]#possuiRastreadorTelaRastreador input[value=nao]").is_checked()
    page.click("#gtm-telaRastreadorContinuar")
    page.wait_for_selector(CONTINUAR["uso"])
    page.click("button:has-text('Voltar')")  # back from screen 8 goes to screen 7, not to the unknown screen again
    page.wait_for_selector(CONTINUAR["pernoite"])
    page.click(CONTINUAR["pernoite"])
    page.wait_for_selector(CONTINUAR["uso"])


def test_unknown_first_screen(start_portal, page):
    portal = start_portal("--delay-scale", "0", "--fault", "1:desconhecida")
    page.goto(portal.tenant)
    page.wait_for_selector("#gtm-telaRastreadorContinuar")
    assert page.locator("button:has(img[alt='Icone car'])").count() == 0
    page.click("#gtm-telaRastreadorContinuar")
    page.wait_for_selector("button:has(img[alt='Icone car'])")
