//! The service's Prometheus metrics: counters and histograms recorded where things happen (a
//! quote attempt ending, a job leaving the queue, a webhook attempt), gauges read from SQLite at
//! scrape time, all rendered as OpenMetrics text for `GET /metrics` ([`crate::api::scrape`]).
//!
//! One process-wide registry (`prometheus-client`), built on first use: the recording functions
//! are free functions callable from any thread. Labels never carry personal data: only outcomes,
//! error `tipo`s (checked to be vocabulary words, see [`tipo_label`]) and screen numbers.
//!
//! The series (every name starts with `rpa_`):
//!
//! | series | type | labels |
//! |---|---|---|
//! | `rpa_quotes_total` | counter | `resultado` (`sucesso`, `erro`), `tipo` (`cotacao_obtida` or the error `tipo`) |
//! | `rpa_attempts_total` | counter | `resultado` (`sucesso`, `repetir`, `erro`, `interrompido`) |
//! | `rpa_failures_total` | counter | `tela` (`0`..`15`), `tipo` |
//! | `rpa_queue_wait_seconds` | histogram | — |
//! | `rpa_robot_run_seconds` | histogram | `resultado` (as `rpa_attempts_total`) |
//! | `rpa_webhook_attempts_total` | counter | `resultado` (`entregue`, `repetir`, `morto`) |
//! | `rpa_jobs_running`, `rpa_jobs_queued`, `rpa_runner_slots`, `rpa_runner_slots_free` | gauge | — |
//! | `rpa_webhook_deliveries_pending`, `rpa_webhook_deliveries_dead`, `rpa_webhook_oldest_pending_seconds` | gauge | — |

use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// The `Content-Type` of [`render`]'s text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Upper bounds, in seconds, of the histogram buckets: a queue wait or a robot run, from a
/// tenth of a second to the ten minutes past which a quote is lost anyway.
const BUCKETS_S: [f64; 16] =
    [0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 180.0, 300.0, 450.0, 600.0];

/// Distinct error `tipo`s that get their own label value; any further one is counted as `outro`,
/// so a robot inventing `tipo`s cannot grow the series without bound.
const MAX_TIPOS: usize = 64;

/// How one robot attempt ended, as recorded in `attempts.outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptEnd {
    Success,
    /// A technical failure that sends the job back to the queue.
    Retry,
    /// The job ended with an error (business or technical).
    Error,
    /// The service stopped, or the installation cannot quote: back to the queue, not counted.
    Interrupted,
}

impl AttemptEnd {
    fn label(self) -> &'static str {
        match self {
            AttemptEnd::Success => "sucesso",
            AttemptEnd::Retry => "repetir",
            AttemptEnd::Error => "erro",
            AttemptEnd::Interrupted => "interrompido",
        }
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QuoteLabels {
    resultado: &'static str,
    tipo: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    resultado: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FailureLabels {
    tela: &'static str,
    tipo: String,
}

struct Metrics {
    registry: Registry,
    quotes: Family<QuoteLabels, Counter>,
    attempts: Family<ResultLabels, Counter>,
    failures: Family<FailureLabels, Counter>,
    queue_wait: Histogram,
    run_time: Family<ResultLabels, Histogram>,
    webhook_attempts: Family<ResultLabels, Counter>,
    /// The `tipo`s that have a label value of their own so far.
    tipos: Mutex<HashSet<String>>,
}

fn new_histogram() -> Histogram {
    Histogram::new(BUCKETS_S)
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut registry = Registry::with_prefix("rpa");
        let quotes = Family::<QuoteLabels, Counter>::default();
        registry.register(
            "quotes",
            "Cotações encerradas, por resultado (sucesso ou erro) e tipo (cotacao_obtida ou o tipo do erro)",
            quotes.clone(),
        );
        let attempts = Family::<ResultLabels, Counter>::default();
        registry.register(
            "attempts",
            "Execuções do robô encerradas, por resultado: sucesso, repetir (falha técnica, volta à fila), erro (encerrou a cotação) ou interrompido (parada do serviço, não conta como tentativa)",
            attempts.clone(),
        );
        let failures = Family::<FailureLabels, Counter>::default();
        registry.register(
            "failures",
            "Falhas técnicas e de negócio das execuções do robô, pela última tela alcançada (0 a 15) e tipo do erro",
            failures.clone(),
        );
        let queue_wait = new_histogram();
        registry.register_with_unit(
            "queue_wait",
            "Tempo que cada execução esperou na fila até um runner pegá-la",
            Unit::Seconds,
            queue_wait.clone(),
        );
        let run_time = Family::<ResultLabels, Histogram>::new_with_constructor(new_histogram as fn() -> Histogram);
        registry.register_with_unit(
            "robot_run",
            "Duração de cada execução do robô, por resultado (como em rpa_attempts_total)",
            Unit::Seconds,
            run_time.clone(),
        );
        let webhook_attempts = Family::<ResultLabels, Counter>::default();
        registry.register(
            "webhook_attempts",
            "Tentativas de entrega de webhooks, por resultado: entregue, repetir (será tentada de novo) ou morto (desistiu)",
            webhook_attempts.clone(),
        );
        // Series that exist from the start, at zero, so that rates and alerts work before the
        // first event.
        for end in [AttemptEnd::Success, AttemptEnd::Retry, AttemptEnd::Error, AttemptEnd::Interrupted] {
            let labels = ResultLabels { resultado: end.label() };
            let _ = attempts.get_or_create(&labels);
            let _ = run_time.get_or_create(&labels);
        }
        for resultado in ["entregue", "repetir", "morto"] {
            let _ = webhook_attempts.get_or_create(&ResultLabels { resultado });
        }
        let _ = quotes.get_or_create(&QuoteLabels { resultado: "sucesso", tipo: "cotacao_obtida".into() });
        Metrics { registry, quotes, attempts, failures, queue_wait, run_time, webhook_attempts, tipos: Mutex::new(HashSet::new()) }
    })
}

