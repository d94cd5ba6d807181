-- Version 4: a technical failure that is retried waits before its next attempt
-- (RPA_RETRY_BACKOFF_S), so a portal down for a minute does not spend every attempt in seconds.
-- Applied once, in one transaction, to a version-3 database (see src/store/migrations.rs).

-- When a job back in the queue after a technical failure may be claimed again; NULL: at once.
ALTER TABLE jobs ADD COLUMN not_before TEXT;
