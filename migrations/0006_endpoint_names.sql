-- Version 6: each webhook endpoint goes by a name (its `nome` in RPA_WEBHOOKS_FILE, or its host
-- and path) in the log, `rpa-v4 webhooks listar` and health.
-- Applied once, in one transaction, to a version-5 database (see src/store/migrations.rs).

-- The name of each endpoint the service delivered to, as it last read the webhooks file.
CREATE TABLE IF NOT EXISTS endpoint_names (
    endpoint    TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL
);
