-- Webhook endpoints of a tenant and the deliveries of job events to them (Standard Webhooks).
-- A delivery's id is the event id: the `webhook-id` header, the same on every retry and replay.

CREATE TABLE webhook_endpoints (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  url TEXT NOT NULL,
  -- The signing secret, and the one it replaced while a rotation overlaps (both sign until then).
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_secret_expires_at INTEGER,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER,
  disabled_reason TEXT,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'gone')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (tenant_id, endpoint_id, id)
);
CREATE INDEX webhook_deliveries_by_job ON webhook_deliveries (tenant_id, job_id, created_at);
CREATE INDEX webhook_deliveries_by_status ON webhook_deliveries (tenant_id, status, updated_at DESC);

CREATE TABLE webhook_attempts (
  tenant_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  attempted_at INTEGER NOT NULL,
  status INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (tenant_id, endpoint_id, delivery_id, attempted_at);
