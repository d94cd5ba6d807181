-- RPA V4 — the whole SQLite schema. Applied by the service at every start-up (idempotent).
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
    purged_at       TEXT
);
CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (status, id);
CREATE INDEX IF NOT EXISTS jobs_finished ON jobs (finished_at);
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
    updated_at       TEXT    NOT NULL
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
    json_extract(j.lead_json, '$.utm_campaign') AS utm_campaign
FROM jobs j
LEFT JOIN plans r ON r.job_id = j.id AND r.tipo = 'recomendado'
LEFT JOIN plans a ON a.job_id = j.id AND a.tipo = 'alternativo'
WHERE j.status IN ('success', 'error');
