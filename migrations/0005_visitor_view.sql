-- Version 5: what the visitor sees while waiting and chooses at the end. Adds the vehicle the
-- portal confirmed (jobs.veiculo, also in `quotes`), the questionnaire answers a quote took from the
-- operator's defaults (jobs.assumed_answers), the portal's countdown of the final calculation in
-- the progress snapshot, an index for the typical time of each stage, and the plans visitors
-- chose (`interests`, each with its cotacao.interesse event). Applied once, in one transaction, to
-- a version-4 database (see src/store/migrations.rs).

-- The vehicle the portal confirmed for the plate on screen 3 ("ECOSPORT 2007/2007"); NULL until then.
ALTER TABLE jobs ADD COLUMN veiculo TEXT;
-- The questionnaire answers the request did not give, taken from the operator's defaults, as a JSON
-- object (only those the quote depends on); NULL for quotes queued before this version.
ALTER TABLE jobs ADD COLUMN assumed_answers TEXT;

-- The portal's own countdown of the final calculation (screen 15), while the latest snapshot shows it.
ALTER TABLE progress ADD COLUMN calculo_restante_s INTEGER;
ALTER TABLE progress ADD COLUMN calculo_total_s INTEGER;

-- The entries that mark an attempt's stages, for the typical times of each stage (tempo_tipico).
CREATE INDEX history_stages ON history (job_id, attempt, etapa, synced_at)
    WHERE etapa IN ('estimativas', '15', 'final');

CREATE TABLE interests (
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    plano       TEXT    NOT NULL CHECK (plano IN ('recomendado', 'alternativo')),
    created_at  TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    PRIMARY KEY (job_id, plano)
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
    json_extract(j.lead_json, '$.utm_campaign') AS utm_campaign,
    j.veiculo                               AS veiculo
FROM jobs j
LEFT JOIN plans r ON r.job_id = j.id AND r.tipo = 'recomendado'
LEFT JOIN plans a ON a.job_id = j.id AND a.tipo = 'alternativo'
WHERE j.status IN ('success', 'error') AND j.canary = 0;
