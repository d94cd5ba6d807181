"""The contract files (docs/contract/) as the tests read them: the snapshot and progress schemas
as validators, and the vocabulary. Used by the robot's tests (every robot run's snapshots, in
robot_harness.check_snapshots) and by the end-to-end tests (every progress answer of the service)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "contract"


def load(name: str) -> dict:
    return json.loads((CONTRACT / name).read_text(encoding="utf-8"))


TRACKER_SCHEMA = load("tracker.schema.json")
PROGRESS_SCHEMA = load("progress.schema.json")
VOCABULARY = load("vocabulary.json")
SCREENS = {e["tela"] for e in VOCABULARY["etapas"] + VOCABULARY["telas_extras"]}


@functools.cache
def validator(schema_name: str, definition: str | None = None):
    """A validator for the schema file `schema_name` (or one of its `$defs`), with the other
    contract files resolvable by their `$id`."""
    import jsonschema
    from referencing import Registry, Resource

    resources = [(s["$id"], Resource.from_contents(s)) for s in (TRACKER_SCHEMA, PROGRESS_SCHEMA)]
    schema = load(schema_name)
    if definition:
        schema = {**schema, "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(schema, registry=Registry().with_resources(resources))


def first_error(schema_name: str, doc: dict, definition: str | None = None) -> str | None:
    errors = sorted(validator(schema_name, definition).iter_errors(doc), key=str)
    return f"{errors[0].message} em {list(errors[0].absolute_path)}" if errors else None


def error_tipo_known(tipo: str) -> bool:
    """Whether `tipo` is in the vocabulary (a prefix entry covers `rejeitado_<campo>`)."""
    return any(tipo.startswith(t["tipo"]) if t.get("prefixo") else tipo == t["tipo"] for t in VOCABULARY["tipos_erro"])


def check_snapshot_contract(kind: str, doc: dict) -> None:
    """`doc`, a progress, history or result snapshot, has the shape of tracker.schema.json, and its
    screens and error tipos are the vocabulary's."""
    problem = first_error("tracker.schema.json", doc, kind)
    assert problem is None, f"{kind} fora do contrato: {problem}"
    entries = doc.get("historico", [])
    telas = {
        e["dados_extra"]["tela"]
        for e in entries
        if isinstance(e.get("dados_extra"), dict) and "tela" in e["dados_extra"]
    }
    assert telas <= SCREENS, f"telas fora do vocabulário: {telas - SCREENS}"
    erros = doc.get("erros", []) + [e["erro"] for e in entries if e.get("erro")]
    unknown = [e["tipo"] for e in erros if not error_tipo_known(e["tipo"])]
    assert not unknown, f"tipos de erro fora do vocabulário: {unknown}"


def check_progress_answer(body: dict) -> None:
    """A `GET /api/rpa/progress/{id}` answer of the service has the shape of progress.schema.json,
    and its error tipos are the vocabulary's."""
    problem = first_error("progress.schema.json", body)
    assert problem is None, f"resposta de progresso fora do contrato: {problem}"
    unknown = [e["tipo"] for e in body["progress"]["erros"] if not error_tipo_known(e["tipo"])]
    assert not unknown, f"tipos de erro fora do vocabulário: {unknown}"
