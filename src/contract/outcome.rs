//! What one robot run came to, decided from its terminal snapshot, its exit code and the
//! service's own observations (time limit, start failure), following contract §4: business
//! outcomes are final, technical failures may be retried.

use crate::contract::status::RobotStatus;
use serde::{Deserialize, Serialize};

/// An entry of `erros` (contract §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEntry {
    pub tipo: String,
    pub mensagem: String,
    #[serde(default)]
    pub sugestao: String,
    #[serde(default)]
    pub timestamp: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campo: Option<String>,
}

impl ErrorEntry {
    /// An error raised by the service itself (not by the robot).
    pub fn service(tipo: &str, mensagem: &str, sugestao: String) -> ErrorEntry {
        ErrorEntry {
            tipo: tipo.to_string(),
            mensagem: mensagem.to_string(),
            sugestao,
            timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            campo: None,
        }
    }

    /// `cotacao_manual` and `rejeitado_*` are answers from the portal, not failures.
    pub fn is_business(&self) -> bool {
        is_business_tipo(&self.tipo)
    }
}

/// Whether an error `tipo` (contract §4) is a business answer of the portal rather than a failure.
pub fn is_business_tipo(tipo: &str) -> bool {
    tipo == "cotacao_manual" || tipo.starts_with("rejeitado_")
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failed {
        erro: ErrorEntry,
        retryable: bool,
    },
    /// The service is shutting down: the job goes back to the queue, the attempt not counted.
    Interrupted,
    /// The installation cannot quote (`configuracao_invalida`, a robot command that cannot be
    /// started): the job goes back to the queue, the attempt not counted, and the runners wait
    /// for the preflight to pass. Never the visitor's failure.
    NotConfigured {
        erro: ErrorEntry,
    },
}

/// What the robot left behind when it ended.
#[derive(Debug, Clone, Default)]
pub struct RunEnd {
    /// `success` or `error` if the robot wrote a terminal snapshot.
    pub terminal_status: Option<RobotStatus>,
    /// The last entry of the snapshot's `erros`.
    pub last_error: Option<ErrorEntry>,
    /// `None` when killed by a signal or unknown (crash recovery).
    pub exit_code: Option<i32>,
    /// e.g. "sinal 9" or "código 1", for the operator's message.
    pub exit_description: String,
    /// `tipo` from the robot's last stdout line, if it printed one.
    pub stdout_tipo: Option<String>,
    pub timed_out: bool,
}

/// Applies the rules: time limit first, then the terminal snapshot (the authority), then the exit
/// code (the tie-breaker).
pub fn decide(end: &RunEnd, timeout_s: u64) -> Outcome {
    if end.timed_out {
        return Outcome::Failed {
            erro: ErrorEntry::service(
                "timeout",
                "A cotação demorou mais que o esperado e foi interrompida. Um especialista vai calcular e entrar em contato.",
                format!("O robô passou do limite de {timeout_s} s (RPA_JOB_TIMEOUT_S) e foi encerrado com todo o seu grupo de processos; veja o log do job."),
            ),
            retryable: false,
        };
    }
    let business_exit = matches!(end.exit_code, Some(2) | Some(3));
    match end.terminal_status {
        Some(RobotStatus::Success) => Outcome::Success,
        Some(_) => {
            let erro = end.last_error.clone().unwrap_or_else(|| by_exit_code(end));
            if erro.tipo == NOT_CONFIGURED {
                return Outcome::NotConfigured { erro };
            }
            let retryable = !(erro.is_business() || business_exit);
            Outcome::Failed { erro, retryable }
        }
        None if business_exit => Outcome::Failed { erro: by_exit_code(end), retryable: false },
        None => Outcome::Failed {
            erro: ErrorEntry::service(
                "robo_sem_status_final",
                "A cotação automática foi interrompida. Um especialista vai calcular e entrar em contato.",
                format!("O robô terminou ({}) sem gravar um status final; veja o log do job.", end.exit_description),
            ),
            retryable: true,
        },
    }
}

/// An error entry when the robot ended with an error but did not say which.
fn by_exit_code(end: &RunEnd) -> ErrorEntry {
    let tipo = end.stdout_tipo.clone().unwrap_or_else(|| {
        match end.exit_code {
            Some(3) => "cotacao_manual",
            Some(2) => "rejeitado_dados",
            _ => "erro_inesperado",
        }
        .to_string()
    });
    let mensagem = match end.exit_code {
        Some(3) => "O portal não ofereceu cotação automática. Um especialista vai calcular e entrar em contato.",
        Some(2) => "O portal recusou os dados informados. Confira os dados e tente de novo.",
        _ => "A cotação automática falhou. Um especialista vai calcular e entrar em contato.",
    };
    ErrorEntry::service(
        &tipo,
        mensagem,
        format!("O robô terminou ({}) sem detalhar o erro; veja o log do job.", end.exit_description),
    )
}