/// The label value for an error `tipo`: the `tipo` itself when it is a vocabulary word (1 to 40
/// characters, lowercase ASCII letters and `_`, so never a CPF, a plate, a phone number or an
/// e-mail address) and one of the first [`MAX_TIPOS`] seen; `outro` otherwise.
pub fn tipo_label(tipo: &str) -> String {
    let word = (1..=40).contains(&tipo.len()) && tipo.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if !word {
        return "outro".into();
    }
    let mut seen = metrics().tipos.lock().unwrap_or_else(|e| e.into_inner());
    if seen.contains(tipo) || (seen.len() < MAX_TIPOS && seen.insert(tipo.to_string())) {
        tipo.to_string()
    } else {
        "outro".into()
    }
}

/// The label value for a screen: `"0"` to `"15"` (no screen reached yet is `"0"`).
fn tela_label(etapa: Option<i64>) -> &'static str {
    const TELAS: [&str; 16] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"];
    TELAS[etapa.unwrap_or(0).clamp(0, 15) as usize]
}

/// A robot attempt ended after `run_time`; `tipo` is its error `tipo` (none on success) and
/// `etapa` the last screen it reached.
pub fn attempt_ended(end: AttemptEnd, tipo: Option<&str>, etapa: Option<i64>, run_time: Duration) {
    let m = metrics();
    let labels = ResultLabels { resultado: end.label() };
    m.attempts.get_or_create(&labels).inc();
    m.run_time.get_or_create(&labels).observe(run_time.as_secs_f64());
    if matches!(end, AttemptEnd::Retry | AttemptEnd::Error) {
        let tipo = tipo.map_or_else(|| "outro".to_string(), tipo_label);
        m.failures.get_or_create(&FailureLabels { tela: tela_label(etapa), tipo }).inc();
    }
}

/// A job ended for good: `tipo` is `None` for a quote obtained.
pub fn quote_ended(tipo: Option<&str>) {
    let labels = match tipo {
        None => QuoteLabels { resultado: "sucesso", tipo: "cotacao_obtida".into() },
        Some(t) => QuoteLabels { resultado: "erro", tipo: tipo_label(t) },
    };
    metrics().quotes.get_or_create(&labels).inc();
}

/// A runner took a job that had waited `wait` in the queue.
pub fn queue_wait(wait: Duration) {
    metrics().queue_wait.observe(wait.as_secs_f64());
}

/// One webhook delivery attempt ended: `entregue`, `repetir` (will be tried again) or `morto`.
pub fn webhook_attempt(result: &str) {
    let resultado = match result {
        "entregue" => "entregue",
        "repetir" => "repetir",
        "morto" => "morto",
        _ => "outro",
    };
    metrics().webhook_attempts.get_or_create(&ResultLabels { resultado }).inc();
}

/// What is read from SQLite at scrape time.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    pub running: i64,
    pub queued: i64,
    pub slots: i64,
    pub webhooks_pending: i64,
    pub webhooks_dead: i64,
    pub webhooks_oldest_pending_s: Option<i64>,
}

