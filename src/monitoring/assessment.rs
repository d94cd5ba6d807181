//! Health's verdict. `unhealthy` when the service cannot quote: the preflight found a
//! configuration problem, the database's disk takes no writes (named, with its free space), or
//! every one of the recent attempts (at least [`MIN_ATTEMPTS`]) failed.
//! `degraded` when technical failures pass [`FAILURE_SHARE_PCT`] of the recent attempts (at least
//! two), two canaries in a row failed, the portal did not answer the last preflight, the queue is
//! over 80% of its limit, or a lead event is not reaching its receiver. Each reason is a sentence
//! in Portuguese, naming the screen where failures stop.

use super::canary_status::CanaryStatus;
use super::recent::Recent;
use crate::outbox::report::Summary;
use crate::preflight::gate::{self, Snapshot};
use crate::store::disk::Full;
use serde::Serialize;

/// Fewer attempts than this never make the service `unhealthy` on their own.
pub const MIN_ATTEMPTS: i64 = 3;
/// Share of technical failures among the recent attempts that makes the service `degraded`.
pub const FAILURE_SHARE_PCT: i64 = 25;
/// Canary failures in a row that make the service `degraded`.
pub const CANARY_FAILURES: i64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Healthy,
    Degraded,
    Unhealthy,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Healthy => "healthy",
            Status::Degraded => "degraded",
            Status::Unhealthy => "unhealthy",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Healthy, Status::Degraded, Status::Unhealthy].into_iter().find(|v| v.as_str() == s)
    }
}

/// What the verdict is made from.
pub struct Inputs<'a> {
    pub queued: i64,
    pub queue_limit: u32,
    pub webhooks: &'a Summary,
    pub recent: &'a Recent,
    pub canary: Option<&'a CanaryStatus>,
    pub preflight: &'a Snapshot,
    /// Writes fail for lack of room (or with I/O errors).
    pub disk: Option<&'a Full>,
    pub now: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub status: Status,
    /// Why it is not `healthy`, most serious first.
    pub motivos: Vec<String>,
}

pub fn assess(i: &Inputs) -> Verdict {
    let mut reasons: Vec<(Status, String)> = Vec::new();
    if let Some(full) = i.disk {
        reasons.push((Status::Unhealthy, disk_sentence(full, i.now)));
    }
    match i.preflight.state {
        gate::State::Closed => {
            let items: Vec<String> = i
                .preflight
                .report
                .verificacoes
                .iter()
                .filter(|c| c.blocks_quotes())
                .map(|c| format!("{}: {}", c.item, c.mensagem))
                .collect();
            reasons.push((
                Status::Unhealthy,
                format!(
                    "a instalação não pode cotar; as cotações esperam na fila ({}); rode `rpa-v4 check`",
                    items.join("; ")
                ),
            ));
        }
        // The first check takes a few seconds at start (it starts Chromium): not a problem yet,
        // and health's `verificacao.estado` says "verificando".
        gate::State::Checking | gate::State::Open => {}
    }
    if let Some(portal) = i.preflight.report.verificacoes.iter().find(|c| c.item == "portal" && !c.ok) {
        reasons.push((Status::Degraded, format!("o portal não respondeu na última verificação: {}", portal.mensagem)));
    }
    let r = i.recent;
    if r.falhas_tecnicas > 0 {
        let where_ = r.tela_mais_comum.map(|t| format!(" na tela {t}")).unwrap_or_default();
        let tipo = r.tipo_mais_comum.as_deref().map(|t| format!(" (erro mais comum: {t})")).unwrap_or_default();
        let sentence = if r.falhas_na_tela == r.falhas_tecnicas {
            format!("{} das últimas {} tentativas de cotação falharam{where_}{tipo}", r.falhas_tecnicas, r.tentativas)
        } else {
            format!(
                "{} das últimas {} tentativas de cotação falharam, {} delas{where_}{tipo}",
                r.falhas_tecnicas, r.tentativas, r.falhas_na_tela
            )
        };
        if r.tentativas >= MIN_ATTEMPTS && r.falhas_tecnicas == r.tentativas {
            reasons.push((Status::Unhealthy, sentence));
        } else if r.falhas_tecnicas >= 2 && r.falhas_tecnicas * 100 >= FAILURE_SHARE_PCT * r.tentativas {
            reasons.push((Status::Degraded, sentence));
        }
    }
    if let Some(c) = i.canary.filter(|c| c.falhas_seguidas >= CANARY_FAILURES) {
        let where_ = c.tela.map(|t| format!(" na tela {t}")).unwrap_or_default();
        reasons.push((
            Status::Degraded,
            format!("as últimas {} cotações canário falharam{where_} ({})", c.falhas_seguidas, c.resultado),
        ));
    }
    if i.queued * 10 >= i64::from(i.queue_limit) * 8 {
        reasons.push((Status::Degraded, format!("a fila está com {} de {} cotações", i.queued, i.queue_limit)));
    }
    if i.webhooks.is_degraded() {
        reasons.push((
            Status::Degraded,
            "há eventos de lead que não chegam ao destino (veja `rpa-v4 webhooks listar`)".into(),
        ));
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.0));
    Verdict {
        status: reasons.first().map_or(Status::Healthy, |r| r.0),
        motivos: reasons.into_iter().map(|r| r.1).collect(),
    }
}

