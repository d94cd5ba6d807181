"""The robot against the contract files (docs/contract/): the robot input it is given has the
schema's shape; every value the request contract lists as refused is refused by the robot's own
validation, on that field; what the robot needs of a person is exactly what the API requires (the
service's side of the same checks is src/domain/contract_tests.rs); its error tipos, screens and
plan rows are the vocabulary's; the snapshot schema takes the optional vehicle and countdown of
progress only in their shapes; and the fake robot of the service's tests writes snapshots of the
contract's shape (every real robot run is checked too, in robot_harness.check_snapshots). A rule
added on one side only fails here or there."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
from contract_files import (
    PROGRESS_SCHEMA,
    VOCABULARY,
    check_snapshot_contract,
    error_tipo_known,
    first_error,
)
from contract_files import (
    TRACKER_SCHEMA as TRACKER,
)
from cotacao.errors import InputRejected
from cotacao.inputs import CONTRACT_FILE, choices, parse_input
from robot_harness import REPO, quote_input

FAKE_ROBOT = REPO / "tests" / "fake_robot.py"
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
    for schema in (REQUEST, ROBOT_INPUT, TRACKER, PROGRESS_SCHEMA):
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_example_input_and_a_second_driver_fit_the_robot_input_schema():
    validator = jsonschema.Draft202012Validator(ROBOT_INPUT)
    validator.validate(quote_input())
    driver = quote_input(
        condutor_principal=False,
        nome_condutor="BELTRANA DE TAL",
        cpf_condutor="11144477735",
        data_nascimento_condutor="01/02/1990",
        sexo_condutor="Feminino",
        estado_civil_condutor="Solteiro",
    )
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
        options, synonyms = choices()[name]
        # Residents aged 18 to 26 need the youngest one's details (a rule between fields).
        extra = {"sexo_do_menor": "Ambos", "faixa_etaria_menor_mais_novo": "25 anos"} if key == "reside_18_26" else {}
        for spelling, canonical in [*((o, o) for o in options), *synonyms.items()]:
            doc = quote_input(**{**extra, key: spelling.upper()})
            assert refused(doc) is None, f"{key} = {spelling!r}"
            assert canonical in options


# -- snapshots and vocabularies (tracker.schema.json, vocabulary.json) ---------------------------


def robot_error_classes():
    from cotacao import errors

    found, stack = [], [errors.RobotError]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return found


def test_the_robots_error_tipos_and_exit_codes_are_the_vocabularys():
    from cotacao.errors import InputRejected

    vocabulary = {t["tipo"]: t for t in VOCABULARY["tipos_erro"]}
    robot = {}
    for cls in robot_error_classes():
        tipo = "rejeitado_" if cls is InputRejected else cls.tipo
        robot[tipo] = cls.exit_code
    for tipo, exit_code in robot.items():
        assert tipo in vocabulary, f"{tipo} is not in vocabulary.json"
        assert vocabulary[tipo]["saida"] == exit_code, tipo
        assert vocabulary[tipo]["quem"] in ("robo", "robo_ou_servico"), tipo
    assert {t for t, v in vocabulary.items() if v["quem"] in ("robo", "robo_ou_servico")} == set(robot)
    assert error_tipo_known("rejeitado_placa") and not error_tipo_known("rejeitado")


def test_every_screen_of_the_robot_is_the_vocabularys():
    import importlib
    import pkgutil

    from cotacao import screens as package
    from cotacao.screens.base import Screen

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"cotacao.screens.{module.name}")
    pairs = {(e["etapa"], e["tela"]) for e in VOCABULARY["etapas"] + VOCABULARY["telas_extras"]}
    stack, screens = list(Screen.__subclasses__()), set()
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.etapa and cls.key != "calculo":  # screen 15's countdown; its entry is "resultado"
            screens.add((cls.etapa, cls.key))
    assert screens | {(15, "resultado")} == pairs
    assert [e["etapa"] for e in VOCABULARY["etapas"]] == list(range(1, 16))


def test_the_plan_rows_are_the_vocabularys_and_the_snapshot_schemas():
    from cotacao.reading import plans

    rows = {r["campo"]: r["tipo"] for r in VOCABULARY["linhas_plano"]}
    assert set(plans.MONEY_FIELDS) == {c for c, t in rows.items() if t == "dinheiro"}
    assert set(plans.FLAG_FIELDS) == {c for c, t in rows.items() if t == "sim_nao"}
    assert set(plans.TEXT_FIELDS) | {"parcelamento"} == {c for c, t in rows.items() if t == "texto"}
    assert set(plans.ORDER) <= set(rows)
    plan = TRACKER["$defs"]["plan"]
    assert set(plan["required"]) == set(plan["properties"]) == {"plano", "valor", *rows}


PROGRESS = {
    "session_id": "s1",
    "etapa_atual": 15,
    "total_etapas": 15,
    "percentual": 100.0,
    "status": "executando",
    "mensagem": "Calculando",
    "timestamp_inicio": "2026-01-01T10:00:00.000-03:00",
    "timestamp_atualizacao": "2026-01-01T10:01:00.000-03:00",
    "dados_extra": {},
    "erros": [],
}
COUNTDOWN = {"restante_s": 151, "total_s": 163}


def progress_problem(**changes) -> str | None:
    return first_error("tracker.schema.json", {**PROGRESS, **changes}, "progress")


ACCEPTED = [
    {},
    {"veiculo": "ECOSPORT 2007/2007"},
    {"veiculo": "CG 160 FAN 2021/2022", "calculo": COUNTDOWN},
    {"calculo": {"restante_s": 0, "total_s": 163}},
    {"status": "success", "veiculo": "ECOSPORT 2007/2007"},
]
REFUSED = [
    {"calculo": {"restante_s": "151", "total_s": 163}},
    {"calculo": {"restante_s": 1.5, "total_s": 163}},
    {"calculo": {"restante_s": -1, "total_s": 163}},
    {"calculo": {"restante_s": 151}},
    {"calculo": {**COUNTDOWN, "fim": "2026-01-01T10:03:43-03:00"}},
    {"calculo": [151, 163]},
    {"calculo": COUNTDOWN, "status": "success"},  # the countdown never outlives the calculation
    {"calculo": COUNTDOWN, "status": "error"},
    {"veiculo": ""},
    {"veiculo": "ECOSPORT"},  # the years are part of it
    {"veiculo": "KVA-1791"},
    {"veiculo": "X" * 81 + " 2007/2007"},
    {"veiculo": {"modelo": "ECOSPORT", "ano": "2007/2007"}},
]


def test_progress_takes_the_vehicle_and_the_countdown_in_their_shapes_only():
    assert [c for c in ACCEPTED if progress_problem(**c) is not None] == []
    assert [c for c in REFUSED if progress_problem(**c) is None] == []


def test_screen_3s_entry_may_carry_the_vehicle():
    entry = {"tela": "confirmacao", "fingerprint": "0123456789abcdef", "veiculo": "ECOSPORT 2007/2007"}
    assert first_error("tracker.schema.json", entry, "screen") is None
    assert first_error("tracker.schema.json", {**entry, "veiculo": "ECOSPORT"}, "screen") is not None


@pytest.mark.parametrize("placa", ["ABC1D23", "MAN1A11", "REJ1A11", "FAL1A11", "MUD1A11"])
def test_the_fake_robots_snapshots_fit_the_contract(tmp_path, placa):
    """The fake robot the service's tests use writes what the real one does (shape, screens,
    error tipos)."""
    import subprocess
    import sys

    data = tmp_path / "entrada.json"
    data.write_text(json.dumps(quote_input(placa=placa)))
    data.chmod(0o600)
    env = {"PATH": os.environ["PATH"], "FAKE_ROBOT_PAUSE_MS": "0"}
    proc = subprocess.run(
        [sys.executable, str(FAKE_ROBOT), "--data-file", str(data), "--session", "s1", "--data-dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Contrato violado" not in proc.stdout + proc.stderr, proc.stderr[-2000:]
    for kind in ("progress", "history", "result"):
        check_snapshot_contract(kind, json.loads((tmp_path / f"{kind}_s1.json").read_text()))


def test_personal_data_is_masked_as_the_service_masks_it():
    from cotacao.privacy import scrub

    for example in VOCABULARY["mascaras"]["exemplos"]:
        assert scrub(example["texto"]) == example["mascarado"]


def test_an_unreadable_contract_is_the_installations_problem(tmp_path, monkeypatch):
    """Without docs/contract the robot cannot check a quote: the preflight names it under
    `configuracao`, and a quote ends as a configuration problem (held, never the visitor's)."""
    from cotacao import inputs, preflight
    from cotacao.config import ConfigError

    monkeypatch.setattr(inputs, "CONTRACT_FILE", tmp_path / "ausente.schema.json")
    inputs.choices.cache_clear()
    try:
        with pytest.raises(ConfigError) as info:
            parse_input(quote_input())
        assert "docs/contract" in info.value.correcao
        result, _ = preflight.check_configuracao({"RPA_PORTAL_URL": "https://portal.example.com/x"})
        assert not result.ok and "contrato da entrada do robô" in result.mensagem
    finally:
        inputs.choices.cache_clear()
