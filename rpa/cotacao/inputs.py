"""The robot input of contract §2: loading the data file (or inline JSON), checking every key
and normalising the values the screens type. A field the portal needs that is missing or
malformed becomes a `rejeitado_<campo>` outcome before the browser starts."""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .config import ConfigError
from .fields import rejected

PLATE = re.compile(r"^[A-Z]{3}[0-9][A-Z0-9][0-9]{2}$")
EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$")

# The robot input's JSON Schema (docs/contract/robot-input.schema.json): its `$defs` with an
# `enum` are the one list of choice values and synonyms, which the service reads too.
CONTRACT_FILE = Path(__file__).resolve().parents[2] / "docs" / "contract" / "robot-input.schema.json"


def fold(text: str) -> str:
    """Lower case without accents or repeated spaces, for lenient enumeration matching."""
    nfkd = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in nfkd if not unicodedata.combining(c)).lower().split())


@functools.cache
def choices() -> dict[str, tuple[tuple[str, ...], dict[str, str]]]:
    """Choice name → (canonical values, folded synonym → canonical value), from CONTRACT_FILE. A
    contract that cannot be read is the installation's problem (`ConfigError`), not the quote's."""
    try:
        defs = json.loads(CONTRACT_FILE.read_text(encoding="utf-8"))["$defs"]
        return {
            name: (tuple(d["enum"]), {fold(a): c for a, c in d.get("x-sinonimos", {}).items()})
            for name, d in defs.items()
            if "enum" in d
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "conteúdo inválido"
        raise ConfigError(
            f"O contrato da entrada do robô {CONTRACT_FILE} não pôde ser lido ({reason}).",
            "Instalar o robô a partir do repositório completo (a pasta docs/contract vem junto com rpa/).",
        ) from None


# Questionnaire answers used when a key is absent (manual runs; the service always sends them):
# the operator's defaults file the service also reads, keys starting with "_" being comments.
DEFAULTS_FILE = Path(__file__).resolve().parents[2] / "config" / "defaults.json"


@dataclass(frozen=True)
class Person:
    """A person typed into the portal (the insured, or the main driver)."""

    nome: str
    cpf: str  # 11 digits
    data_nascimento: str  # DD/MM/AAAA
    sexo: str
    estado_civil: str


@dataclass(frozen=True)
class QuoteInput:
    tipo_veiculo: str
    placa: str
    cep: str  # 8 digits
    segurado: Person
    email: str
    telefone: str  # 10 or 11 digits
    zero_km: bool
    combustivel: str
    kit_gas: bool
    blindado: bool
    financiado: bool
    uso_veiculo: str
    condutor: Person | None  # None: the insured is the main driver
    local_de_trabalho: bool
    estacionamento_proprio_local_de_trabalho: bool
    local_de_estudo: bool
    estacionamento_proprio_local_de_estudo: bool
    garagem_residencia: bool
    portao_eletronico: str
    reside_18_26: str
    sexo_do_menor: str
    faixa_etaria_menor_mais_novo: str
    continuar_com_corretor_anterior: bool

    def __repr__(self) -> str:  # never print personal data by accident
        return f"QuoteInput(tipo_veiculo={self.tipo_veiculo!r}, placa={self.placa!r})"


class InputFileError(Exception):
    """The data file cannot be read or is not one JSON object (a technical failure)."""


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def cpf_is_valid(cpf: str) -> bool:
    if not re.fullmatch(r"\d{11}", cpf) or cpf == cpf[0] * 11:
        return False
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(cpf[:size], range(size + 1, 1, -1)))
        check = (total * 10) % 11 % 10
        if check != int(cpf[size]):
            return False
    return True


def read_document(data_file: str | None, data_json: str | None) -> dict:
    """Reads the input document from `--data-file` or `--data`."""
    try:
        if data_file is not None:
            with open(data_file, encoding="utf-8") as fh:
                raw = fh.read()
        else:
            raw = data_json or ""
        doc = json.loads(raw)
    except OSError as exc:
        raise InputFileError(f"não foi possível ler o arquivo de dados ({exc.strerror}).") from None
    except ValueError as exc:
        raise InputFileError(f"os dados não são JSON válido (linha {getattr(exc, 'lineno', '?')}).") from None
    if not isinstance(doc, dict):
        raise InputFileError("os dados devem ser um objeto JSON.")
    return doc


def questionnaire_defaults() -> dict:
    """The questionnaire answers of `RPA_DEFAULTS_FILE` (else config/defaults.json)."""
    path = os.environ.get("RPA_DEFAULTS_FILE") or str(DEFAULTS_FILE)
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise InputFileError(f"não foi possível ler o arquivo de respostas padrão {path} ({exc.strerror}).") from None
    except ValueError as exc:
        raise InputFileError(
            f"o arquivo de respostas padrão {path} não é JSON válido (linha {getattr(exc, 'lineno', '?')})."
        ) from None
    if not isinstance(doc, dict):
        raise InputFileError(f"o arquivo de respostas padrão {path} deve ser um objeto JSON.")
    return {k: v for k, v in doc.items() if not k.startswith("_")}


