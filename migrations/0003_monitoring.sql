-- Version 3: the operator learns before the visitors do. Adds canary quotes (jobs.canary, kept out
-- of `quotes` and `callbacks`, listed in `canaries`), alerts in the outbox (events without a lead),
-- the monitor's announced states and the screens' structural fingerprints. Applied once, in one transaction, to a version-2 database
-- (see src/store/migrations.rs, which turns foreign keys off around the steps, as SQLite's procedure for
-- rebuilding a table asks).

-- 1 for the operator's synthetic quote that watches the portal: never a lead.
ALTER TABLE jobs ADD COLUMN canary INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_canary ON jobs (canary, id) WHERE canary = 1;

-- Alerts (alerta.*) belong to no lead: events.lead_id becomes nullable. SQLite cannot drop a NOT
-- NULL in place, so the table is rebuilt with the same ids.
CREATE TABLE events_v3 (
    id          INTEGER PRIMARY KEY,
    event_id    TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    lead_id     TEXT,
    session_id  TEXT,
    data_json   TEXT,
    fanned_out  INTEGER NOT NULL DEFAULT 0,
    purged_at   TEXT
);
INSERT INTO events_v3 (id, event_id, type, created_at, lead_id, session_id, data_json, fanned_out, purged_at)
    SELECT id, event_id, type, created_at, lead_id, session_id, data_json, fanned_out, purged_at FROM events;
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_session ON events (session_id, type);
CREATE INDEX events_not_fanned_out ON events (id) WHERE fanned_out = 0;
CREATE INDEX events_created ON events (created_at);

CREATE TABLE monitor_state (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    changed_at  TEXT    NOT NULL
);

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
WHERE j.status IN ('success', 'error') AND j.canary = 0;

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

-- Early warning of portal drift (src/monitoring/fingerprints.rs): the structural fingerprints of
-- each screen that successful quotes saw, and the screens that showed one never seen before.
CREATE TABLE screen_fingerprints (
    tela        INTEGER NOT NULL,
    fingerprint TEXT    NOT NULL,
    first_seen  TEXT    NOT NULL,
    last_seen   TEXT    NOT NULL,
    PRIMARY KEY (tela, fingerprint)
);
CREATE TABLE screen_changes (
    tela        INTEGER NOT NULL,
    fingerprint TEXT    NOT NULL,
    changed_at  TEXT    NOT NULL,         -- when the first attempt that saw it ended
    session_id  TEXT,                     -- that attempt's quote
    PRIMARY KEY (tela, fingerprint)
);
CREATE INDEX screen_changes_recent ON screen_changes (changed_at);
