"""The DOM facts a robot depends on, screen by screen: ids, names, values, pre-checked defaults,
the radio options as nested labels, question labels sharing the group's id where the real screen
has one, the Continuar/Voltar buttons, masks, the carousel markup, the autocomplete option ids,
the MUI selects, conditional fields and the single-page navigation."""

from __future__ import annotations

from portal_driver import CONTINUAR, pick, walk

P_CONTINUAR = "p.font-semibold.font-workSans.cursor-pointer.text-sm.leading-6"


def radios(page, name):
    return page.eval_on_selector_all(
        f"input[name='{name}']", "els => els.map(e => [e.type, e.value, e.checked, e.className])"
    )


def assert_group(page, group_id, values, checked, labelled=False):
    """A radio group as the real screens build it; `labelled`: its question label shares the id
    (screen 6), else the screen's heading asks the question (screens 3 and 4)."""
    got = radios(page, group_id)
    assert [v for _, v, _, _ in got] == values
    assert [v for _, v, c, _ in got if c] == ([checked] if checked else [])
    assert all("PrivateSwitchBase-input" in cls for _, _, _, cls in got)
    assert page.locator(f"div[role=radiogroup][id='{group_id}']").count() == 1
    # Each radio sits in MUI's label, itself inside the option's label; its text is in the labels.
    nested = page.locator(
        f"div[role=radiogroup][id='{group_id}'] label.cursor-pointer label input[type=radio][name='{group_id}']"
    )
    assert nested.count() == len(values)
    assert page.locator(f"label[id='{group_id}']").count() == (1 if labelled else 0)
    assert page.locator(f"#{group_id}").count() == (2 if labelled else 1)  # with a label, a bare #id is ambiguous


def assert_buttons(page, continuar_id):
    button = page.locator(f"button{continuar_id}")
    assert button.get_attribute("type") == "submit"
    assert button.locator(P_CONTINUAR).inner_text() == "Continuar"
    siblings = button.locator("xpath=..").locator("button[type=button]")
    assert siblings.count() == 1


def assert_outros(page, values):
    """Screen 6's boxes: inside div#outrosTelaItens (no role), under a label with the same id, with
    a value and no name."""
    group = page.locator("div#outrosTelaItens")
    assert group.get_attribute("role") is None and page.locator("label#outrosTelaItens").inner_text() == "Outros"
    boxes = group.locator("label.cursor-pointer label input[type=checkbox]")
    assert [boxes.nth(i).get_attribute("value") for i in range(boxes.count())] == values
    assert all(boxes.nth(i).get_attribute("name") is None for i in range(boxes.count()))
    assert page.locator("input[type=checkbox][name]").count() == 0


def test_screen_1_types_and_hidden_login_modal(page, portal):
    walk(page, portal, until="tipo")
    assert page.title() == "Tô Segurado - Simulador de Seguro Auto"
    for alt, label in [("car", "Carro"), ("motorcycle", "Moto"), ("life", "Vida"), ("residence", "Residência")]:
        b = page.locator(f'button:has(img[alt="Icone {alt}"][src="/insurance-icons/{alt}.svg"])')
        assert b.inner_text().strip() == label and b.get_attribute("type") is None
    assert page.locator("button.group:nth-child(1)").inner_text().strip() == "Carro"
    assert page.locator("button.group:nth-child(2)").inner_text().strip() == "Moto"
    login_button = page.locator("button#fazerLoginTelaCotacao")
    assert login_button.is_visible() and login_button.get_attribute("type") is None
    assert login_button.text_content() == "Fazer loginEntrar com minha conta"  # one of the two spans is hidden by CSS
    assert login_button.inner_text() == "Entrar com minha conta"  # 1280 px wide
    assert page.locator("label").count() == 0  # the log-in fields' titles are <p>
    for sel in [
        "input#emailTelaLogin[type=email]",
        "input#senhaTelaLogin[type=password]",
        "button#gtm-telaLoginBotaoAcessar",
    ]:
        assert page.locator(sel).count() == 1 and not page.locator(sel).is_visible()
    page.click("#fazerLoginTelaCotacao")
    assert page.locator("#emailTelaLogin").is_visible()
    assert page.locator("text=Acessar conta").is_visible()
    page.click("img[alt=close]")
    page.wait_for_selector("#emailTelaLogin", state="hidden")
    page.click("button.group:nth-child(1)")
    page.wait_for_selector("#placaTelaDadosPlaca")
    # Screens 2–6 hold no log-in dialog, result modal or message in their DOM.
    assert page.locator("#emailTelaLogin, #gtm-telaLoginBotaoAcessar, [role=dialog], [role=status]").count() == 0


