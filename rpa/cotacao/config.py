"""Settings read from the environment: the portal URL, the broker's portal credentials, the
Chromium binary (or a shared browser: the service's browser server, or the DevTools endpoint of
a Chromium on another machine) and the bounds of every wait. Credentials and the browser
server's endpoint are kept out of reprs and logs."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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
    # Every window of a recent Chromium preloads its omnibox popups as WebUI pages: two
    # renderers of about 30 MiB per quote that nothing here ever shows. Measured with
    # bench/shared_browser.py; the own mode leaves this flag out, see browser.py.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
)


class ConfigError(Exception):
    """The environment does not allow a run. `problema` says what is wrong and `correcao` what
    the operator should do (both pt-BR, never a credential); the text is both, in that order."""

    def __init__(self, problema: str, correcao: str = ""):
        super().__init__(f"{problema} {correcao}".strip())
        self.problema = problema
        self.correcao = correcao


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
class SharedBrowser:
    """A browser the robot connects to instead of launching its own:

    - the service's browser server (`RPA_BROWSER_SERVER`, Playwright's protocol over a Unix socket
      that only the service's user can reach, rpa/browser_server.js): never shown all the same;
    - a Chromium's DevTools endpoint on another machine (`RPA_BROWSER_ENDPOINT`, CDP), shown as
      scheme, host and port only."""

    url: str = field(repr=False)
    server: bool

    @property
    def shown(self) -> str:
        """How messages and logs name it."""
        if self.server:
            return "o navegador do serviço (RPA_BROWSER_SERVER)"
        if tunnel_socket(self.url) is not None:
            return f"{self.url} (RPA_BROWSER_ENDPOINT)"
        return f"{origin(self.url)} (RPA_BROWSER_ENDPOINT)"

    def hide(self, text: str) -> str:
        """`text` (say, an error message) without the endpoint's secret part."""
        if self.server:
            return text.replace(self.url, "(endereço do navegador do serviço)")
        return text


@dataclass(frozen=True)
class Settings:
    portal_url: str
    chromium_path: str
    timeouts: Timeouts
    credentials: Credentials | None = field(repr=False, default=None)
    # The browser shared by the robots (None: launch our own).
    shared_browser: SharedBrowser | None = None


# Timeouts fields and the variables that set them.
TIMEOUT_VARS = (
    ("navegacao", "RPA_TIMEOUT_NAVEGACAO_S"),
    ("tela", "RPA_TIMEOUT_TELA_S"),
    ("calculo", "RPA_TIMEOUT_CALCULO_S"),
    ("resultado", "RPA_TIMEOUT_RESULTADO_S"),
    ("fechamento", "RPA_TIMEOUT_FECHAMENTO_S"),
)