/// Everything, in the OpenMetrics text format ([`CONTENT_TYPE`]), ending in `# EOF`.
pub fn render(gauges: &Gauges) -> String {
    let mut scrape = Registry::with_prefix("rpa");
    let mut gauge = |name: &str, help: &str, value: i64| {
        let g = Gauge::<i64>::default();
        g.set(value);
        scrape.register(name, help, g);
    };
    gauge("jobs_running", "Cotações com o robô rodando agora", gauges.running);
    gauge("jobs_queued", "Cotações esperando na fila", gauges.queued);
    gauge("runner_slots", "Runners configurados (RPA_SLOTS)", gauges.slots);
    gauge("runner_slots_free", "Runners livres agora", (gauges.slots - gauges.running).max(0));
    gauge("webhook_deliveries_pending", "Entregas de webhook pendentes", gauges.webhooks_pending);
    gauge(
        "webhook_deliveries_dead",
        "Entregas de webhook mortas (desistiu; reenviar com rpa-v4 webhooks reenviar)",
        gauges.webhooks_dead,
    );
    gauge(
        "webhook_oldest_pending_seconds",
        "Idade em segundos do evento mais antigo com entrega pendente (0 quando não há nenhum)",
        gauges.webhooks_oldest_pending_s.unwrap_or(0).max(0),
    );
    let mut out = String::with_capacity(8 * 1024);
    // Writing into a String cannot fail.
    let _ = encode_registry(&mut out, &metrics().registry);
    let _ = encode_registry(&mut out, &scrape);
    let _ = encode_eof(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the sample line that starts with `prefix` (name and labels).
    fn value(text: &str, prefix: &str) -> f64 {
        let line = text.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix} in:\n{text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    }

    #[test]
    fn tipos_are_labels_only_when_they_are_vocabulary_words() {
        assert_eq!(tipo_label("rejeitado_placa"), "rejeitado_placa");
        assert_eq!(tipo_label("cotacao_manual"), "cotacao_manual");
        for odd in ["", "529.982.247-25", "ABC1D23", "fulano@example.com", "erro 1", "Timeout", &"x".repeat(41)] {
            assert_eq!(tipo_label(odd), "outro", "{odd:?}");
        }
        assert_eq!(tela_label(None), "0");
        assert_eq!(tela_label(Some(7)), "7");
        assert_eq!(tela_label(Some(99)), "15");
        assert_eq!(tela_label(Some(-3)), "0");
    }

    #[test]
    fn render_is_openmetrics_with_every_family_and_the_gauges_of_the_scrape() {
        attempt_ended(AttemptEnd::Error, Some("rejeitado_placa"), Some(2), Duration::from_millis(1500));
        quote_ended(Some("rejeitado_placa"));
        queue_wait(Duration::from_millis(50));
        webhook_attempt("entregue");
        let g = Gauges {
            running: 1,
            queued: 3,
            slots: 4,
            webhooks_pending: 2,
            webhooks_dead: 0,
            webhooks_oldest_pending_s: Some(12),
        };
        let text = render(&g);
        assert!(text.ends_with("# EOF\n"), "{text}");
        assert_eq!(text.matches("# EOF").count(), 1);
        for family in [
            "# TYPE rpa_quotes counter",
            "# TYPE rpa_attempts counter",
            "# TYPE rpa_failures counter",
            "# TYPE rpa_queue_wait_seconds histogram",
            "# TYPE rpa_robot_run_seconds histogram",
            "# TYPE rpa_webhook_attempts counter",
            "# TYPE rpa_jobs_running gauge",
            "# TYPE rpa_webhook_oldest_pending_seconds gauge",
        ] {
            assert!(text.contains(family), "{family} missing:\n{text}");
        }
        assert!(value(&text, r#"rpa_quotes_total{resultado="erro",tipo="rejeitado_placa"}"#) >= 1.0);
        assert!(value(&text, r#"rpa_failures_total{tela="2",tipo="rejeitado_placa"}"#) >= 1.0);
        assert!(value(&text, r#"rpa_robot_run_seconds_bucket{le="2.5",resultado="erro"}"#) >= 1.0);
        assert!(value(&text, r#"rpa_queue_wait_seconds_bucket{le="0.1"}"#) >= 1.0);
        assert!(value(&text, r#"rpa_webhook_attempts_total{resultado="entregue"}"#) >= 1.0);
        assert_eq!(value(&text, "rpa_runner_slots_free "), 3.0);
        assert_eq!(value(&text, "rpa_webhook_oldest_pending_seconds "), 12.0);
        let idle = render(&Gauges { running: 6, slots: 4, ..Default::default() });
        assert_eq!(value(&idle, "rpa_runner_slots_free "), 0.0);
        assert_eq!(value(&idle, "rpa_webhook_oldest_pending_seconds "), 0.0);
    }
}
