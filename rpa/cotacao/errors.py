"""Run outcomes that end a quote: one exception type per error `tipo` of the contract, each
carrying the exit code, the visitor's message (pt-BR, no personal data) and the operator's hint."""

from __future__ import annotations

EXIT_OK = 0
EXIT_TECHNICAL = 1
EXIT_REJECTED = 2
EXIT_MANUAL = 3

SPECIALIST = "Um especialista da corretora vai concluir a sua cotação e entrar em contato em breve."


class RobotError(Exception):
    """An outcome that ends the run without a quote."""

    tipo = "erro_inesperado"
    exit_code = EXIT_TECHNICAL

    def __init__(self, mensagem: str, sugestao: str, campo: str | None = None):
        super().__init__(sugestao)
        self.mensagem = mensagem
        self.sugestao = sugestao
        self.campo = campo

    def entry(self, timestamp: str) -> dict:
        """The `erros` entry of the tracker snapshots (contract §4)."""
        item = {
            "tipo": self.tipo,
            "mensagem": self.mensagem,
            "sugestao": self.sugestao,
            "timestamp": timestamp,
        }
        if self.campo is not None:
            item["campo"] = self.campo
        return item


class ScreenNotLoaded(RobotError):
    """A screen never appeared within its bounded wait."""

    tipo = "tela_nao_carregou"

    def __init__(self, tela: str, timeout_s: float, detalhe: str = ""):
        extra = f" {detalhe}" if detalhe else ""
        super().__init__(
            f"O portal da seguradora demorou demais na etapa «{tela}» e a cotação automática "
            f"não pôde continuar. {SPECIALIST}",
            f"A tela «{tela}» não apareceu em {timeout_s:g} s.{extra} Ver a captura de tela e o "
            "HTML salvos ao lado dos snapshots; o robô pode ser executado de novo.",
        )
        self.tela = tela


class PortalUnavailable(RobotError):
    """Navigation failed or the portal answered with a server error."""

    tipo = "portal_indisponivel"

    def __init__(self, detalhe: str):
        super().__init__(
            f"O portal da seguradora está indisponível no momento. {SPECIALIST}",
            f"Falha ao acessar o portal: {detalhe}. Verificar RPA_PORTAL_URL e a conectividade; "
            "a cotação pode ser repetida.",
        )


class LoginRefused(RobotError):
    """The broker account was refused at the result's login."""

    tipo = "login_recusado"

    def __init__(self, detalhe: str):
        super().__init__(
            f"Não foi possível acessar o resultado da cotação agora. {SPECIALIST}",
            f"O portal recusou o login da conta da corretora ({detalhe}). Conferir "
            "RPA_PORTAL_EMAIL/RPA_PORTAL_SENHA ou o arquivo de RPA_PORTAL_CREDENTIALS.",
        )


class InputRejected(RobotError):
    """The portal refused an input, or a field the portal requires is missing."""

    exit_code = EXIT_REJECTED

    def __init__(self, campo: str, mensagem: str, sugestao: str):
        super().__init__(mensagem, sugestao, campo=campo)
        self.tipo = f"rejeitado_{campo}"


class ManualQuote(RobotError):
    """The portal gave no offer: a specialist must quote by hand."""

    tipo = "cotacao_manual"
    exit_code = EXIT_MANUAL

    def __init__(self):
        super().__init__(
            "Não encontramos ofertas automáticas para o seu perfil agora. Um especialista vai "
            "calcular a sua cotação e entrar em contato em breve.",
            "O portal mostrou «Ops, ainda não encontramos resultados para você» (cotação "
            "manual). Fazer a cotação manualmente no portal.",
        )


class Cancelled(RobotError):
    """SIGTERM/SIGINT received: the run was stopped from outside."""

    tipo = "cancelado"

    def __init__(self, sinal: str = "SIGTERM"):
        super().__init__(
            f"A cotação automática foi interrompida. {SPECIALIST}",
            f"O robô recebeu {sinal} (tempo limite do job ou parada do serviço) e encerrou o navegador.",
        )


class ConfigurationInvalid(RobotError):
    """The installation cannot quote (credentials, Chromium, settings): an operator's problem,
    never the visitor's. The service holds the queue instead of retrying it."""

    tipo = "configuracao_invalida"

    def __init__(self, sugestao: str):
        super().__init__(
            f"A cotação automática está temporariamente indisponível. {SPECIALIST}",
            sugestao,
        )


class PlansUnreadable(RobotError):
    """The result page was reached but neither reader could take the plans from it."""

    tipo = "planos_ilegiveis"

    def __init__(self, sugestao: str):
        super().__init__(
            f"Não conseguimos ler o resultado da sua cotação no portal. {SPECIALIST}",
            sugestao,
        )


class ScreenNotRecognised(RobotError):
    """A page appeared but did not carry the element that identifies the awaited screen."""

    tipo = "tela_nao_reconhecida"

    def __init__(self, tela: str, elemento: str, detalhe: str = ""):
        extra = f" {detalhe}" if detalhe else ""
        super().__init__(
            f"O portal da seguradora mostrou uma tela inesperada e a cotação automática não "
            f"pôde continuar. {SPECIALIST}",
            f"A tela «{tela}» não foi reconhecida: o elemento «{elemento}» não apareceu.{extra} "
            "Ver a captura de tela e o HTML salvos ao lado dos snapshots.",
        )
        self.tela = tela
        self.elemento = elemento


class AnswerNotGiven(ScreenNotRecognised):
    """An answer of the quote could not be given on its screen: the box, radio, choice or field
    is there but did not take the answer. The quote stops rather than send the portal another
    answer than the visitor's (a missing element is `ScreenNotRecognised`, naming it)."""

    def __init__(self, tela: str, campo: str, detalhe: str):
        RobotError.__init__(
            self,
            f"O portal da seguradora mostrou uma tela inesperada e a cotação automática não "
            f"pôde continuar. {SPECIALIST}",
            f"Na tela «{tela}» o robô não conseguiu informar «{campo}»: {detalhe}. A cotação parou "
            "para não enviar ao portal uma resposta diferente da do cliente. Ver a captura de tela e o "
            "HTML salvos ao lado dos snapshots.",
        )
        self.tela = tela
        self.elemento = campo


class Unexpected(RobotError):
    """Any other failure (a bug, a crash of the browser, bad configuration)."""

    tipo = "erro_inesperado"

    def __init__(self, sugestao: str):
        super().__init__(
            f"Ocorreu um erro técnico durante a cotação automática. {SPECIALIST}",
            sugestao,
        )


def unexpected_from(exc: BaseException) -> Unexpected:
    """Wraps an unforeseen exception; the text names only its type and first line."""
    from .privacy import first_line

    return Unexpected(f"Exceção {type(exc).__name__}: {first_line(exc, 300)}. Ver o log do job (stderr do robô).")