def read_seconds(env: dict, name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise ConfigError(
            f"{name} deve ser um número de segundos (recebido: {raw[:40]!r}).",
            f"Corrigir {name} (por exemplo 45) ou remover a variável para usar o padrão.",
        )
    if value <= 0:
        raise ConfigError(
            f"{name} deve ser maior que zero.", f"Corrigir {name} ou remover a variável para usar o padrão."
        )
    return value


def load_timeouts(env: dict) -> Timeouts:
    base = Timeouts()
    return Timeouts(**{f: read_seconds(env, name, getattr(base, f)) for f, name in TIMEOUT_VARS})


def origin(url: str) -> str:
    """Scheme, host and port of `url`: all a log needs of an endpoint."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(URL inválida)"
    return f"{parts.scheme}://{host}{port}"


def safe_url(url: str) -> str:
    """The URL as it may be shown: scheme, host, port and path (no user info, query or
    fragment, where a secret could hide)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return "(URL inválida)"
    return f"{origin(url)}{path}"


def load_portal_url(env: dict) -> str:
    """RPA_PORTAL_URL (default: the real portal): http(s), with a host and a valid port."""
    url = (env.get("RPA_PORTAL_URL") or DEFAULT_PORTAL_URL).strip()
    fix = f"Definir RPA_PORTAL_URL como a URL do portal com o slug da corretora, por exemplo {DEFAULT_PORTAL_URL}."
    if not url.startswith(("http://", "https://")):
        raise ConfigError("RPA_PORTAL_URL deve começar com http:// ou https://.", fix)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigError("RPA_PORTAL_URL tem uma porta inválida.", fix) from None
    if not parts.hostname:
        raise ConfigError("RPA_PORTAL_URL não tem o nome do servidor.", fix)
    return url


CREDENTIALS_FIX = (
    "Definir RPA_PORTAL_EMAIL e RPA_PORTAL_SENHA, ou RPA_PORTAL_CREDENTIALS com o caminho de "
    'um arquivo JSON {"email": …, "senha": …} legível pelo usuário do serviço.'
)


def load_credentials(env: dict) -> Credentials:
    """RPA_PORTAL_EMAIL + RPA_PORTAL_SENHA, else the JSON file named by RPA_PORTAL_CREDENTIALS."""
    email, senha = env.get("RPA_PORTAL_EMAIL"), env.get("RPA_PORTAL_SENHA")
    if email and senha:
        return Credentials(email, senha)
    path = env.get("RPA_PORTAL_CREDENTIALS")
    if not path:
        if email or senha:
            missing = "RPA_PORTAL_SENHA" if email else "RPA_PORTAL_EMAIL"
            raise ConfigError(
                f"Credenciais do portal incompletas: {missing} está vazia ou ausente "
                "e RPA_PORTAL_CREDENTIALS não está definida.",
                CREDENTIALS_FIX,
            )
        raise ConfigError(
            "Credenciais do portal ausentes: RPA_PORTAL_EMAIL/RPA_PORTAL_SENHA e "
            "RPA_PORTAL_CREDENTIALS não estão definidas.",
            CREDENTIALS_FIX,
        )
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise ConfigError(
            f"Não foi possível ler o arquivo de RPA_PORTAL_CREDENTIALS {path} ({exc.strerror or type(exc).__name__}).",
            CREDENTIALS_FIX,
        ) from None
    except ValueError as exc:
        raise ConfigError(
            f"O arquivo de RPA_PORTAL_CREDENTIALS {path} não é JSON válido (linha {getattr(exc, 'lineno', '?')}).",
            CREDENTIALS_FIX,
        ) from None
    if not isinstance(doc, dict) or not doc.get("email") or not doc.get("senha"):
        raise ConfigError(
            f'O arquivo de RPA_PORTAL_CREDENTIALS {path} deve conter um objeto JSON com "email" e "senha" preenchidos.',
            CREDENTIALS_FIX,
        )
    return Credentials(str(doc["email"]), str(doc["senha"]))


def credentials_source(env: dict) -> str:
    """Where the credentials come from, for the operator (never the values)."""
    if env.get("RPA_PORTAL_EMAIL") and env.get("RPA_PORTAL_SENHA"):
        return "RPA_PORTAL_EMAIL e RPA_PORTAL_SENHA"
    return f"o arquivo de RPA_PORTAL_CREDENTIALS ({env.get('RPA_PORTAL_CREDENTIALS')})"


def chromium_path(env: dict) -> str:
    return env.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM


CHROMIUM_FIX = (
    "Instalar o Chromium do Debian (apt-get install chromium) ou apontar CHROMIUM_PATH para o executável do Chromium."
)


def check_chromium(path: str) -> None:
    """Raises ConfigError when `path` is not an executable file (the launch could never work)."""
    if not os.path.exists(path):
        raise ConfigError(f"O Chromium não foi encontrado em {path} (CHROMIUM_PATH).", CHROMIUM_FIX)
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        raise ConfigError(f"{path} (CHROMIUM_PATH) não é um arquivo executável.", CHROMIUM_FIX)


ENDPOINT_SCHEMES = ("http", "https", "ws", "wss")
ENDPOINT_FIX = (
    "Definir RPA_BROWSER_ENDPOINT como o endereço DevTools do Chromium compartilhado "
    "(unix:///caminho/do/tunel.sock, http://127.0.0.1:PORTA ou ws://127.0.0.1:PORTA/devtools/browser/ID) "
    "ou remover a variável para o robô abrir o próprio Chromium."
)


def tunnel_socket(endpoint: str) -> str | None:
    """The socket path of a `unix:///path.sock` endpoint (a Unix socket that an SSH tunnel
    forwards to a remote Chromium's DevTools port), else None."""
    if endpoint.startswith("unix://"):
        return endpoint[len("unix://") :]
    return None


def load_browser_endpoint(env: dict) -> str:
    """RPA_BROWSER_ENDPOINT: "" (unset or blank: the robot launches its own Chromium) or the
    DevTools endpoint of a running Chromium: unix:///path.sock (a tunnel's socket, reachable by
    this user only), http(s)://host:port (Playwright asks it for /json/version) or
    ws(s)://host:port/devtools/browser/ID, with a host and a valid port."""
    raw = (env.get("RPA_BROWSER_ENDPOINT") or "").strip()
    if not raw:
        return ""
    socket_path = tunnel_socket(raw)
    if socket_path is not None:
        if not socket_path.startswith("/") or len(socket_path) < 2:
            raise ConfigError("RPA_BROWSER_ENDPOINT unix:// precisa do caminho absoluto do socket.", ENDPOINT_FIX)
        return raw
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigError("RPA_BROWSER_ENDPOINT tem uma porta inválida.", ENDPOINT_FIX) from None
    if parts.scheme.lower() not in ENDPOINT_SCHEMES:
        raise ConfigError(
            "RPA_BROWSER_ENDPOINT deve começar com unix://, http://, https://, ws:// ou wss://.", ENDPOINT_FIX
        )
    if not parts.hostname:
        raise ConfigError("RPA_BROWSER_ENDPOINT não tem o nome do servidor.", ENDPOINT_FIX)
    return raw


SERVER_FIX = (
    "RPA_BROWSER_SERVER é definida pelo serviço para os seus robôs; para rodar o robô à mão, "
    "remova a variável (o robô abre o próprio Chromium)."
)
# ws+unix:///absolute/path/of/the.sock:/path — a WebSocket over a Unix socket.
_SERVER_ENDPOINT = re.compile(r"ws\+unix://(/[^:]+\.sock):/\S+")


def load_browser_server(env: dict) -> str:
    """RPA_BROWSER_SERVER: "" (unset) or the endpoint of the service's browser server on this
    machine, ws+unix:///DIR/servidor.sock:/PATH. The value is never quoted in an error."""
    raw = (env.get("RPA_BROWSER_SERVER") or "").strip()
    if not raw:
        return ""
    if not _SERVER_ENDPOINT.fullmatch(raw):
        raise ConfigError(
            "RPA_BROWSER_SERVER não é o endereço de um servidor de navegador nesta máquina (ws+unix://…).",
            SERVER_FIX,
        )
    return raw


def load_shared_browser(env: dict) -> SharedBrowser | None:
    """The shared browser the environment names: the service's server wins over an endpoint."""
    server = load_browser_server(env)
    if server:
        return SharedBrowser(server, server=True)
    endpoint = load_browser_endpoint(env)
    return SharedBrowser(endpoint, server=False) if endpoint else None


def load_settings(env: dict | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    return Settings(
        portal_url=load_portal_url(env),
        chromium_path=chromium_path(env),
        timeouts=load_timeouts(env),
        credentials=load_credentials(env),
        shared_browser=load_shared_browser(env),
    )