/// The robot's `tipo` for an installation that cannot quote (contract §4).
pub const NOT_CONFIGURED: &str = "configuracao_invalida";

/// The service's entry for a robot that could not be started. A program that is missing or not
/// executable is the installation's problem ([`Outcome::NotConfigured`]); anything else (no
/// memory, too many processes) is a technical failure, retried.
pub fn start_failure(reason: &str, not_configured: bool) -> Outcome {
    if not_configured {
        return Outcome::NotConfigured {
            erro: ErrorEntry::service(
                NOT_CONFIGURED,
                "A cotação automática está temporariamente indisponível. Um especialista vai calcular e entrar em contato.",
                format!("RPA_COMMAND não pôde ser executado: {reason}. Confira com `rpa-v4 check`."),
            ),
        };
    }
    Outcome::Failed {
        erro: ErrorEntry::service(
            "falha_ao_iniciar_robo",
            "Não foi possível iniciar a cotação automática. Um especialista vai calcular e entrar em contato.",
            format!("Falha ao executar RPA_COMMAND: {reason}"),
        ),
        retryable: true,
    }
}

/// The shared browser could not be opened (missing or broken Chromium): the installation's
/// problem, held like any other.
pub fn browser_unavailable(reason: &str) -> Outcome {
    Outcome::NotConfigured {
        erro: ErrorEntry::service(
            NOT_CONFIGURED,
            "A cotação automática está temporariamente indisponível. Um especialista vai calcular e entrar em contato.",
            format!("O navegador compartilhado não abriu: {reason}. Confira CHROMIUM_PATH com `rpa-v4 check`."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(tipo: &str) -> Option<ErrorEntry> {
        Some(ErrorEntry::service(tipo, "m", String::new()))
    }

    #[test]
    fn business_outcomes_are_never_retried() {
        let end = RunEnd {
            terminal_status: Some(RobotStatus::Error),
            last_error: err("cotacao_manual"),
            exit_code: Some(3),
            ..Default::default()
        };
        assert!(matches!(decide(&end, 1), Outcome::Failed { retryable: false, .. }));
        let end = RunEnd { terminal_status: None, exit_code: Some(2), ..Default::default() };
        assert!(
            matches!(decide(&end, 1), Outcome::Failed { retryable: false, ref erro } if erro.tipo == "rejeitado_dados")
        );
    }

    #[test]
    fn technical_failures_are_retried_and_timeouts_are_final() {
        let end = RunEnd {
            terminal_status: Some(RobotStatus::Error),
            last_error: err("portal_indisponivel"),
            exit_code: Some(1),
            ..Default::default()
        };
        assert!(matches!(decide(&end, 1), Outcome::Failed { retryable: true, .. }));
        let end = RunEnd { exit_code: Some(0), ..Default::default() };
        assert!(
            matches!(decide(&end, 1), Outcome::Failed { retryable: true, ref erro } if erro.tipo == "robo_sem_status_final")
        );
        let end = RunEnd {
            timed_out: true,
            terminal_status: Some(RobotStatus::Error),
            last_error: err("cancelado"),
            ..Default::default()
        };
        assert!(matches!(decide(&end, 1), Outcome::Failed { retryable: false, ref erro } if erro.tipo == "timeout"));
    }

    #[test]
    fn a_configuration_problem_is_never_a_failure_of_the_quote() {
        let end = RunEnd {
            terminal_status: Some(RobotStatus::Error),
            last_error: err(NOT_CONFIGURED),
            exit_code: Some(1),
            ..Default::default()
        };
        assert!(matches!(decide(&end, 1), Outcome::NotConfigured { .. }));
        assert!(matches!(start_failure("x", true), Outcome::NotConfigured { .. }));
        assert!(matches!(start_failure("x", false), Outcome::Failed { retryable: true, .. }));
    }

    #[test]
    fn a_success_snapshot_wins_over_the_exit_code() {
        let end = RunEnd { terminal_status: Some(RobotStatus::Success), exit_code: Some(1), ..Default::default() };
        assert_eq!(decide(&end, 1), Outcome::Success);
    }
}