def test_every_screen_in_order_with_ids_defaults_and_buttons(page, portal):
    seen = []
    checks = {
        "confirmacao": lambda: (
            assert_buttons(page, CONTINUAR["confirmacao"]),
            assert_group(page, "confirmarVeiculoTelaInformacoesVeiculo", ["Sim", "Não"], "Sim"),
            page.locator("text=O veículo KICKS 2017/2017 corresponde a placa ABC-1D23?").wait_for(),
            page.eval_on_selector(
                "p:has-text('corresponde a placa')",
                "p => { const b = [...p.querySelectorAll('span.font-bold')].map(x => x.textContent); "
                "if (b.join('|') !== 'KICKS|2017/2017|ABC-1D23' || p.closest('form')) throw new Error(b.join('|')); }",
            ),
        ),
        "renovacao": lambda: (
            assert_buttons(page, CONTINUAR["renovacao"]),
            assert_group(page, "jaSeguradoTelaRenovacao", ["nao", "sim"], "nao"),
        ),
        "estimativa": lambda: assert_buttons(page, CONTINUAR["estimativa"]),
        "itens": lambda: (
            assert_buttons(page, CONTINUAR["itens"]),
            assert_group(page, "tipoCombustivelTelaItens", ["1", "2", "3", "4", "5", "6"], "1", labelled=True),
            assert_outros(page, ["Kit Gás", "Blindado", "Financiado"]),
        ),
        "uso": lambda: (
            assert_buttons(page, CONTINUAR["uso"]),
            assert_group(
                page,
                "finalidadeVeiculoTelaUsoVeiculo",
                ["Particular", "Profissional", "Motorista de App", "Taxi"],
                "Particular",
            ),
        ),
        "segurado": lambda: assert_buttons(page, CONTINUAR["segurado"]),
        "condutor": lambda: (
            assert_buttons(page, CONTINUAR["condutor"]),
            assert_group(page, "condutorPrincipalTelaCondutorPrincipal", ["sim", "nao"], "sim"),
        ),
        "atividade": lambda: assert_buttons(page, CONTINUAR["atividade"]),
        "garagem": lambda: (
            assert_buttons(page, CONTINUAR["garagem"]),
            assert_group(page, "possuiGaragemTelaGaragemResidencia", ["sim", "nao"], "sim", labelled=True),
            assert_group(
                page, "tipoPortaoTelaGaragemResidencia", ["eletronico", "manual"], "eletronico", labelled=True
            ),
        ),
        "residentes": lambda: (
            assert_buttons(page, CONTINUAR["residentes"]),
            assert_group(
                page,
                "usoDependenteTelaUsoResidentes",
                ["nao", "sim_nao_utilizam", "sim_utilizam"],
                "nao",
                labelled=True,
            ),
        ),
    }

    def on_screen(name):
        seen.append(name)
        if name == "tipo":
            page.evaluate("window.__semRecarga = true")
        else:  # the log-in dialog is mounted on screen 1 and on the result page only
            assert page.locator("#emailTelaLogin, [role=dialog], [role=status]").count() == 0, name
        # The hidden page loader: in the DOM of the real screens 1–4, not of 5 and 6.
        loader = page.locator("[role=progressbar]")
        assert loader.count() == (0 if name in ("estimativa", "zerokm", "itens") else 1), name
        assert not loader.first.is_visible(), name
        # Continuar is type=submit; every other button of a screen's own form carries no type or type=button.
        types = page.eval_on_selector_all("form.form-tela button", "bs => bs.map(b => [b.id, b.getAttribute('type')])")
        assert all(t == "submit" for i, t in types if i.endswith("Continuar")), types
        if name in checks:
            checks[name]()

    assert walk(page, portal, on_screen=on_screen) == "resultado"
    assert seen == [
        "tipo",
        "placa",
        "confirmacao",
        "renovacao",
        "estimativa",
        "itens",
        "pernoite",
        "uso",
        "segurado",
        "condutor",
        "atividade",
        "garagem",
        "residentes",
    ]
    assert page.evaluate("window.__semRecarga") is True  # one page load for the whole flow
    assert page.title() == "Faça agora sua cotação de Seguro Auto"


