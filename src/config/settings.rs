//! Settings of `rpa-v4 serve` and `rpa-v4 purge`: every flag, its `RPA_*` environment variable
//! and its default, parsed and checked before anything starts.

use super::values::{browser_endpoint, flag, millis, positive_seconds, seconds, MetricsListen, Origins, RobotCommand};
use crate::guard::client_ip::TrustedProxies;
use crate::queue::backoff::{self, Backoff};
use crate::webhooks::retry::{Schedule, DEFAULT_SCHEDULE};
use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// The site's domains: the default CORS allow-list.
pub const DEFAULT_ORIGINS: &str =
    "https://www.segurosimediato.com.br,https://segurosimediato.com.br,https://segurosimediato-dev.webflow.io";

/// Where the metrics are served unless told otherwise: this machine only, a port of their own.
pub const DEFAULT_METRICS_LISTEN: &str = "127.0.0.1:9464";

/// The repository's robot in the repository's virtualenv, relative to the working directory.
pub const DEFAULT_COMMAND: &str = ".venv/bin/python rpa/executar_imediato_playwright.py";

/// Settings of the HTTP API, the runner pool and the retention task.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Endereço e porta onde a API escuta.
    #[arg(long, env = "RPA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    #[command(flatten)]
    pub database: DatabaseSettings,

    /// Tamanho máximo do banco SQLite, em MiB (0 = sem limite além do disco); acima disso o banco
    /// não cresce e as gravações falham como num disco cheio.
    #[arg(long = "db-max-mb", value_name = "MIB", env = "RPA_DB_MAX_MB", default_value_t = 0)]
    pub db_max_mb: u32,

    /// Quantos robôs podem rodar ao mesmo tempo.
    #[arg(long, env = "RPA_SLOTS", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub slots: u16,

    /// Linha de comando do robô (programa e argumentos separados por espaços, sem shell).
    #[arg(long, env = "RPA_COMMAND", default_value = DEFAULT_COMMAND, value_parser = RobotCommand::parse)]
    pub command: RobotCommand,

    /// Tempo máximo de uma cotação, em segundos; depois disso o robô é encerrado.
    #[arg(long = "job-timeout-s", value_name = "SEGUNDOS", env = "RPA_JOB_TIMEOUT_S", default_value = "360", value_parser = seconds)]
    pub job_timeout: Duration,

    /// Segundos entre o SIGTERM e o SIGKILL ao encerrar um robô.
    #[arg(long = "kill-grace-s", value_name = "SEGUNDOS", env = "RPA_KILL_GRACE_S", default_value = "10", value_parser = seconds)]
    pub kill_grace: Duration,

    /// Tentativas por cotação em falhas técnicas (falhas de negócio nunca são repetidas).
    #[arg(long, env = "RPA_MAX_ATTEMPTS", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub max_attempts: u32,

    /// Segundos de espera antes de repetir uma cotação que teve falha técnica, um valor por falha
    /// (o último vale para as seguintes), separados por vírgula; enquanto isso ela fica na fila.
    #[arg(long = "retry-backoff-s", value_name = "SEGUNDOS", env = "RPA_RETRY_BACKOFF_S", default_value = backoff::DEFAULT, value_parser = Backoff::parse)]
    pub retry_backoff: Backoff,

    /// Máximo de cotações esperando na fila; acima disso a API responde 503.
    #[arg(long, env = "RPA_QUEUE_LIMIT", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    pub queue_limit: u32,

    /// Origens (CORS) autorizadas a chamar a API, separadas por vírgula.
    #[arg(long, env = "RPA_ALLOWED_ORIGINS", default_value = DEFAULT_ORIGINS, value_parser = Origins::parse)]
    pub allowed_origins: Origins,

    /// Proxies confiáveis (IPs ou redes CIDR, separados por vírgula, ex.: o nginx local): deles
    /// vale o X-Forwarded-For, e o cliente é o endereço mais à direita que não seja de um deles.
    /// O CF-Connecting-IP só vale das redes de RPA_CLOUDFLARE_PROXIES.
    #[arg(long, env = "RPA_TRUSTED_PROXIES", default_value = "", value_parser = TrustedProxies::parse)]
    pub trusted_proxies: TrustedProxies,

    /// Redes da Cloudflare (IPs ou CIDR, separados por vírgula): só quando a conexão vem de uma
    /// delas o cabeçalho CF-Connecting-IP diz quem é o cliente.
    #[arg(long, env = "RPA_CLOUDFLARE_PROXIES", default_value = "", value_parser = TrustedProxies::parse)]
    pub cloudflare_proxies: TrustedProxies,

    /// Pedidos de cotação por minuto por IP de cliente (0 desliga o limite).
    #[arg(long, env = "RPA_RATE_LIMIT_PER_MIN", default_value_t = 10)]
    pub rate_limit_per_min: u32,

    /// Arquivo com as respostas padrão do questionário.
    #[arg(long, env = "RPA_DEFAULTS_FILE", default_value = "config/defaults.json")]
    pub defaults_file: PathBuf,

    /// Impressões das telas do portal real já conhecidas antes da primeira cotação.
    #[arg(long, env = "RPA_PORTAL_FINGERPRINTS_FILE", default_value = "config/portal_fingerprints.json")]
    pub portal_fingerprints_file: PathBuf,

    /// Diretório servido em /static/ (o modal e a página de demonstração).
    #[arg(long, env = "RPA_STATIC_DIR", default_value = "static")]
    pub static_dir: PathBuf,

    /// Ao receber SIGTERM: segundos que os robôs em andamento ainda têm para terminar.
    #[arg(long = "shutdown-grace-s", value_name = "SEGUNDOS", env = "RPA_SHUTDOWN_GRACE_S", default_value = "20", value_parser = seconds)]
    pub shutdown_grace: Duration,

    /// Intervalo, em milissegundos, da leitura dos arquivos de progresso dos robôs.
    #[arg(long = "sync-interval-ms", value_name = "MS", env = "RPA_SYNC_INTERVAL_MS", default_value = "100", value_parser = millis)]
    pub sync_interval: Duration,

    /// Intervalo, em segundos, da limpeza automática de dados pessoais.
    #[arg(long = "purge-interval-s", value_name = "SEGUNDOS", env = "RPA_PURGE_INTERVAL_S", default_value = "3600", value_parser = seconds)]
    pub purge_interval: Duration,

    /// Endereço e porta só das métricas (GET /metrics, formato do Prometheus), nunca a porta da
    /// API; "desligado" para não servi-las.
    #[arg(long = "metrics-listen", value_name = "ENDEREÇO", env = "RPA_METRICS_LISTEN", default_value = DEFAULT_METRICS_LISTEN, value_parser = MetricsListen::parse)]
    pub metrics_listen: MetricsListen,

    /// Token (Bearer) que dá acesso a GET /metrics de fora desta máquina (com RPA_METRICS_LISTEN
    /// num endereço que não seja local); sem ele, /metrics só responde a conexões locais.
    #[arg(long, value_name = "TOKEN", env = "RPA_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Intervalo, em segundos, entre as verificações da instalação (robô, navegador, credenciais,
    /// portal); enquanto uma falha, ela é refeita a cada 30 s no máximo.
    #[arg(long = "preflight-interval-s", value_name = "SEGUNDOS", env = "RPA_PREFLIGHT_INTERVAL_S", default_value = "600", value_parser = positive_seconds)]
    pub preflight_interval: Duration,

    #[command(flatten)]
    pub monitoring: MonitoringSettings,

    #[command(flatten)]
    pub browser: BrowserSettings,

    #[command(flatten)]
    pub webhooks: WebhookSettings,

    #[command(flatten)]
    pub http: HttpLimits,
}

