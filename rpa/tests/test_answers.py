"""Every answer reaches the portal or the quote stops, on pages this test builds (the screen units
run in-process in the robot's own browser):

- screen 6's "Outros" boxes built as on the real portal (no `name`, inside `#outrosTelaItens`,
  whose `<label>` shares the id): a financed car with kit gás leaves both boxes ticked when
  Continuar is pressed;
- a box that is missing is `tela_nao_reconhecida` naming the screen and the box; a box that does
  not take the click is the same `tipo`, saying the answer could not be given;
- a typed field that ends up holding something else than the value is a failure naming the
  screen and the field (never the value); one whose mask shows the value in another format is
  accepted."""

import pytest
from cotacao.errors import RobotError
from cotacao.inputs import parse_input
from cotacao.screens.base import Run
from cotacao.screens.car import Itens
from cotacao.screens.vehicle import Placa
from cotacao.tracker import Tracker
from robot_harness import in_robot_page, quote_input

# Continuar records what was checked and shows the next screen's address field.
NEXT_SCREEN_JS = """
document.addEventListener('click', ev => {
  const button = ev.target.closest('button');
  if (!button || !/Continuar$/.test(button.id)) return;
  ev.preventDefault();
  window.marcados = Array.from(document.querySelectorAll('input:checked')).map(i => i.value);
  document.body.innerHTML = '<input id="enderecoTelaEndereco">';
});
"""


def items_screen(boxes=("Kit Gás", "Blindado", "Financiado"), stubborn: str = "") -> str:
    """Screen 6 as the real portal builds it: the boxes carry no name; `stubborn` names a box
    that undoes every click."""

    def box(value: str) -> str:
        undo = ' onclick="event.preventDefault()"' if value == stubborn else ""
        return (
            '<label><div><label><span><input type="checkbox" value="' + value + '"' + undo + "></span>"
            "<span><p>" + value + "</p></span></label></div></label>"
        )

    fuels = "".join(
        f'<label><input type="radio" name="tipoCombustivelTelaItens" value="{v}"{" checked" if v == 1 else ""}>'
        f"<p>{v}</p></label>"
        for v in range(1, 7)
    )
    return (
        '<main><form><label id="tipoCombustivelTelaItens">Tipo de Combustível</label>'
        f'<div role="radiogroup" id="tipoCombustivelTelaItens">{fuels}</div>'
        '<label id="outrosTelaItens"><p>Outros</p></label>'
        f'<div id="outrosTelaItens">{"".join(box(v) for v in boxes)}</div>'
        '<button type="button">Voltar</button><button type="submit" id="gtm-telaItensAutoContinuar">'
        f"<p>Continuar</p></button></form></main><script>{NEXT_SCREEN_JS}</script>"
    )


def plate_screen(maxlength: int = 8) -> str:
    """Screen 2 with no mask; its Continuar shows screen 3's Continuar."""
    return (
        f'<main><form><input id="placaTelaDadosPlaca" name="plate" type="text" maxlength="{maxlength}">'
        '<button type="submit" id="gtm-telaDadosAutoCotarComPlacaContinuar"><p>Continuar</p></button>'
        '</form></main><button hidden id="gtm-telaInfosAutoContinuar">Continuar</button>'
        "<script>document.addEventListener('submit', ev => { ev.preventDefault();"
        " document.getElementById('gtm-telaInfosAutoContinuar').hidden = false; });</script>"
    )


def run_screen(screen, html: str, tmp_path, **answers):
    """Runs one screen unit on `html`; returns (next screen key or the RobotError, checked boxes)."""

    async def work(page, settings):
        tracker = Tracker(tmp_path, "q")
        tracker.start("Iniciando")
        await page.set_content(html)
        r = Run(page, parse_input(quote_input(**answers)), settings.timeouts, tracker, "", settings.credentials)
        try:
            outcome = await screen.run(r)
        except RobotError as exc:
            outcome = exc
        return outcome, await page.evaluate("window.marcados || null")

    return in_robot_page(work, RPA_TIMEOUT_TELA_S="2")


def test_a_financed_car_with_kit_gas_ticks_both_boxes_of_the_real_structure(tmp_path):
    outcome, checked = run_screen(Itens(), items_screen(), tmp_path, kit_gas=True, financiado=True)
    assert outcome == "pernoite"
    assert checked == ["1", "Kit Gás", "Financiado"]


@pytest.mark.parametrize(
    "page,detalhe",
    [
        (items_screen(boxes=("Kit Gás", "Blindado")), "não apareceu"),
        (items_screen(stubborn="Financiado"), "o elemento não ficou marcado depois do clique"),
    ],
    ids=["caixa-ausente", "caixa-que-nao-marca"],
)
def test_a_box_the_robot_cannot_tick_stops_the_quote_naming_screen_and_box(tmp_path, page, detalhe):
    error, checked = run_screen(Itens(), page, tmp_path, financiado=True)
    assert isinstance(error, RobotError), error
    assert (error.tipo, error.exit_code) == ("tela_nao_reconhecida", 1)
    assert "Itens do veículo (tela 6)" in error.sugestao and "«Financiado (Outros)»" in error.sugestao
    assert detalhe in error.sugestao
    assert "especialista" in error.mensagem
    assert checked is None  # Continuar was never pressed


def test_a_field_that_does_not_take_the_value_stops_the_quote(tmp_path):
    error, _ = run_screen(Placa(), plate_screen(maxlength=3), tmp_path, placa="ABC1D23")
    assert isinstance(error, RobotError), error
    assert error.tipo == "tela_nao_reconhecida"
    assert "Na tela «Placa (tela 2)» o robô não conseguiu informar «Placa»" in error.sugestao
    assert "ABC" not in error.sugestao + error.mensagem  # the field, never the value


def test_a_mask_that_shows_the_value_in_another_format_is_accepted(tmp_path):
    """No mask at all (the plate stays "ABC1D23", not "ABC-1D23"): the value is intact."""
    outcome, _ = run_screen(Placa(), plate_screen(), tmp_path, placa="ABC1D23")
    assert outcome == "confirmacao"