def test_plate_field_mask_and_validation(page, portal):
    walk(page, portal, until="placa")
    field = page.locator("input#placaTelaDadosPlaca[name=plate][type=text][placeholder='ABC-1D34']")
    assert page.locator("p#placaTelaDadosPlaca-label").inner_text() == "Placa *"
    assert page.locator("label").count() == 0
    field.type("kva1791")
    assert field.input_value() == "KVA-1791"
    assert page.locator("text=Ao informar a placa, conseguimos buscar suas informações mais rápido!").is_visible()
    assert page.locator("p:has-text('Desejo cotar sem informar a placa')").is_visible()
    assert_buttons(page, CONTINUAR["placa"])
    assert page.locator("button[type=button]").inner_text() == "Cancelar"
    field.fill("AB1234")
    page.click(CONTINUAR["placa"])
    page.wait_for_selector("#placaTelaDadosPlaca-helper-text.Mui-error:has-text('Placa inválida.')")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.locator(CONTINUAR["confirmacao"]).count() == 0


def test_estimate_carousel_markup(page, portal):
    walk(page, portal, until="estimativa")
    region = page.locator("div[role=region][aria-roledescription=carousel]")
    slides = region.locator("div[role=group][aria-roledescription=slide]")
    assert slides.count() == 3
    cards = slides.locator("div.border-2.border-primary.rounded-xl")
    assert cards.count() == 3
    headers = [cards.nth(i).locator("div.bg-primary p.text-white.underline").inner_html() for i in range(3)]
    assert headers == ["Cobertura <b>Compreensiva</b>", "Cobertura <b>Roubo e Furto</b>", "Cobertura <b>RCF</b>"]
    # Title and range are the content of a button inside a label (the real screen 5's capture).
    titles = cards.locator("div.bg-primary label > button > p.text-white.underline")
    assert titles.count() == 3 and titles.nth(0).text_content() == "Cobertura Compreensiva"
    range_p = cards.nth(0).locator("label > button > p.text-primary.underline")
    amounts = range_p.locator(":scope > span")
    assert amounts.count() == 2
    assert amounts.nth(0).evaluate("s => [...s.children].map(c => c.innerHTML)") == ["R$", "&nbsp;2.300", ",00"]
    assert amounts.nth(1).evaluate("s => [...s.children].map(c => c.innerHTML)") == ["R$", "&nbsp;2.900", ",00"]
    assert range_p.text_content() == "De R$\u00a02.300,00 até R$\u00a02.900,00"
    assert "com possibilidade de parcelamento sem juros" in cards.nth(0).inner_text()
    heading = cards.nth(0).locator("button > label")
    assert heading.count() == 1 and heading.text_content() == "Principais Benefícios"
    # The card's text, inside and outside its buttons, with no whitespace between elements.
    assert slides.nth(2).text_content() == (
        "Cobertura RCFDe R$\u00a0900,00 até R$\u00a01.700,00com possibilidade de parcelamento sem juros"
        "Principais BenefíciosDanos materiais a terceirosDanos corporais a terceiros"
    )
    arrows = region.locator(":scope > button")
    assert arrows.all_text_contents() == ["Previous slide", "Next slide"]
    assert all(arrows.nth(i).get_attribute("type") is None for i in range(2)) and arrows.nth(0).is_disabled()
    benefits = cards.nth(1).locator("div.gap-3.flex.flex-col.pl-4.mt-3 > div")
    assert benefits.count() == 3
    assert benefits.locator("img[alt='Icone de OK'][src='/icone-ok.svg']").count() == 3
    assert benefits.nth(2).inner_text() == "Danos parciais em tentativas de roubo."
    for sel in [
        "#gtm-telaEstimativaAgoraNaoFechar",
        "#emailTelaContinuarDepois",
        "#celularTelaContinuarDepois",
        "#gtm-telaEstimativaAgoraNaoEnviar",
        "text=Nos diga porquê prefere continuar depois",
    ]:
        assert page.locator(sel).count() == 1 and not page.locator(sel).is_visible()
    assert [v for _, v, _, _ in radios(page, "continuarDepoisTelaContinuarDepois")] == [
        "valorParcial",
        "agoraNao",
        "pensarMelhor",
        "preencherDepois",
        "outrasSeguradoras",
        "outro",
    ]
    assert page.locator("#emailTelaContinuarDepois").get_attribute("name") == "email"
    assert page.locator("#celularTelaContinuarDepois").get_attribute("name") == "phone"
    assert page.locator("form").count() == 1  # the drawer's: the screen itself has no form
    assert page.locator("[role=progressbar], [role=dialog], #emailTelaLogin").count() == 0
    # Voltar asks, in the drawer, why the visitor prefers to continue later.
    page.click("button:has-text('Voltar')")
    page.wait_for_selector("text=Nos diga porquê prefere continuar depois", state="visible")
    page.check("input[name=continuarDepoisTelaContinuarDepois][value=outro]")
    page.click("#gtm-telaEstimativaAgoraNaoFechar")
    page.wait_for_selector("#emailTelaContinuarDepois", state="hidden")
    assert page.locator(CONTINUAR["estimativa"]).is_visible()


