-- Version 2: every visitor is a lead. Adds the transactional outbox of lead and quote events, their
-- webhook deliveries, the visitors turned away by a full queue, and the `callbacks` view.
-- Applied once, in one transaction, to a version-1 database (see src/store/migrations.rs).

-- The lead a job belongs to: its own session id, or the lead of an earlier try the full queue
-- turned away.
ALTER TABLE jobs ADD COLUMN lead_id TEXT;
UPDATE jobs SET lead_id = session_id WHERE lead_id IS NULL;

-- The SHA-256 of the token the first answer gave the visitor: a repeated submit of the same CPF
-- and plate gets the running quote back only with it.
ALTER TABLE jobs ADD COLUMN resume_token_hash TEXT;

CREATE TABLE turned_away (
    lead_id     TEXT    PRIMARY KEY,
    created_at  TEXT    NOT NULL,
    motivo      TEXT    NOT NULL,
    placa       TEXT    NOT NULL,
    cpf         TEXT,
    input_json  TEXT,
    lead_json   TEXT    NOT NULL DEFAULT '{}',
    session_id  TEXT,
    purged_at   TEXT
);
CREATE INDEX turned_away_request ON turned_away (cpf, placa, created_at);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    event_id    TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    lead_id     TEXT    NOT NULL,
    session_id  TEXT,
    data_json   TEXT,
    fanned_out  INTEGER NOT NULL DEFAULT 0,
    purged_at   TEXT
);
CREATE INDEX events_session ON events (session_id, type);
CREATE INDEX events_not_fanned_out ON events (id) WHERE fanned_out = 0;
CREATE INDEX events_created ON events (created_at);

CREATE TABLE deliveries (
    event_id        INTEGER NOT NULL REFERENCES events (id),
    endpoint        TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pendente'
                    CHECK (status IN ('pendente', 'entregue', 'morto')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL,
    next_attempt_at TEXT,
    last_attempt_at TEXT,
    last_result     TEXT,
    delivered_at    TEXT,
    PRIMARY KEY (event_id, endpoint)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_endpoint_due ON deliveries (endpoint, status, next_attempt_at);

CREATE TABLE endpoint_state (
    endpoint        TEXT    PRIMARY KEY,
    disabled_at     TEXT,
    disabled_reason TEXT
);

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
WHERE j.status = 'error'
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
