"""A minimal driver of the simulated portal for its own tests: walks the quote flow screen by
screen with the ids of the real portal and stops at the screen a test wants to inspect."""

from __future__ import annotations

CONTINUAR = {
    "placa": "#gtm-telaDadosAutoCotarComPlacaContinuar",
    "confirmacao": "#gtm-telaInfosAutoContinuar",
    "renovacao": "#gtm-telaRenovacaoVeiculoContinuar",
    "estimativa": "#gtm-telaEstimativaContinuarParaCotacaoFinal",
    "zerokm": "#gtm-telaZeroKmContinuar",
    "itens": "#gtm-telaItensAutoContinuar",
    "pernoite": "#gtm-telaPernoiteVeiculoContinuar",
    "uso": "#gtm-telaUsoVeiculoContinuar",
    "segurado": "#gtm-telaDadosSeguradoContinuar",
    "condutor": "#gtm-telaCondutorPrincipalContinuar",
    "atividade": "#gtm-telaAtividadeVeiculoContinuar",
    "garagem": "#gtm-telaGaragemResidenciaContinuar",
    "residentes": "#gtm-telaUsoResidentesContinuar",
    "corretor": "#gtm-telaCorretorAnteriorContinuar",
}

TITULO_RESULTADO = "Parabéns, chegamos ao resultado final da cotação!"
OPS = "Ops, ainda não encontramos resultados para você"

PESSOA = {
    "nome": "FULANO DE TAL",
    "cpf": "52998224725",
    "data": "15/03/1985",
    "sexo": "masculino",
    "estado_civil": "solteiro",
    "email": "fulano.teste@example.com",
    "celular": "11987654321",
}


def pick(page, select_id: str, value: str) -> None:
    page.click(f"#{select_id}")
    page.click(f"ul[role=listbox] li[role=option][data-value='{value}']")
    page.wait_for_selector(f"#{select_id}[aria-expanded='false']")


def fill_person(page, suffix: str, pessoa: dict) -> None:
    page.fill(f"#nome{suffix}", pessoa["nome"])
    page.fill(f"#cpf{suffix}", pessoa["cpf"])
    page.fill(f"#dataNascimento{suffix}", pessoa["data"])
    pick(page, f"sexo{suffix}", pessoa["sexo"])
    pick(page, f"estadoCivil{suffix}", pessoa["estado_civil"])


def wait_end(page, timeout_ms: int = 60_000) -> str:
    """Waits for the result title or the manual-quote page; returns "resultado" or "manual"."""
    page.locator(f"text={TITULO_RESULTADO}").or_(page.locator("p.text-center.text-base")).first.wait_for(
        timeout=timeout_ms
    )
    return "manual" if page.locator(f"p.text-center.text-base:has-text('{OPS}')").count() else "resultado"


def walk(
    page,
    portal,
    placa: str = "ABC1D23",
    tipo: str = "carro",
    until: str | None = None,
    cep: str = "01310-100",
    pessoa: dict | None = None,
    end_timeout_ms: int = 60_000,
    on_screen=None,
) -> str:
    """Walks from screen 1; returns the name of the screen it stopped at (`until`), or, at the end,
    "resultado" or "manual". `on_screen(name)` is called as each screen appears."""
    pessoa = {**PESSOA, **(pessoa or {})}

    def at(name: str) -> bool:
        if on_screen:
            on_screen(name)
        return until == name

    page.goto(portal.tenant)
    if at("tipo"):
        return "tipo"
    page.click(f'button:has(img[alt="Icone {"car" if tipo == "carro" else "motorcycle"}"])')
    page.wait_for_selector("#placaTelaDadosPlaca")
    if at("placa"):
        return "placa"
    page.fill("#placaTelaDadosPlaca", placa)
    page.click(CONTINUAR["placa"])
    for name, anchor in [("confirmacao", None), ("renovacao", None), ("estimativa", "p.text-primary")]:
        page.wait_for_selector(CONTINUAR[name])
        if anchor:
            page.wait_for_selector(anchor)
        if at(name):
            return name
        page.click(CONTINUAR[name])
    page.locator(CONTINUAR["zerokm"]).or_(page.locator(CONTINUAR["itens"])).wait_for()
    if page.locator(CONTINUAR["zerokm"]).count():
        if at("zerokm"):
            return "zerokm"
        page.click(CONTINUAR["zerokm"])
    page.wait_for_selector(CONTINUAR["itens"])
    if at("itens"):
        return "itens"
    page.click(CONTINUAR["itens"])
    page.wait_for_selector("#enderecoTelaEndereco")
    if at("pernoite"):
        return "pernoite"
    page.fill("#enderecoTelaEndereco", cep)
    page.click("#enderecoTelaEndereco-option-0")
    page.click(CONTINUAR["pernoite"])
    page.wait_for_selector(CONTINUAR["uso"])
    if at("uso"):
        return "uso"
    page.click(CONTINUAR["uso"])
    page.wait_for_selector("#nomeTelaSegurado")
    if at("segurado"):
        return "segurado"
    fill_person(page, "TelaSegurado", pessoa)
    page.fill("#emailTelaSegurado", pessoa["email"])
    page.fill("#celularTelaSegurado", pessoa["celular"])
    page.click(CONTINUAR["segurado"])
    for name in ["condutor", "atividade", "garagem", "residentes"]:
        page.wait_for_selector(CONTINUAR[name])
        if at(name):
            return name
        page.click(CONTINUAR[name])
    corretor = page.locator(CONTINUAR["corretor"])
    fim = (
        page.locator(f"text={TITULO_RESULTADO}")
        .or_(page.locator("p.text-center.text-base"))
        .or_(page.locator("text=Tempo estimado em"))
    )
    corretor.or_(fim).first.wait_for(timeout=end_timeout_ms)
    if corretor.count():
        if at("corretor"):
            return "corretor"
        page.click(CONTINUAR["corretor"])
    if until == "calculo":
        page.wait_for_selector("text=Tempo estimado em")
        return "calculo"
    return wait_end(page, end_timeout_ms)


def login(page, email: str = "corretor@example.com", senha: str = "senha-de-teste") -> None:
    page.wait_for_selector("#emailTelaLogin", state="visible")
    page.fill("#emailTelaLogin", email)
    page.fill("#senhaTelaLogin", senha)
    page.click("#gtm-telaLoginBotaoAcessar")