def test_estimate_shows_skeleton_while_loading(start_portal, page):
    p = start_portal("--delay-scale", "1")  # estimate lookup: 5 s of skeleton
    walk(page, p, until="renovacao")
    page.click(CONTINUAR["renovacao"])
    page.wait_for_selector("div[role=group][aria-roledescription=slide] .MuiSkeleton-root")
    assert page.locator("div[role=group][aria-roledescription=slide]").count() == 3
    assert page.locator("text=Cobertura").count() == 0 and page.locator("p.text-primary").count() == 0
    page.wait_for_selector("p.text-primary", timeout=30_000)
    assert page.locator(".MuiSkeleton-root").count() == 0


def test_address_autocomplete_options(page, portal):
    walk(page, portal, until="pernoite")
    field = page.locator("input#enderecoTelaEndereco")
    assert page.locator("p#enderecoTelaEndereco-label").inner_text() == "Endereço*"
    assert page.locator("[role=presentation]").count() == 0  # the suggestions' popper exists only while open
    field.fill("13083-970")
    page.wait_for_selector("#enderecoTelaEndereco-option-0")
    options = page.locator("ul[role=listbox] > div > li[role=option][id^=enderecoTelaEndereco-option-]")
    assert options.count() >= 1
    assert page.locator(".MuiAutocomplete-option").count() == 0
    first = page.locator(".overflow-hidden").first
    assert first.evaluate("e => e.closest('li').id") == "enderecoTelaEndereco-option-0"
    text = first.locator("p").first.inner_text()
    assert " - " in text
    page.click(".overflow-hidden")
    assert field.input_value() == text
    assert page.locator("#enderecoTelaEndereco-option-0").count() == 0


def test_address_without_selection_or_unknown_cep_does_not_advance(page, portal):
    walk(page, portal, until="pernoite")
    page.click(CONTINUAR["pernoite"])
    page.wait_for_selector("#enderecoTelaEndereco-helper-text.Mui-error:has-text('Selecione um endereço da lista.')")
    page.fill("#enderecoTelaEndereco", "00000-000")
    page.wait_for_selector("#enderecoTelaEndereco-helper-text.Mui-error:has-text('CEP não encontrado')")
    assert page.locator("text=Nenhum endereço encontrado").is_visible()
    page.click(CONTINUAR["pernoite"])
    assert page.locator(CONTINUAR["uso"]).count() == 0


