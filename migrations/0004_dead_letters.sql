-- Dead letters: task messages the tasks queue gave up on after its retries ran out. One row per
-- (tenant, job, file), written idempotently by the dead-letter consumer, so the tenant can see what
-- failed and why, and re-drive the file (POST /v1/dead-letters/{id}/redrive).
-- `attempts`: how many times a consumer claimed the file before it was given up on.
-- `error_code` / `error_message`: the last error a stage reported for the file (null when none did,
--   e.g. every consumer crashed before reporting).
-- `status`: 'open' (the file failed and can be re-driven), 'redriven' (it was sent to run again) or
--   'resolved' (the file finished anyway, e.g. another delivery completed it: nothing to do).
CREATE TABLE dead_letters (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  error_code TEXT,
  error_message TEXT,
  attempts INTEGER NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'redriven', 'resolved')),
  redriven_at INTEGER,
  redrives INTEGER NOT NULL DEFAULT 0,
  UNIQUE (tenant_id, job_id, file_id)
);
CREATE INDEX dead_letters_by_tenant_first_seen ON dead_letters (tenant_id, first_seen_at DESC, id DESC);
CREATE INDEX dead_letters_by_tenant_status ON dead_letters (tenant_id, status, first_seen_at DESC, id DESC);
