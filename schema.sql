-- RPA V4 — the whole SQLite schema, at its latest version (PRAGMA user_version = 6).
-- A new database is created from this file; an existing one is upgraded in place by the numbered
-- steps in migrations/ (src/store/migrations.rs), and a test checks that both roads give this schema.
-- Open with:  sqlite3 data/rpa.db
-- Timestamps are UTC, ISO 8601 ("2026-11-24T22:13:00.123Z"); sqlite's date()/datetime() read them.

-- One row per quote request. Personal data lives only in `cpf` and `input_json`, and both are
-- cleared by the retention purge (`rpa-v4 purge`); everything else stays.
CREATE TABLE IF NOT EXISTS jobs (
    id              INTEGER PRIMARY KEY,
    session_id      TEXT    NOT NULL UNIQUE,
    status          TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'success', 'error')),
    created_at      TEXT    NOT NULL,
    started_at      TEXT,                 -- start of the current (or last) attempt
    finished_at     TEXT,                 -- set when the job reaches success or error
    updated_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,  -- attempts started so far
    max_attempts    INTEGER NOT NULL,
    runner_slot     INTEGER,
    runner_pid      INTEGER,              -- the robot's pid = its process group id
    runner_pid_start INTEGER,             -- the robot's start time (/proc/PID/stat), guards against pid reuse
    exit_code       INTEGER,              -- of the last attempt; NULL when killed by a signal
    error_tipo      TEXT,                 -- contract §4 vocabulary
    error_mensagem  TEXT,
    error_sugestao  TEXT,
    placa           TEXT    NOT NULL,     -- vehicle data, kept after the purge
    marca           TEXT,
    modelo          TEXT,
    ano             INTEGER,
    cpf             TEXT,                 -- personal: NULL after the purge
    input_json      TEXT,                 -- robot input (contract §2), personal: NULL after the purge
    lead_json       TEXT    NOT NULL DEFAULT '{}',  -- gclid, utm_*, landing_url…
    purged_at       TEXT,
    lead_id         TEXT,                 -- the lead: this session id, or an earlier turned-away try's
    resume_token_hash TEXT,               -- SHA-256 of the token that lets the same visitor resume it
    canary          INTEGER NOT NULL DEFAULT 0,  -- 1: the operator's synthetic quote (never a lead)
    not_before      TEXT,                 -- back in the queue after a technical failure: not claimed before this
                                          -- (RPA_RETRY_BACKOFF_S); NULL: at once
    veiculo         TEXT,                 -- the vehicle the portal confirmed on screen 3 ("ECOSPORT 2007/2007")
    assumed_answers TEXT                  -- questionnaire answers taken from the operator's defaults (JSON
                                          -- object, only those the quote depends on); NULL: not known
);
CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (status, id);
CREATE INDEX IF NOT EXISTS jobs_finished ON jobs (finished_at);
CREATE INDEX IF NOT EXISTS jobs_canary ON jobs (canary, id) WHERE canary = 1;
-- A visitor who submits twice gets the same session while the first one is still alive.
CREATE UNIQUE INDEX IF NOT EXISTS jobs_active_request
    ON jobs (cpf, placa) WHERE status IN ('queued', 'running');

-- One row per robot run of a job (a retried job has several).
CREATE TABLE IF NOT EXISTS attempts (
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    attempt     INTEGER NOT NULL,
    started_at  TEXT    NOT NULL,
    finished_at TEXT,
    pid         INTEGER,
    exit_code   INTEGER,
    outcome     TEXT,                     -- success | retry | error | interrupted
    error_tipo  TEXT,
    PRIMARY KEY (job_id, attempt)
);
-- The recent successful attempts, for the typical quote duration the modal's time estimate uses.
CREATE INDEX IF NOT EXISTS attempts_finished ON attempts (outcome, finished_at);

-- The latest progress snapshot of the job's current attempt.
CREATE TABLE IF NOT EXISTS progress (
    job_id           INTEGER PRIMARY KEY REFERENCES jobs (id),
    attempt          INTEGER NOT NULL,
    etapa_atual      INTEGER NOT NULL DEFAULT 0,
    status           TEXT,                -- the robot's: iniciando | executando | success | error
    mensagem         TEXT,
    estimativas_json TEXT,                -- the screen-5 estimate, once captured
    erros_json       TEXT    NOT NULL DEFAULT '[]',
    updated_at       TEXT    NOT NULL,
    calculo_restante_s INTEGER,           -- the portal's countdown of the final calculation (screen 15),
    calculo_total_s  INTEGER              -- while the latest snapshot shows it; NULL otherwise
);

-- The robot's history entries, per attempt, in order.
CREATE TABLE IF NOT EXISTS history (
    job_id          INTEGER NOT NULL REFERENCES jobs (id),
    attempt         INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    etapa           TEXT    NOT NULL,     -- "0".."15", "inicio", "estimativas", "erro", "final"
    timestamp       TEXT,
    status          TEXT,
    mensagem        TEXT,
    dados_extra_json TEXT,
    erro_json       TEXT,
    synced_at       TEXT    NOT NULL,
    PRIMARY KEY (job_id, attempt, seq)
);
-- The entries that mark an attempt's stages, for the typical times of each stage (tempo_tipico).
CREATE INDEX IF NOT EXISTS history_stages ON history (job_id, attempt, etapa, synced_at)
    WHERE etapa IN ('estimativas', '15', 'final');

