"""Command line of the robot (contract §1): arguments, the one ending of every run (terminal
snapshot, exit code 0/1/2/3, one JSON line last on stdout) and the signal handling that turns
SIGTERM/SIGINT into a prompt `cancelado` ending, also while a Playwright call is in flight.
`--verificar` runs the installation checks of `preflight` instead of a quote."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import signal
import sys
from pathlib import Path

from . import errors
from .config import CHROMIUM_FIX, ConfigError, Settings, check_chromium, load_settings
from .errors import Cancelled, ConfigurationInvalid, RobotError, Unexpected, unexpected_from
from .inputs import InputFileError, parse_input, read_document
from .privacy import first_line, scrub
from .tracker import Tracker, now_iso

log = logging.getLogger("cotacao")

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
SUCCESS_MESSAGE = "Cotação concluída! Confira abaixo os planos encontrados para você."


# argparse's own texts, in Portuguese (argparse looks `_` up at call time).
_ARGPARSE_PT = {
    "usage: ": "uso: ",
    "options": "opções",
    "show this help message and exit": "mostra esta ajuda e sai",
    "the following arguments are required: %s": "argumentos obrigatórios ausentes: %s",
    "one of the arguments %s is required": "informe um dos argumentos %s",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "not allowed with argument %s": "não pode ser usado junto com %s",
    "unrecognized arguments: %s": "argumentos desconhecidos: %s",
    "expected one argument": "esperado um valor",
    "ignored explicit argument %r": "valor ignorado %r",
}
argparse._ = lambda text: _ARGPARSE_PT.get(text, text)


class UsageError(Exception):
    """Bad command line (message in pt-BR)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit 2, which means "input rejected" here
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="executar_imediato_playwright.py",
        usage="%(prog)s (--data-file ARQUIVO | --data JSON) --session ID --data-dir DIR\n       %(prog)s --verificar",
        description="Robô de cotação: percorre as telas do portal da seguradora e grava o "
        "progresso em DIR (progress_ID.json, history_ID.json, result_ID.json). Com --verificar, "
        "só confere se esta instalação consegue cotar (configuração, credenciais, navegador, "
        "portal, respostas padrão) e imprime o resultado em uma linha JSON.",
        epilog="Ambiente: RPA_PORTAL_URL, RPA_PORTAL_EMAIL + RPA_PORTAL_SENHA (ou "
        "RPA_PORTAL_CREDENTIALS), CHROMIUM_PATH, RPA_TIMEOUT_*_S, RPA_DEFAULTS_FILE. Saída: 0 "
        "cotação obtida, 1 falha técnica ou configuração inválida, 2 dado recusado ou ausente, "
        "3 cotação manual; com --verificar, 0 tudo certo e 1 algum item com problema.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--data-file", metavar="ARQUIVO", help="arquivo JSON com os dados da cotação")
    mode.add_argument("--data", metavar="JSON", help="os mesmos dados, em linha (execuções manuais)")
    mode.add_argument(
        "--verificar",
        action="store_true",
        help="só verifica a instalação (sem cotação); não aceita os outros argumentos",
    )
    parser.add_argument("--session", metavar="ID", help="id da sessão de cotação")
    parser.add_argument("--data-dir", metavar="DIR", help="diretório dos snapshots")
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The arguments of a quote run, or `--verificar` alone (raises UsageError)."""
    args = build_parser().parse_args(argv)
    if args.verificar:
        extra = [
            flag for flag, value in (("--session", args.session), ("--data-dir", args.data_dir)) if value is not None
        ]
        if extra:
            raise UsageError(f"--verificar não pode ser usado junto com {', '.join(extra)}")
        return args
    missing = [flag for flag, value in (("--session", args.session), ("--data-dir", args.data_dir)) if value is None]
    if args.data_file is None and args.data is None:
        missing.insert(0, "--data-file ou --data (ou --verificar)")
    if missing:
        raise UsageError(f"argumentos obrigatórios ausentes: {', '.join(missing)}")
    if not SESSION_ID.match(args.session):
        raise UsageError("--session deve ter de 1 a 128 letras, dígitos, '_' ou '-'.")
    return args


def configuration_invalid(problem: ConfigError) -> ConfigurationInvalid:
    return ConfigurationInvalid(
        f"Configuração do robô: {problem} Para um diagnóstico completo: executar_imediato_playwright.py --verificar."
    )


def browser_missing(exc: BaseException) -> ConfigurationInvalid | None:
    """A Playwright launch error that means the Chromium binary is absent or not executable."""
    if not type(exc).__module__.startswith("playwright"):
        return None
    text = str(exc).lower()
    if "executable doesn't exist" in text or ("failed to launch" in text and (" eacces" in text or " enoent" in text)):
        return configuration_invalid(
            ConfigError(f"O Chromium não pôde ser iniciado: {first_line(exc, 300)}.", CHROMIUM_FIX)
        )
    return None


def emit(status: str, codigo: int, tipo: str, mensagem: str) -> None:
    """The last stdout line: one JSON object, no personal data."""
    sys.stdout.flush()
    print(
        json.dumps({"status": status, "codigo": codigo, "tipo": tipo, "mensagem": mensagem}, ensure_ascii=False),
        flush=True,
    )


class _EarlySignal:
    """Outside the event loop (before it runs and after it stops) a signal ends the run at
    once: the terminal `cancelado` snapshot is written here, then Cancelled is raised. Once the
    run has its ending, a late signal is ignored so the exit that follows is not disturbed."""

    def __init__(self, ending: Ending | None = None):
        self.ending = ending

    def __call__(self, signum, frame):
        name = signal.Signals(signum).name
        if self.ending is not None:
            if self.ending.decided:
                return
            self.ending.fail(Cancelled(name))
        raise Cancelled(name)

    def install(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self)


class Ending:
    """The single terminal outcome of a run: the first one recorded wins."""

    def __init__(self, tracker: Tracker):
        self.tracker = tracker
        self.error: RobotError | None = None
        self.success = False

    @property
    def decided(self) -> bool:
        return self.success or self.error is not None

    def succeed(self, planos: dict) -> None:
        if not self.decided:
            self.success = True
            self.tracker.succeed(planos, SUCCESS_MESSAGE)

    def fail(self, error: RobotError) -> None:
        if not self.decided:
            self.error = error
            self.tracker.fail(error.entry(now_iso()), error.mensagem)

    def exit_code(self) -> int:
        if self.success:
            emit("success", errors.EXIT_OK, "cotacao_obtida", SUCCESS_MESSAGE)
            return errors.EXIT_OK
        err = self.error or Unexpected("O robô terminou sem registrar um resultado.")
        emit("error", err.exit_code, err.tipo, err.mensagem)
        return err.exit_code


async def _run_async(settings: Settings, quote, tracker: Tracker, ending: Ending) -> None:
    from .flow import run_quote  # Playwright is imported only when a quote really runs

    loop = asyncio.get_running_loop()
    task = asyncio.current_task()

    def on_signal(name: str) -> None:
        # The terminal snapshot is written at once; the in-flight Playwright await is then
        # cancelled, the browser closed within its bound, and the process exits 1.
        if not ending.decided:
            log.warning("%s recebido: encerrando a cotação", name)
            ending.fail(Cancelled(name))
            task.cancel()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal, sig.name)
    try:
        planos = await run_quote(settings, quote, tracker, ending)
        ending.succeed(planos)
    except asyncio.CancelledError:
        if ending.error is None or ending.error.tipo != "cancelado":
            raise
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        _EarlySignal(ending).install()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _EarlySignal().install()
    try:
        args = parse_args(argv)
    except UsageError as exc:
        print(f"erro de uso: {exc}", file=sys.stderr)
        emit("error", errors.EXIT_TECHNICAL, "erro_inesperado", f"Argumentos inválidos: {exc}")
        return errors.EXIT_TECHNICAL
    except Cancelled as exc:
        emit("error", exc.exit_code, exc.tipo, exc.mensagem)
        return exc.exit_code

    if args.verificar:
        from .preflight import main as check_installation

        return check_installation()

    try:
        tracker = Tracker(Path(args.data_dir), args.session)
    except OSError as exc:
        print(f"não foi possível usar --data-dir: {exc.strerror}", file=sys.stderr)
        emit("error", errors.EXIT_TECHNICAL, "erro_inesperado", "Diretório de dados inacessível.")
        return errors.EXIT_TECHNICAL
    ending = Ending(tracker)
    _EarlySignal(ending).install()  # from here on, a signal always leaves a terminal snapshot
    try:
        tracker.start("Iniciando a cotação")
        try:
            settings = load_settings()
            if not settings.shared_browser:  # a shared browser runs elsewhere: no local binary needed
                check_chromium(settings.chromium_path)
            quote = parse_input(read_document(args.data_file, args.data))
        except ConfigError as exc:
            raise configuration_invalid(exc) from None
        except InputFileError as exc:  # the data file, or the defaults file it falls back on
            raise Unexpected(f"Dados da cotação: {exc}") from None
        asyncio.run(_run_async(settings, quote, tracker, ending))
    except RobotError as exc:
        ending.fail(exc)
    except BaseException as exc:
        missing = browser_missing(exc)
        if missing is not None:
            ending.fail(missing)
        else:
            log.error("erro inesperado: %s", scrub(f"{type(exc).__name__}: {exc}"))
            ending.fail(unexpected_from(exc))
    code = ending.exit_code()
    if ending.error is not None:
        log.info("fim: %s (%s)", ending.error.tipo, scrub(ending.error.sugestao))
    return code
