-- Erasure and retention that hold under concurrency.
--
-- `files.last_used_at`: when a job last named the file (set when the job is created). Retention ages a
-- file from its last use (else its upload), so a file a fresh job still serves is kept.
ALTER TABLE files ADD COLUMN last_used_at INTEGER;

-- Which jobs name which files, written before the job's Durable Object is created. Deleting a file
-- cancels its work in exactly these jobs (no scan of every job of the tenant).
CREATE TABLE file_jobs (
  tenant_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, file_id, job_id)
);
CREATE INDEX file_jobs_by_job ON file_jobs (tenant_id, job_id);

-- Jobs that were deleted. The index stage's writes check this table in the same statement, so a
-- consumer still running a deleted job can never make its text searchable again.
CREATE TABLE erased_jobs (
  tenant_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  erased_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, job_id)
);