/// Limits on the HTTP connections themselves (slow or idle clients, too many connections).
#[derive(Debug, Clone, clap::Args)]
pub struct HttpLimits {
    /// Segundos para um cliente enviar os cabeçalhos do pedido; depois a conexão é fechada.
    #[arg(long = "http-header-timeout-s", value_name = "SEGUNDOS", env = "RPA_HTTP_HEADER_TIMEOUT_S", default_value = "10", value_parser = positive_seconds)]
    pub header_timeout: Duration,

    /// Segundos para um cliente enviar o corpo do pedido; depois a resposta é 408.
    #[arg(long = "http-body-timeout-s", value_name = "SEGUNDOS", env = "RPA_HTTP_BODY_TIMEOUT_S", default_value = "20", value_parser = positive_seconds)]
    pub body_timeout: Duration,

    /// Segundos que uma conexão keep-alive parada fica aberta.
    #[arg(long = "http-idle-timeout-s", value_name = "SEGUNDOS", env = "RPA_HTTP_IDLE_TIMEOUT_S", default_value = "10", value_parser = positive_seconds)]
    pub idle_timeout: Duration,

    /// Conexões HTTP abertas ao mesmo tempo; acima disso, as novas são recusadas na hora.
    #[arg(long = "http-max-connections", env = "RPA_HTTP_MAX_CONNECTIONS", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(16..=100_000))]
    pub max_connections: u32,
}

/// Where the robots' browser runs.
#[derive(Debug, Clone, clap::Args)]
pub struct BrowserSettings {
    /// Endpoint DevTools de um Chromium em outra máquina (http://host:porta ou ws://…): os robôs
    /// usam esse navegador, cada cotação no seu próprio contexto; vazio = navegador nesta máquina.
    #[arg(long = "browser-endpoint", value_name = "URL", env = "RPA_BROWSER_ENDPOINT", value_parser = browser_endpoint)]
    pub endpoint: Option<String>,

    /// Um só Chromium, supervisionado pelo serviço, para todos os robôs (1); ou um Chromium por
    /// robô, como antes (0). Só vale sem RPA_BROWSER_ENDPOINT.
    #[arg(long = "browser-shared", value_name = "0|1", env = "RPA_BROWSER_SHARED", default_value = "1", value_parser = flag)]
    pub shared: bool,

