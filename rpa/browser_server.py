"""Starts the shared browser's server (browser_server.js) with the Node and the Playwright package
that the robot's own Playwright ships, so client and server always speak the same protocol
version, and with the project's Chromium flags (cotacao/config.py, the one list).

Uso (o serviço faz isso; à mão, para testes): .venv/bin/python rpa/browser_server.py DIRETORIO
  DIRETORIO: diretório 0700, criado por quem chama e apagado ao fim; guarda o socket do servidor
  e o perfil do Chromium. Só o usuário dono dele alcança o navegador.
A primeira linha da saída padrão é o endpoint: nunca a copie para um log.
CHROMIUM_PATH escolhe o Chromium, como para o robô."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright._impl._driver import compute_driver_executable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cotacao.config import CHROMIUM_FLAGS, chromium_path

SCRIPT = Path(__file__).resolve().with_name("browser_server.js")


def command(directory: str, env: dict | None = None) -> list[str]:
    """The server's command line: Playwright's Node, the script, its package, Chromium, its
    directory and the flags. Nothing secret: the endpoint is chosen by the server."""
    node, cli = compute_driver_executable()
    package = str(Path(cli).parent)
    return [
        node,
        str(SCRIPT),
        package,
        chromium_path(dict(os.environ if env is None else env)),
        directory,
        *CHROMIUM_FLAGS,
    ]


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1]:
        sys.exit("uso: browser_server.py DIRETORIO")
    argv = command(sys.argv[1])
    os.execv(argv[0], argv)


if __name__ == "__main__":
    main()
