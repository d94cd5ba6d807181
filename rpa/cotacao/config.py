"""Settings read from the environment: the portal URL, the broker's portal credentials, the
Chromium binary and the bounds of every wait. Credentials are kept out of reprs and logs."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

DEFAULT_PORTAL_URL = "https://app.tosegurado.com.br/imediatosolucoes"
DEFAULT_CHROMIUM = "/usr/bin/chromium"

# Exactly the project's Chromium flags (headless, no sandbox, no background traffic).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class ConfigError(Exception):
    """The environment does not allow a run (message in pt-BR for the operator)."""


@dataclass(frozen=True)
class Credentials:
    """The broker's portal account; never printed."""

    email: str = field(repr=False)
    senha: str = field(repr=False)


@dataclass(frozen=True)
class Timeouts:
    """Upper bounds, in seconds, of the robot's waits. The defaults fit the real portal's
    timings (plate lookup ~1 s, estimate ~5 s, calculation 30–70 s, manual-quote countdown
    ~163 s) with a wide margin for a loaded machine."""

    navegacao: float = 60.0  # first page load
    tela: float = 45.0  # one screen to the next
    calculo: float = 300.0  # screen 13/14 to the result or the manual-quote page
    resultado: float = 60.0  # login, CPF modal, real premiums after login
    fechamento: float = 10.0  # closing the browser, failure screenshots


@dataclass(frozen=True)
class Settings:
    portal_url: str
    chromium_path: str
    timeouts: Timeouts
    credentials: Credentials | None = field(repr=False, default=None)


def _seconds(env: dict, name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} deve ser um número de segundos (recebido: {raw!r}).") from None
    if value <= 0:
        raise ConfigError(f"{name} deve ser maior que zero.")
    return value


def load_timeouts(env: dict) -> Timeouts:
    base = Timeouts()
    return Timeouts(
        navegacao=_seconds(env, "RPA_TIMEOUT_NAVEGACAO_S", base.navegacao),
        tela=_seconds(env, "RPA_TIMEOUT_TELA_S", base.tela),
        calculo=_seconds(env, "RPA_TIMEOUT_CALCULO_S", base.calculo),
        resultado=_seconds(env, "RPA_TIMEOUT_RESULTADO_S", base.resultado),
        fechamento=_seconds(env, "RPA_TIMEOUT_FECHAMENTO_S", base.fechamento),
    )


def load_credentials(env: dict) -> Credentials:
    """RPA_PORTAL_EMAIL + RPA_PORTAL_SENHA, else the JSON file named by RPA_PORTAL_CREDENTIALS."""
    email, senha = env.get("RPA_PORTAL_EMAIL"), env.get("RPA_PORTAL_SENHA")
    if email and senha:
        return Credentials(email, senha)
    path = env.get("RPA_PORTAL_CREDENTIALS")
    if not path:
        raise ConfigError(
            "Credenciais do portal ausentes: defina RPA_PORTAL_EMAIL e RPA_PORTAL_SENHA, ou "
            "RPA_PORTAL_CREDENTIALS com o caminho de um arquivo JSON {\"email\", \"senha\"}."
        )
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"Não foi possível ler o arquivo de RPA_PORTAL_CREDENTIALS ({type(exc).__name__})."
        ) from None
    if not isinstance(doc, dict) or not doc.get("email") or not doc.get("senha"):
        raise ConfigError(
            "O arquivo de RPA_PORTAL_CREDENTIALS deve conter um objeto JSON com \"email\" e "
            "\"senha\" preenchidos."
        )
    return Credentials(str(doc["email"]), str(doc["senha"]))


def load_settings(env: dict | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    url = (env.get("RPA_PORTAL_URL") or DEFAULT_PORTAL_URL).strip()
    if not url.startswith(("http://", "https://")):
        raise ConfigError("RPA_PORTAL_URL deve começar com http:// ou https://.")
    return Settings(
        portal_url=url,
        chromium_path=env.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM,
        timeouts=load_timeouts(env),
        credentials=load_credentials(env),
    )