/// The disk that takes no writes, in words: where, how much room is left, since when.
fn disk_sentence(full: &Full, now: chrono::DateTime<chrono::Utc>) -> String {
    let mib = |b: u64| format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0));
    let dir = full.dir.as_ref().map_or_else(|| "?".to_string(), |d| d.display().to_string());
    let what = match (full.room_under_limit, full.free_bytes) {
        (Some(room), _) if room < crate::store::disk::PROBE_BYTES as u64 => {
            format!("o banco de dados chegou ao tamanho máximo (RPA_DB_MAX_MB; {} livres nele)", mib(room))
        }
        (_, Some(free)) => format!("o disco do banco de dados ({dir}) está cheio ou falhando ({} livres)", mib(free)),
        _ => format!("o disco do banco de dados ({dir}) está cheio ou falhando"),
    };
    let secs = (now - full.failure.since).num_seconds().max(0);
    format!(
        "{what}: as gravações falham há {secs} s ({}); cotações novas recebem 503 até haver espaço",
        full.failure.error
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::findings::Report;

    fn open() -> Snapshot {
        Snapshot { state: gate::State::Open, checked_at: None, report: Report::default() }
    }

    fn recent(tentativas: i64, falhas: i64, seguidas: i64) -> Recent {
        Recent {
            tentativas,
            falhas_tecnicas: falhas,
            falhas_seguidas: seguidas,
            tela_mais_comum: (falhas > 0).then_some(9),
            falhas_na_tela: falhas,
            tipo_mais_comum: (falhas > 0).then(|| "tela_nao_carregou".into()),
            janela_tentativas: 20,
            janela_minutos: 60,
        }
    }

    const NO_WEBHOOKS: &Summary =
        &Summary { pendentes: 0, mortos: 0, mais_antigo_s: None, endpoints_desativados: Vec::new() };

    fn inputs<'a>(r: &'a Recent, preflight: &'a Snapshot) -> Inputs<'a> {
        Inputs {
            queued: 0,
            queue_limit: 200,
            webhooks: NO_WEBHOOKS,
            recent: r,
            canary: None,
            preflight,
            disk: None,
            now: chrono::Utc::now(),
        }
    }

    fn verdict(r: &Recent, canary: Option<&CanaryStatus>, preflight: &Snapshot) -> Verdict {
        assess(&Inputs { canary, ..inputs(r, preflight) })
    }

    #[test]
    fn failures_past_the_share_degrade_and_name_the_screen() {
        let v = verdict(&recent(20, 12, 1), None, &open());
        assert_eq!(v.status, Status::Degraded);
        assert_eq!(
            v.motivos,
            ["12 das últimas 20 tentativas de cotação falharam na tela 9 (erro mais comum: tela_nao_carregou)"]
        );
        assert_eq!(verdict(&recent(20, 5, 1), None, &open()).status, Status::Degraded);
        assert_eq!(verdict(&recent(20, 4, 1), None, &open()).status, Status::Healthy, "under 25%");
        assert_eq!(verdict(&recent(2, 1, 1), None, &open()).status, Status::Healthy, "one failure is not a trend");
    }

    #[test]
    fn a_disk_that_takes_no_writes_is_unhealthy_and_named() {
        let since = chrono::Utc::now() - chrono::Duration::seconds(42);
        let failure = crate::store::disk::Failure { since, error: "database or disk is full".into() };
        let on_disk = Full {
            failure: failure.clone(),
            dir: Some("/var/lib/rpa-v4".into()),
            free_bytes: Some(512 * 1024),
            room_under_limit: None,
        };
        let v = assess(&Inputs { disk: Some(&on_disk), ..inputs(&recent(0, 0, 0), &open()) });
        assert_eq!(v.status, Status::Unhealthy);
        assert!(v.motivos[0].starts_with("o disco do banco de dados (/var/lib/rpa-v4) está cheio ou falhando (0.5 MiB livres): as gravações falham há 42 s (database or disk is full)"), "{v:?}");
        let at_limit = Full { room_under_limit: Some(4096), free_bytes: Some(1 << 40), ..on_disk };
        let v = assess(&Inputs { disk: Some(&at_limit), ..inputs(&recent(0, 0, 0), &open()) });
        assert!(v.motivos[0].starts_with("o banco de dados chegou ao tamanho máximo (RPA_DB_MAX_MB"), "{v:?}");
    }

    #[test]
    fn all_recent_attempts_failing_is_unhealthy_but_not_with_too_few() {
        assert_eq!(verdict(&recent(3, 3, 3), None, &open()).status, Status::Unhealthy);
        assert_eq!(verdict(&recent(2, 2, 2), None, &open()).status, Status::Degraded);
    }

    #[test]
    fn two_failed_canaries_degrade_and_a_configuration_problem_is_unhealthy() {
        let canary = CanaryStatus {
            resultado: "tela_nao_carregou".into(),
            sucesso: false,
            concluido_em: String::new(),
            idade_s: 0,
            tela: Some(7),
            falhas_seguidas: 2,
            failing_since: None,
        };
        let v = verdict(&recent(0, 0, 0), Some(&canary), &open());
        assert_eq!(v.status, Status::Degraded);
        assert!(v.motivos[0].contains("tela 7"), "{v:?}");
        let closed = Snapshot {
            state: gate::State::Closed,
            checked_at: None,
            report: Report {
                verificacoes: vec![crate::preflight::findings::Check::problem("credenciais", "ausentes", "defina")],
            },
        };
        let v = verdict(&recent(0, 0, 0), Some(&canary), &closed);
        assert_eq!(v.status, Status::Unhealthy);
        assert!(v.motivos[0].contains("credenciais: ausentes"), "{v:?}");
    }
}
