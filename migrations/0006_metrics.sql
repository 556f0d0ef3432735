-- Per-stage outcome metrics: one row per stage run a queue consumer reported and its Job DO accepted
-- (completed, failed, skipped, or retry for a transient error). It is the local fallback of the
-- Analytics Engine dataset and what GET /v1/stats reads, in every environment. Rows are written in
-- one batch per report; the key makes a repeated write of the same run a no-op (lease_token is
-- unique per claim within a job). The hourly cron deletes rows past the longest stats window.
CREATE TABLE stage_metrics (
  tenant_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  lease_token INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'failed', 'skipped', 'retry')),
  code TEXT,
  duration_ms INTEGER,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, job_id, file_id, stage, lease_token)
);
-- Stats read one tenant's rows in a time window; retention deletes by time across tenants.
CREATE INDEX stage_metrics_by_tenant_time ON stage_metrics (tenant_id, recorded_at);
CREATE INDEX stage_metrics_by_time ON stage_metrics (recorded_at);