def test_personal_data_selects_masks_and_validation(page, portal):
    walk(page, portal, until="segurado")
    for sel, name in [
        ("nomeTelaSegurado", "nome"),
        ("cpfTelaSegurado", "cpf"),
        ("emailTelaSegurado", "email"),
        ("celularTelaSegurado", "celular"),
        ("dataNascimentoTelaSegurado", "dataNascimento"),
    ]:
        assert page.locator(f"input#{sel}").get_attribute("name") == name
    sexo = page.locator("#sexoTelaSegurado")
    assert sexo.get_attribute("aria-expanded") == "false" and sexo.get_attribute("role") == "combobox"
    sexo.click()
    assert sexo.get_attribute("aria-expanded") == "true"
    items = page.locator("ul[role=listbox] li[role=option]")
    assert [items.nth(i).get_attribute("data-value") for i in range(items.count())] == ["masculino", "feminino"]
    page.click("li[role=option][data-value=feminino]")
    assert sexo.get_attribute("aria-expanded") == "false" and sexo.inner_text() == "Feminino"
    assert page.locator("ul[role=listbox]").count() == 0
    page.click("#estadoCivilTelaSegurado")
    items = page.locator("ul[role=listbox] li[role=option]")
    assert [(items.nth(i).get_attribute("data-value"), items.nth(i).inner_text()) for i in range(items.count())] == [
        ("casado", "Casado ou União Estável"),
        ("solteiro", "Solteiro"),
        ("divorciado", "Divorciado"),
        ("viuvo", "Viúvo"),
        ("separado", "Separado"),
    ]
    page.click("li[data-value=viuvo]")
    page.wait_for_selector("#estadoCivilTelaSegurado[aria-expanded=false]")
    page.locator("#cpfTelaSegurado").type("52998224725")
    assert page.input_value("#cpfTelaSegurado") == "529.982.247-25"
    page.locator("#dataNascimentoTelaSegurado").type("15031985")
    assert page.input_value("#dataNascimentoTelaSegurado") == "15/03/1985"
    page.locator("#celularTelaSegurado").type("11987654321")
    assert page.input_value("#celularTelaSegurado") == "(11) 98765-4321"
    page.fill("#emailTelaSegurado", "fulano.teste@example.com")
    assert page.input_value("#emailTelaSegurado") == "FULANO.TESTE@EXAMPLE.COM"
    page.fill("#nomeTelaSegurado", "FULANO DE TAL")
    page.fill("#cpfTelaSegurado", "52998224724")
    page.fill("#dataNascimentoTelaSegurado", "31/02/1985")
    page.click(CONTINUAR["segurado"])
    page.wait_for_selector("#cpfTelaSegurado-helper-text.Mui-error:has-text('CPF inválido.')")
    page.wait_for_selector("#dataNascimentoTelaSegurado-helper-text.Mui-error:has-text('Data inválida')")
    assert page.locator(CONTINUAR["condutor"]).count() == 0
    page.fill("#cpfTelaSegurado", "111.444.777-35")
    page.fill("#dataNascimentoTelaSegurado", "15/03/1985")
    page.click(CONTINUAR["segurado"])
    page.wait_for_selector(CONTINUAR["condutor"])


def test_main_driver_no_reveals_fields(page, portal):
    walk(page, portal, until="condutor")
    extra = [
        "#nomeTelaCondutorPrincipal",
        "#cpfTelaCondutorPrincipal",
        "#dataNascimentoTelaCondutorPrincipal",
        "#sexoTelaCondutorPrincipal",
        "#estadoCivilTelaCondutorPrincipal",
    ]
    assert not any(page.locator(s).is_visible() for s in extra)
    page.check("input[name=condutorPrincipalTelaCondutorPrincipal][value=nao]")
    assert all(page.locator(s).is_visible() for s in extra)
    page.click(CONTINUAR["condutor"])
    page.wait_for_selector("#nomeTelaCondutorPrincipal-helper-text.Mui-error")
    assert page.locator(CONTINUAR["atividade"]).count() == 0
    page.fill("#nomeTelaCondutorPrincipal", "CICLANA DE TAL")
    page.fill("#cpfTelaCondutorPrincipal", "11144477735")
    assert page.input_value("#cpfTelaCondutorPrincipal") == "111.444.777-35"
    page.fill("#dataNascimentoTelaCondutorPrincipal", "01/02/1990")
    pick(page, "sexoTelaCondutorPrincipal", "feminino")
    # The last select sits low on the page: its menu opens inside the window, as MUI's do.
    page.click("#estadoCivilTelaCondutorPrincipal")
    bottom = page.eval_on_selector("ul[role=listbox]", "u => u.getBoundingClientRect().bottom")
    assert bottom <= page.viewport_size["height"]
    page.click("ul[role=listbox] li[role=option][data-value='viuvo']")
    page.wait_for_selector("#estadoCivilTelaCondutorPrincipal[aria-expanded='false']")
    page.click(CONTINUAR["condutor"])
    page.wait_for_selector(CONTINUAR["atividade"])