class _Reader:
    """Field-by-field validation of one document; each failure is a `rejeitado_<campo>`.
    The defaults file is read only if the document lacks a key."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.defaults: dict | None = None

    def raw(self, key: str):
        if key in self.doc:
            return self.doc[key]
        if self.defaults is None:
            self.defaults = questionnaire_defaults()
        return self.defaults.get(key)

    def text(self, key: str) -> str:
        value = self.raw(key)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            raise rejected(key, f"O campo {key} está ausente ou nulo nos dados.", missing=True)
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise rejected(key, f"O campo {key} deveria ser texto.")
        return str(value).strip()

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and fold(value) in ("sim", "true", "nao", "false"):
            return fold(value) in ("sim", "true")
        raise rejected(key, f"O campo {key} deveria ser verdadeiro/falso.")

    def choice(self, key: str, name: str | None = None) -> str:
        """The contract's choice `name` (default: the key itself), canonical value or synonym."""
        options, synonyms = choices()[name or key]
        value = self.text(key)
        folded = fold(value)
        for option in options:
            if fold(option) == folded:
                return option
        if folded in synonyms:
            return synonyms[folded]
        raise rejected(key, f"Valor não reconhecido em {key}; aceitos: {', '.join(options)}.")

    def cpf(self, key: str) -> str:
        value = digits(self.text(key))
        if not cpf_is_valid(value):
            raise rejected(key, f"O campo {key} não é um CPF válido (11 dígitos, dígitos verificadores).")
        return value

    def birth_date(self, key: str) -> str:
        value = self.text(key)
        match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", value)
        try:
            born = date(int(match[3]), int(match[2]), int(match[1])) if match else None
        except ValueError:
            born = None
        today = date.today()
        if born is None or born >= today or today.year - born.year > 120:
            raise rejected(key, f"O campo {key} deve ser uma data passada no formato DD/MM/AAAA.")
        return value

    def person(self, suffix: str) -> Person:
        return Person(
            nome=self.name(f"nome{suffix}"),
            cpf=self.cpf(f"cpf{suffix}"),
            data_nascimento=self.birth_date(f"data_nascimento{suffix}"),
            sexo=self.choice(f"sexo{suffix}", "sexo"),
            estado_civil=self.choice(f"estado_civil{suffix}", "estado_civil"),
        )

    def name(self, key: str) -> str:
        value = " ".join(self.text(key).split())
        if not 2 <= len(value) <= 100:
            raise rejected(key, f"O campo {key} deve ter de 2 a 100 caracteres.")
        return value


def parse_input(doc: dict) -> QuoteInput:
    """Validates and normalises one robot input document (contract §2)."""
    r = _Reader(doc)
    tipo_veiculo = r.choice("tipo_veiculo")
    placa = re.sub(r"[^A-Z0-9]", "", r.text("placa").upper())
    if not PLATE.match(placa):
        raise rejected("placa", "A placa deve ter o formato AAA9999 ou Mercosul AAA9A99.")
    cep = digits(r.text("cep"))
    if len(cep) != 8:
        raise rejected("cep", "O CEP deve ter 8 dígitos.")
    if r.boolean("veiculo_segurado"):
        raise rejected(
            "veiculo_segurado",
            "Renovação (veículo já segurado) segue outro fluxo do portal, que o robô não cota; "
            "fazer a cotação de renovação manualmente.",
        )
    segurado = r.person("")
    email = r.text("email").lower()
    if not EMAIL.match(email):
        raise rejected("email", "O e-mail não tem um formato válido.")
    telefone = digits(r.text("telefone"))
    if len(telefone) not in (10, 11) or telefone[:2].startswith("0"):
        raise rejected("telefone", "O celular deve ter DDD + número (10 ou 11 dígitos).")
    condutor_principal = r.boolean("condutor_principal")
    reside = r.choice("reside_18_26")
    sexo_menor = r.choice("sexo_do_menor")
    faixa_menor = r.choice("faixa_etaria_menor_mais_novo")
    if reside != "Não":
        for key, value in (("sexo_do_menor", sexo_menor), ("faixa_etaria_menor_mais_novo", faixa_menor)):
            if value == "N/A":
                raise rejected(key, f"{key} é obrigatório quando reside_18_26 é «{reside}».", missing=True)
    return QuoteInput(
        tipo_veiculo=tipo_veiculo,
        placa=placa,
        cep=cep,
        segurado=segurado,
        email=email,
        telefone=telefone,
        zero_km=r.boolean("zero_km"),
        combustivel=r.choice("combustivel"),
        kit_gas=r.boolean("kit_gas"),
        blindado=r.boolean("blindado"),
        financiado=r.boolean("financiado"),
        uso_veiculo=r.choice("uso_veiculo"),
        condutor=None if condutor_principal else r.person("_condutor"),
        local_de_trabalho=r.boolean("local_de_trabalho"),
        estacionamento_proprio_local_de_trabalho=r.boolean("estacionamento_proprio_local_de_trabalho"),
        local_de_estudo=r.boolean("local_de_estudo"),
        estacionamento_proprio_local_de_estudo=r.boolean("estacionamento_proprio_local_de_estudo"),
        garagem_residencia=r.boolean("garagem_residencia"),
        portao_eletronico=r.choice("portao_eletronico"),
        reside_18_26=reside,
        sexo_do_menor=sexo_menor,
        faixa_etaria_menor_mais_novo=faixa_menor,
        continuar_com_corretor_anterior=r.boolean("continuar_com_corretor_anterior"),
    )
