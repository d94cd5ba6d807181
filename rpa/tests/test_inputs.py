"""Input validation and normalisation (contract §2), without a browser."""

import json

import pytest
from cotacao.errors import InputRejected
from cotacao.inputs import InputFileError, cpf_is_valid, parse_input, questionnaire_defaults
from cotacao.privacy import first_line, personal_values, redact
from robot_harness import quote_input


def rejected_field(**changes) -> str:
    with pytest.raises(InputRejected) as info:
        parse_input(quote_input(**changes))
    assert info.value.exit_code == 2
    assert info.value.tipo == f"rejeitado_{info.value.campo}"
    assert info.value.mensagem and info.value.sugestao
    return info.value.campo


def test_valid_input_is_normalised():
    q = parse_input(
        quote_input(
            placa="abc-1d23",
            cep="01310-100",
            cpf="529.982.247-25",
            email=" Fulano.Teste@Example.com ",
            telefone="(11) 98765-4321",
        )
    )
    assert (q.placa, q.cep, q.segurado.cpf, q.email, q.telefone) == (
        "ABC1D23",
        "01310100",
        "52998224725",
        "fulano.teste@example.com",
        "11987654321",
    )
    assert q.condutor is None
    assert "FULANO" not in repr(q) and "529" not in repr(q)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Etanol", "Álcool"),
        ("alcool", "Álcool"),
        ("Álcool", "Álcool"),
        ("Hibrido", "Híbrido"),
        ("HÍBRIDO", "Híbrido"),
        ("eletrico", "Elétrico"),
        ("Flex", "Flex"),
        ("diesel", "Diesel"),
    ],
)
def test_fuel_aliases(raw, expected):
    assert parse_input(quote_input(combustivel=raw)).combustivel == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Casado", "Casado ou União Estável"),
        ("Uniao Estavel", "Casado ou União Estável"),
        ("Viuvo", "Viúvo"),
        ("solteiro", "Solteiro"),
        ("Separado", "Separado"),
    ],
)
def test_marital_status_aliases(raw, expected):
    assert parse_input(quote_input(estado_civil=raw)).segurado.estado_civil == expected


@pytest.mark.parametrize(
    "changes,campo",
    [
        ({"placa": "AB12345"}, "placa"),
        ({"placa": None}, "placa"),
        ({"cep": "0131010"}, "cep"),
        ({"cpf": "52998224724"}, "cpf"),
        ({"cpf": "11111111111"}, "cpf"),
        ({"nome": "F"}, "nome"),
        ({"email": None}, "email"),
        ({"email": "sem-arroba.example.com"}, "email"),
        ({"telefone": None}, "telefone"),
        ({"telefone": "119876"}, "telefone"),
        ({"data_nascimento": None}, "data_nascimento"),
        ({"data_nascimento": "31/02/1985"}, "data_nascimento"),
        ({"data_nascimento": "15/03/2999"}, "data_nascimento"),
        ({"sexo": None}, "sexo"),
        ({"sexo": "Outro"}, "sexo"),
        ({"estado_civil": None}, "estado_civil"),
        ({"combustivel": "Carvão"}, "combustivel"),
        ({"uso_veiculo": "Corrida"}, "uso_veiculo"),
        ({"tipo_veiculo": "barco"}, "tipo_veiculo"),
        ({"veiculo_segurado": True}, "veiculo_segurado"),
        ({"zero_km": "talvez"}, "zero_km"),
        ({"condutor_principal": False}, "nome_condutor"),
        ({"reside_18_26": "Sim e utilizam o veículo"}, "sexo_do_menor"),
        ({"reside_18_26": "Sim e utilizam o veículo", "sexo_do_menor": "Ambos"}, "faixa_etaria_menor_mais_novo"),
    ],
)
def test_rejections_name_the_field(changes, campo):
    assert rejected_field(**changes) == campo


def test_main_driver_fields_when_not_principal():
    q = parse_input(
        quote_input(
            condutor_principal=False,
            nome_condutor="BELTRANA DE TAL",
            cpf_condutor="111.444.777-35",
            data_nascimento_condutor="01/02/1990",
            sexo_condutor="Feminino",
            estado_civil_condutor="Solteiro",
        )
    )
    assert q.condutor.cpf == "11144477735" and q.condutor.sexo == "Feminino"
    assert (
        rejected_field(condutor_principal=False, nome_condutor="BELTRANA DE TAL", cpf_condutor="11144477736")
        == "cpf_condutor"
    )


