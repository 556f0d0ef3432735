/**
 * The Job Durable Object's SQLite schema, as an append-only list of migrations: entry N brings a
 * database from version N to N+1. Never edit an entry that has shipped; add a new one.
 *
 * Tables: `job` (one row), `files` (one per file of the job, with its lease), `tasks` (file x stage),
 * `events` (the job's event log, `seq` strictly increasing) and `outbox` (side effects recorded in the
 * same transaction as the change that implies them, delivered afterwards: queue dispatches, the D1
 * projection, and publishing events past `job.published_seq` to the events and webhooks queues).
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE job (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    status TEXT NOT NULL,
    stages TEXT NOT NULL,
    options TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    started_at INTEGER,
    completed_at INTEGER,
    version INTEGER NOT NULL,
    lease_counter INTEGER NOT NULL DEFAULT 0,
    webhook_endpoint_id TEXT,
    published_seq INTEGER NOT NULL DEFAULT 0,
    max_in_flight INTEGER NOT NULL,
    slots_held INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE files (
    file_id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    dispatches INTEGER NOT NULL DEFAULT 0,
    lease_token INTEGER,
    lease_expires_at INTEGER,
    dispatched_at INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX files_by_status ON files (status);
  CREATE TABLE tasks (
    file_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER,
    completed_at INTEGER,
    duration_ms INTEGER,
    result TEXT,
    outputs TEXT,
    error_code TEXT,
    error_message TEXT,
    PRIMARY KEY (file_id, stage)
  );
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    file_id TEXT,
    stage TEXT,
    timestamp INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, ref)
  );
  CREATE INDEX outbox_by_due ON outbox (due_at);
  `,
  // The W3C trace id of the request that created the job, carried in its task messages.
  `ALTER TABLE job ADD COLUMN trace_id TEXT;`,
  // The dispatch generation of each file: +1 with every task message sent for it, never reset (a retry
  // resets `dispatches`, not this). Messages carry it, so a late dead letter of an older one is fenced.
  `ALTER TABLE files ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Whether this object has ever been created as a job (reads only; never creates tables). */
export function hasSchema(sql: SqlStorage): boolean {
  return (
    sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray()
      .length > 0
  );
}

/** Brings the schema to the latest version; call inside blockConcurrencyWhile or a transaction. */
export function migrate(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()[0];
  let version = row?.version ?? 0;
  if (!row) sql.exec("INSERT INTO schema_version (version) VALUES (0)");
  for (; version < MIGRATIONS.length; version++) {
    sql.exec(MIGRATIONS[version] ?? "");
    sql.exec("UPDATE schema_version SET version = ?", version + 1);
  }
}