-- The final plans (screen 15). Money as the portal shows it and in integer centavos.
CREATE TABLE IF NOT EXISTS plans (
    job_id                   INTEGER NOT NULL REFERENCES jobs (id),
    tipo                     TEXT    NOT NULL CHECK (tipo IN ('recomendado', 'alternativo')),
    plano                    TEXT,
    valor                    TEXT,
    valor_centavos           INTEGER,
    forma_pagamento          TEXT,
    parcelamento             TEXT,
    valor_franquia           TEXT,
    valor_franquia_centavos  INTEGER,
    tipo_franquia            TEXT,
    valor_mercado            TEXT,
    assistencia              INTEGER,
    vidros                   INTEGER,
    carro_reserva            INTEGER,
    danos_materiais_centavos INTEGER,
    danos_corporais_centavos INTEGER,
    danos_morais_centavos    INTEGER,
    morte_invalidez_centavos INTEGER,
    dados_json               TEXT    NOT NULL,
    PRIMARY KEY (job_id, tipo)
);

-- The plan a visitor chose after the quote ("Quero contratar este plano"), once per quote and plan,
-- with the id of its cotacao.interesse event.
CREATE TABLE IF NOT EXISTS interests (
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    plano       TEXT    NOT NULL CHECK (plano IN ('recomendado', 'alternativo')),
    created_at  TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    PRIMARY KEY (job_id, plano)
);

-- "What did we quote, for which plates, at what premium?" — one row per finished job.
-- `dia` is the calendar day in Brasília time (UTC-3).
DROP VIEW IF EXISTS quotes;
CREATE VIEW quotes AS
SELECT
    j.session_id,
    date(j.finished_at, '-3 hours')         AS dia,
    j.finished_at                           AS concluido_em,
    j.placa,
    j.marca,
    j.modelo,
    j.ano,
    CASE WHEN j.status = 'success' THEN 'cotado' ELSE coalesce(j.error_tipo, 'erro') END AS resultado,
    r.plano                                 AS plano_recomendado,
    r.valor                                 AS premio_recomendado,
    r.valor_centavos                        AS premio_recomendado_centavos,
    r.valor_franquia                        AS franquia_recomendado,
    a.plano                                 AS plano_alternativo,
    a.valor                                 AS premio_alternativo,
    a.valor_centavos                        AS premio_alternativo_centavos,
    j.attempts                              AS tentativas,
    json_extract(j.lead_json, '$.gclid')      AS gclid,
    json_extract(j.lead_json, '$.utm_source') AS utm_source,
    json_extract(j.lead_json, '$.utm_campaign') AS utm_campaign,
    j.veiculo                               AS veiculo
FROM jobs j
LEFT JOIN plans r ON r.job_id = j.id AND r.tipo = 'recomendado'
LEFT JOIN plans a ON a.job_id = j.id AND a.tipo = 'alternativo'
WHERE j.status IN ('success', 'error') AND j.canary = 0;

-- The canary quotes (RPA_CANARY_FILE): how each ended and the screen its last attempt reached.
DROP VIEW IF EXISTS canaries;
CREATE VIEW canaries AS
SELECT
    j.session_id,
    j.created_at                            AS criado_em,
    j.finished_at                           AS concluido_em,
    j.status,
    CASE WHEN j.status = 'success' THEN 'cotado' ELSE j.error_tipo END AS resultado,
    (SELECT max(CAST(h.etapa AS INTEGER)) FROM history h
      WHERE h.job_id = j.id AND h.attempt = j.attempts AND h.etapa GLOB '[0-9]*') AS tela,
    j.attempts                              AS tentativas
FROM jobs j
WHERE j.canary = 1;

-- Visitors with a valid form whom a full queue turned away (503): still leads, never robot runs.
-- `cpf` and `input_json` are personal and cleared by the retention purge.
CREATE TABLE IF NOT EXISTS turned_away (
    lead_id     TEXT    PRIMARY KEY,
    created_at  TEXT    NOT NULL,
    motivo      TEXT    NOT NULL,         -- fila_cheia
    placa       TEXT    NOT NULL,
    cpf         TEXT,                     -- personal: NULL after the purge
    input_json  TEXT,                     -- the normalised request, personal: NULL after the purge
    lead_json   TEXT    NOT NULL DEFAULT '{}',
    session_id  TEXT,                     -- the quote a later try of the same visitor started
    purged_at   TEXT
);
-- A repeated submit of the same CPF and plate is the same lead.
CREATE INDEX IF NOT EXISTS turned_away_request ON turned_away (cpf, placa, created_at);