def test_missing_questionnaire_keys_take_defaults():
    doc = quote_input()
    for key in ("combustivel", "garagem_residencia", "reside_18_26", "continuar_com_corretor_anterior"):
        del doc[key]
    q = parse_input(doc)
    assert (q.combustivel, q.garagem_residencia, q.reside_18_26) == ("Flex", True, "Não")


def test_defaults_come_from_the_operators_file(tmp_path, monkeypatch):
    doc = quote_input()
    del doc["combustivel"], doc["garagem_residencia"]
    edited = tmp_path / "defaults.json"
    edited.write_text(json.dumps({"_sobre": "comentário", "combustivel": "Diesel", "garagem_residencia": False}))
    monkeypatch.setenv("RPA_DEFAULTS_FILE", str(edited))
    q = parse_input(doc)
    assert (q.combustivel, q.garagem_residencia) == ("Diesel", False)
    assert questionnaire_defaults() == {"combustivel": "Diesel", "garagem_residencia": False}


def test_shipped_defaults_file_without_the_variable(monkeypatch):
    monkeypatch.delenv("RPA_DEFAULTS_FILE", raising=False)
    defaults = questionnaire_defaults()
    assert defaults["portao_eletronico"] == "Eletronico" and defaults["zero_km"] is False
    assert not any(k.startswith("_") for k in defaults)


@pytest.mark.parametrize(
    "content,detail",
    [
        (None, "não foi possível ler o arquivo de respostas padrão"),
        ("{quebrado", "não é JSON válido"),
        ("[]", "deve ser um objeto JSON"),
    ],
)
def test_broken_defaults_file_is_a_clear_input_file_error(tmp_path, monkeypatch, content, detail):
    path = tmp_path / "defaults.json"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv("RPA_DEFAULTS_FILE", str(path))
    doc = quote_input()
    del doc["combustivel"]
    with pytest.raises(InputFileError) as info:
        parse_input(doc)
    assert detail in str(info.value) and str(path) in str(info.value)
    parse_input(quote_input())  # a complete document never reads the file


def test_cpf_check_digits():
    assert cpf_is_valid("52998224725") and cpf_is_valid("11144477735")
    assert not cpf_is_valid("52998224715") and not cpf_is_valid("00000000000")


def test_redaction_removes_the_quotes_own_values_and_any_personal_shape():
    q = parse_input(
        quote_input(
            condutor_principal=False,
            nome_condutor="BELTRANA DE TAL",
            cpf_condutor="11144477735",
            data_nascimento_condutor="20/07/1992",
            sexo_condutor="Feminino",
            estado_civil_condutor="Solteiro",
        )
    )
    page = (
        "<p>Olá, Fulano de Tal!</p><p>Condutora: BELTRANA DE TAL, 111.444.777-35</p>"
        "<p>52998224725 · fulano.teste@EXAMPLE.com · (11) 98765-4321 · 15/03/1985</p>"
        "<p>outra: 390.533.447-05</p><p>Placa ABC1D23, prêmio R$ 3.889,94</p>"
    )
    out = redact(page, personal_values(q))
    for value in (
        "Fulano",
        "BELTRANA",
        "111.444.777",
        "52998224725",
        "fulano.teste",
        "98765-4321",
        "15/03/1985",
        "390.533.447",
    ):
        assert value.lower() not in out.lower(), value
    assert "Placa ABC1D23, prêmio R$ 3.889,94" in out


def test_first_line_of_an_exception_is_scrubbed():
    assert first_line(ValueError("\n  falhou para 529.982.247-25\nsegunda linha")) == "falhou para ***.***.***-25"
    assert first_line(ValueError("x" * 400), 300) == "x" * 300
    cut_inside_a_cpf = "x" * 290 + " 529.982.247-25"
    assert first_line(ValueError(cut_inside_a_cpf), 300) == "x" * 290 + " ***.***.*"
    assert first_line(ValueError()) == first_line(ValueError("  \n")) == ""
