"""The values the portal's input masks display for a normalised input (plate `ABC-1D23`,
CPF `529.982.247-25`, phone `(11) 98765-4321`, CEP `01310-100`, e-mail upper-cased), so the
robot can verify a field after typing it."""

from __future__ import annotations


def plate(placa: str) -> str:
    return f"{placa[:3]}-{placa[3:]}"


def cpf(digits: str) -> str:
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"


def phone(digits: str) -> str:
    return f"({digits[:2]}) {digits[2:-4]}-{digits[-4:]}"


def cep(digits: str) -> str:
    return f"{digits[:5]}-{digits[5:]}"


def email(address: str) -> str:
    return address.upper()