-- The transactional outbox: one row per lead or quote event, written in the same transaction as
-- the change that causes it (lead.recebido, cotacao.estimativa, cotacao.concluida,
-- cotacao.manual, cotacao.falhou, cotacao.interesse), and the operator's alerts (alerta.saude,
-- alerta.canario), which belong to no lead. `data_json` is personal and cleared by the retention purge once every
-- delivery of the event has ended.
CREATE TABLE IF NOT EXISTS events (
    id          INTEGER PRIMARY KEY,
    event_id    TEXT    NOT NULL UNIQUE,  -- the receivers' idempotency key (webhook-id)
    type        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    lead_id     TEXT,                     -- NULL for an alert
    session_id  TEXT,                     -- NULL for a visitor turned away, and for an alert
    data_json   TEXT,                     -- the event's data, personal: NULL after the purge
    fanned_out  INTEGER NOT NULL DEFAULT 0,  -- 1 once its deliveries exist
    purged_at   TEXT
);
CREATE INDEX IF NOT EXISTS events_session ON events (session_id, type);
CREATE INDEX IF NOT EXISTS events_not_fanned_out ON events (id) WHERE fanned_out = 0;
CREATE INDEX IF NOT EXISTS events_created ON events (created_at);

-- One row per event and webhook endpoint (RPA_WEBHOOKS_FILE) subscribed to it.
CREATE TABLE IF NOT EXISTS deliveries (
    event_id        INTEGER NOT NULL REFERENCES events (id),
    endpoint        TEXT    NOT NULL,     -- the endpoint's URL
    status          TEXT    NOT NULL DEFAULT 'pendente'
                    CHECK (status IN ('pendente', 'entregue', 'morto')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL,
    next_attempt_at TEXT,                 -- when a pending delivery is tried next
    last_attempt_at TEXT,
    last_result     TEXT,                 -- "HTTP 500", "tempo esgotado"… (never the receiver's body)
    delivered_at    TEXT,
    PRIMARY KEY (event_id, endpoint)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at);
-- Each endpoint's own line of due deliveries (one slow receiver does not hold up the others).
CREATE INDEX IF NOT EXISTS deliveries_endpoint_due ON deliveries (endpoint, status, next_attempt_at);

-- Endpoints the receiver itself switched off (HTTP 410), until `rpa-v4 webhooks reenviar`.
CREATE TABLE IF NOT EXISTS endpoint_state (
    endpoint        TEXT    PRIMARY KEY,
    disabled_at     TEXT,
    disabled_reason TEXT
);

-- The name of each endpoint the service delivered to (its `nome` in RPA_WEBHOOKS_FILE, or its
-- host and path), as it last read the webhooks file: the log, `webhooks listar` and health use it.
CREATE TABLE IF NOT EXISTS endpoint_names (
    endpoint    TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL
);

-- "Which visitors must be called?" — quotes that ended without a price (cotação manual, refused
-- data, technical failure) and visitors turned away by a full queue who never got a quote.
-- Contact data is there while the retention period keeps it.
DROP VIEW IF EXISTS callbacks;
CREATE VIEW callbacks AS
SELECT
    j.finished_at                                AS quando,
    date(j.finished_at, '-3 hours')              AS dia,
    coalesce(j.error_tipo, 'erro')               AS motivo,
    j.lead_id,
    j.session_id,
    j.placa,
    json_extract(j.input_json, '$.nome')         AS nome,
    json_extract(j.input_json, '$.telefone')     AS telefone,
    json_extract(j.input_json, '$.email')        AS email
FROM jobs j
WHERE j.status = 'error' AND j.canary = 0
UNION ALL
SELECT
    t.created_at,
    date(t.created_at, '-3 hours'),
    t.motivo,
    t.lead_id,
    NULL,
    t.placa,
    json_extract(t.input_json, '$.nome'),
    json_extract(t.input_json, '$.telefone'),
    json_extract(t.input_json, '$.email')
FROM turned_away t
WHERE t.session_id IS NULL;

-- What the monitor last announced (health state, the canary failure it alerted on), so an alert is
-- sent once per change, also across restarts.
CREATE TABLE IF NOT EXISTS monitor_state (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    changed_at  TEXT    NOT NULL
);

-- Early warning of portal drift (src/monitoring/fingerprints.rs): the structural fingerprints of
-- each screen that successful quotes saw, and the screens that showed one never seen before.
CREATE TABLE IF NOT EXISTS screen_fingerprints (
    tela        INTEGER NOT NULL,
    fingerprint TEXT    NOT NULL,
    first_seen  TEXT    NOT NULL,
    last_seen   TEXT    NOT NULL,
    PRIMARY KEY (tela, fingerprint)
);
CREATE TABLE IF NOT EXISTS screen_changes (
    tela        INTEGER NOT NULL,
    fingerprint TEXT    NOT NULL,
    changed_at  TEXT    NOT NULL,         -- when the first attempt that saw it ended
    session_id  TEXT,                     -- that attempt's quote
    PRIMARY KEY (tela, fingerprint)
);
CREATE INDEX IF NOT EXISTS screen_changes_recent ON screen_changes (changed_at);