def test_activity_checkboxes_reveal_switches(page, portal):
    walk(page, portal, until="atividade")
    box = page.locator("#atividadeVeiculoTelaAtividadeVeiculo")
    assert box.locator("input[type=checkbox][value=trabalho]").count() == 1
    assert box.locator("input[type=checkbox][value=estudo]").count() == 1
    assert page.locator("input.MuiSwitch-input").count() == 2
    assert not page.locator("input.MuiSwitch-input").first.is_visible()
    page.check("input[type=checkbox][value=trabalho]")
    trabalho = page.locator("#estacionamentoTrabalhoTelaAtividadeVeiculo")
    assert trabalho.is_visible() and not page.locator("#estacionamentoEstudoTelaAtividadeVeiculo").is_visible()
    trabalho.check()
    assert page.locator(".MuiSwitch-root.Mui-checked").count() == 1
    assert page.locator("input[value=trabalho]").get_attribute("data-gtm-form-interact-field-id") is not None


def test_garage_and_residents_conditional_groups(page, portal):
    walk(page, portal, until="garagem")
    assert page.locator("input[name=tipoPortaoTelaGaragemResidencia][value=manual]").is_visible()
    page.check("input[name=possuiGaragemTelaGaragemResidencia][value=nao]")
    assert not page.locator("input[name=tipoPortaoTelaGaragemResidencia][value=manual]").is_visible()
    page.check("input[name=possuiGaragemTelaGaragemResidencia][value=sim]")
    page.check("input[name=tipoPortaoTelaGaragemResidencia][value=manual]")
    page.click(CONTINUAR["garagem"])
    page.wait_for_selector(CONTINUAR["residentes"])
    assert not page.locator("input[name=sexoDependenteTelaUsoResidentes]").first.is_visible()
    page.check("input[name=usoDependenteTelaUsoResidentes][value=sim_utilizam]")
    assert_group(page, "sexoDependenteTelaUsoResidentes", ["feminino", "masculino", "ambos"], "feminino", labelled=True)
    assert_group(page, "faixaEtariaDependenteTelaUsoResidentes", ["18_24", "25"], "18_24", labelled=True)
    assert page.locator("text=18 a 24 anos").is_visible() and page.locator("text=25 anos").is_visible()
    page.check("input[name=faixaEtariaDependenteTelaUsoResidentes][value='25']")
    page.click(CONTINUAR["residentes"])
    page.locator("text=Parabéns, chegamos ao resultado final da cotação!").wait_for()


def test_back_button_keeps_answers(page, portal):
    walk(page, portal, until="itens")
    page.check("input[name=tipoCombustivelTelaItens][value='5']")
    page.click(CONTINUAR["itens"])
    page.wait_for_selector("#enderecoTelaEndereco")
    page.click("button:has-text('Voltar')")
    page.wait_for_selector(CONTINUAR["itens"])
    assert page.is_checked("input[name=tipoCombustivelTelaItens][value='5']")


def test_vehicle_not_confirmed_goes_back_to_plate(page, portal):
    walk(page, portal, until="confirmacao")
    page.check("input[name=confirmarVeiculoTelaInformacoesVeiculo][value='Não']")
    page.click(CONTINUAR["confirmacao"])
    page.wait_for_selector("div.MuiAlert-root[role=alert]:has-text('Informe a placa novamente')")
    assert page.locator("#placaTelaDadosPlaca").is_visible()
    page.click("button:has-text('Cancelar')")
    page.wait_for_selector("button.group:nth-child(1)")