    /// O navegador compartilhado é trocado por um novo depois de tantas cotações…
    #[arg(long = "browser-recycle-contexts", value_name = "COTAÇÕES", env = "RPA_BROWSER_RECYCLE_CONTEXTS", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    pub recycle_contexts: u32,

    /// … ou depois de tantos minutos (sem interromper as cotações em andamento).
    #[arg(long = "browser-recycle-min", value_name = "MINUTOS", env = "RPA_BROWSER_RECYCLE_MIN", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub recycle_minutes: u32,

    /// Comando do servidor do navegador compartilhado (programa e argumentos, sem shell;
    /// relativo ao diretório de trabalho); o serviço acrescenta o diretório do perfil.
    #[arg(long = "browser-command", id = "browser_command", value_name = "COMANDO", env = "RPA_BROWSER_COMMAND", default_value = ".venv/bin/python rpa/browser_server.py", value_parser = RobotCommand::parse)]
    pub command: RobotCommand,

    /// O Chromium (o mesmo CHROMIUM_PATH que o robô usa).
    #[arg(long = "chromium", value_name = "ARQUIVO", env = "CHROMIUM_PATH", default_value = "/usr/bin/chromium")]
    pub chromium: PathBuf,
}

/// How health judges recent quotes, and the canary quote.
#[derive(Debug, Clone, clap::Args)]
pub struct MonitoringSettings {
    /// Quantas tentativas recentes de cotação o health considera.
    #[arg(long = "health-window", env = "RPA_HEALTH_WINDOW", default_value_t = 20, value_parser = clap::value_parser!(u32).range(5..=1000))]
    pub window: u32,

    /// Só entram no health as tentativas terminadas nestes últimos minutos.
    #[arg(long = "health-window-min", value_name = "MINUTOS", env = "RPA_HEALTH_WINDOW_MIN", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=10_080))]
    pub window_minutes: u32,

    /// Arquivo JSON com uma cotação de teste (os dados de teste do próprio operador, no formato do
    /// POST /api/rpa/start) rodada de tempos em tempos para vigiar o portal; sem ele, não há canário.
    #[arg(long = "canary-file", value_name = "ARQUIVO", env = "RPA_CANARY_FILE")]
    pub canary_file: Option<PathBuf>,

    /// Intervalo, em segundos, entre cotações canário (só roda com um robô livre e a fila vazia).
    #[arg(long = "canary-interval-s", value_name = "SEGUNDOS", env = "RPA_CANARY_INTERVAL_S", default_value = "1800", value_parser = positive_seconds)]
    pub canary_interval: Duration,
}

/// Where the lead and quote events are delivered, and how.
#[derive(Debug, Clone, clap::Args)]
pub struct WebhookSettings {
    /// Arquivo JSON com os endpoints de webhook (url, segredo, formato, eventos); sem ele, os
    /// eventos ficam só no banco.
    #[arg(long = "webhooks-file", value_name = "ARQUIVO", env = "RPA_WEBHOOKS_FILE")]
    pub file: Option<PathBuf>,

    /// Intervalos, em segundos, entre as tentativas de entrega de um webhook (separados por vírgula).
    #[arg(long = "webhook-retry-s", value_name = "SEGUNDOS", env = "RPA_WEBHOOK_RETRY_S", default_value = DEFAULT_SCHEDULE, value_parser = Schedule::parse)]
    pub retry: Schedule,

    /// Tempo máximo, em segundos, de uma tentativa de entrega (a conexão tem no máximo 5 s).
    #[arg(long = "webhook-timeout-s", value_name = "SEGUNDOS", env = "RPA_WEBHOOK_TIMEOUT_S", default_value = "15", value_parser = positive_seconds)]
    pub timeout: Duration,

    /// Entregas de webhook em andamento ao mesmo tempo, por endpoint.
    #[arg(long = "webhook-concurrency", env = "RPA_WEBHOOK_CONCURRENCY", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

/// Where the data lives and how long personal data is kept (shared by `serve` and `purge`).
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseSettings {
    /// Arquivo SQLite (criado na primeira execução).
    #[arg(long, env = "RPA_DB", default_value = "data/rpa.db")]
    pub db: PathBuf,

    /// Diretório dos arquivos de cada cotação (progresso do robô, log mascarado).
    #[arg(long, env = "RPA_DATA_DIR", default_value = "data/jobs")]
    pub data_dir: PathBuf,

    /// Dias que os dados pessoais são guardados; depois as cotações ficam anonimizadas.
    #[arg(long, env = "RPA_RETENTION_DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..))]
    pub retention_days: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_is_split_without_a_shell() {
        let c = RobotCommand::parse(DEFAULT_COMMAND).unwrap();
        assert_eq!(c.program, ".venv/bin/python");
        assert_eq!(c.args, vec!["rpa/executar_imediato_playwright.py"]);
        assert!(RobotCommand::parse("  ").is_err());
    }

    #[test]
    fn origins_refuse_wildcards() {
        assert_eq!(Origins::parse(DEFAULT_ORIGINS).unwrap().0.len(), 3);
        assert!(Origins::parse("*").is_err());
        assert!(Origins::parse("segurosimediato.com.br").is_err());
    }
}
