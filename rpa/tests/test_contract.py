"""The robot against the contract files (docs/contract/): the robot input it is given has the
schema's shape; every value the request contract lists as refused is refused by the robot's own
validation, on that field; and what the robot needs of a person is exactly what the API requires
(the service's side of the same checks is src/domain/contract_tests.rs). A rule added on one side
only fails here or there."""

from __future__ import annotations

import json

import jsonschema
import pytest

from robot_harness import quote_input
from cotacao.errors import InputRejected
from cotacao.inputs import CHOICES, CONTRACT_FILE, parse_input

REQUEST = json.loads((CONTRACT_FILE.parent / "request.schema.json").read_text(encoding="utf-8"))
ROBOT_INPUT = json.loads(CONTRACT_FILE.read_text(encoding="utf-8"))
ROBOT_KEYS = set(ROBOT_INPUT["required"])


def refused(doc: dict) -> str | None:
    """The field the robot refuses in `doc`, or None if it accepts it."""
    try:
        parse_input(doc)
    except InputRejected as exc:
        return exc.campo
    return None


@pytest.fixture(autouse=True)
def no_operator_defaults(tmp_path, monkeypatch):
    """An empty defaults file: a key missing from the input is really missing."""
    empty = tmp_path / "padroes.json"
    empty.write_text("{}")
    monkeypatch.setenv("RPA_DEFAULTS_FILE", str(empty))


def test_the_schemas_are_valid_json_schema():
    for schema in (REQUEST, ROBOT_INPUT):
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_example_input_and_a_second_driver_fit_the_robot_input_schema():
    validator = jsonschema.Draft202012Validator(ROBOT_INPUT)
    validator.validate(quote_input())
    driver = quote_input(condutor_principal=False, nome_condutor="BELTRANA DE TAL", cpf_condutor="11144477735",
                         data_nascimento_condutor="01/02/1990", sexo_condutor="Feminino",
                         estado_civil_condutor="Solteiro")
    validator.validate(driver)
    assert parse_input(driver).condutor is not None
    bad = quote_input(condutor_principal=False)
    assert not validator.is_valid(bad), "the schema lets a missing main driver through"
    assert refused(bad) == "nome_condutor"


def test_every_refused_value_is_refused_by_the_robot_on_that_field():
    checked = 0
    for key, prop in REQUEST["properties"].items():
        for bad in prop.get("x-recusados", []):
            assert key in ROBOT_KEYS, f"{key}: x-recusados on a field the robot never sees"
            assert refused(quote_input(**{key: bad})) == key, f"{key} = {bad!r}"
            checked += 1
    for rule in REQUEST["x-regras-entre-campos"]:
        for bad in rule["x-recusados"]:
            assert refused(quote_input(**bad)) in rule["campos"], bad
            checked += 1
    assert checked >= 30


def test_what_the_robot_needs_of_a_person_is_what_the_api_requires():
    """Each robot input key, removed with no operator default to fall back on: the robot refuses
    it exactly when the request contract makes the visitor give it (or it is a questionnaire
    answer, which the service always fills from the operator's defaults)."""
    needed = set()
    for key in ROBOT_KEYS:
        doc = quote_input()
        del doc[key]
        if refused(doc) == key:
            needed.add(key)
    origin = {k: p["x-origem"] for k, p in REQUEST["properties"].items()}
    from_visitor = {k for k in needed if origin.get(k) != "padrao"}
    required = set(REQUEST["required"]) | {"telefone"}
    assert from_visitor == required
    assert {k for k in needed if origin.get(k) == "padrao"} == {k for k, o in origin.items() if o == "padrao"}
    assert [g["required"] for g in REQUEST["anyOf"]] == [["telefone"], ["ddd", "celular"]]


def test_every_choice_value_and_synonym_is_accepted_by_the_robot():
    for key, prop in REQUEST["properties"].items():
        name = prop.get("x-escolha")
        if not name or key not in ROBOT_KEYS or key.endswith("_condutor"):
            continue
        options, synonyms = CHOICES[name]
        # Residents aged 18 to 26 need the youngest one's details (a rule between fields).
        extra = {"sexo_do_menor": "Ambos", "faixa_etaria_menor_mais_novo": "25 anos"} if key == "reside_18_26" else {}
        for spelling, canonical in [*((o, o) for o in options), *synonyms.items()]:
            doc = quote_input(**{**extra, key: spelling.upper()})
            assert refused(doc) is None, f"{key} = {spelling!r}"
            assert canonical in options
