-- Sluice D1 schema: tenant keys, the file listing and the job projection.
-- The Job Durable Object is the source of truth for a job; `jobs` is a projection it writes,
-- guarded by `version` so late or repeated writes never move a row backwards.

-- `jurisdiction` pins where a tenant's bytes and jobs live ('default' or 'eu');
-- `settings` holds per-tenant overrides (JSON) of limits and retention.
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  jurisdiction TEXT NOT NULL DEFAULT 'default' CHECK (jurisdiction IN ('default', 'eu')),
  settings TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);

-- API keys are stored as SHA-256 hex of the key; the key itself is shown once, when created.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  name TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id);

CREATE TABLE files (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  r2_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX files_by_tenant_created ON files (tenant_id, created_at DESC, id DESC);

CREATE TABLE jobs (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  status TEXT NOT NULL,
  stages TEXT NOT NULL,
  total INTEGER NOT NULL,
  pending INTEGER NOT NULL,
  processing INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  cancelled INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER,
  version INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX jobs_by_tenant_created ON jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX jobs_by_tenant_status_created ON jobs (tenant_id, status, created_at DESC, id DESC);

-- One row per Idempotency-Key a tenant used on POST /v1/jobs. The job id is fixed when the key is
-- first seen, so a retry after a crash re-creates exactly the same job.
CREATE TABLE idempotency_keys (
  tenant_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  job_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
