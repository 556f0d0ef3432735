/**
 * Typed access to the Job DO's SQLite tables. Only this file writes SQL for the job; the state
 * machine above it speaks in rows and fields. All statements are parameterised.
 */
import type { StageName } from "../pipeline/stage-names";
import type { Jurisdiction } from "../tenancy/tenant";
import type { FileStatus, JobCounts, JobStatus, TaskStatus } from "./types";

export type JobRow = {
  id: string;
  tenant_id: string;
  jurisdiction: Jurisdiction;
  status: JobStatus;
  stages: string;
  options: string;
  request_hash: string;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  completed_at: number | null;
  version: number;
  lease_counter: number;
  webhook_endpoint_id: string | null;
  published_seq: number;
  /** The tenant's cap on files in flight (dispatched or processing) across its jobs. */
  max_in_flight: number;
  /** Files in flight the tenant's limiter last allowed this job. */
  slots_held: number;
  /** The W3C trace id of the request that created the job (null for jobs created before it existed). */
  trace_id: string | null;
};

export type FileRow = {
  file_id: string;
  position: number;
  name: string;
  size: number;
  content_type: string;
  status: FileStatus;
  attempts: number;
  dispatches: number;
  lease_token: number | null;
  lease_expires_at: number | null;
  dispatched_at: number | null;
  updated_at: number;
  /** Task messages ever sent for this file (the generation the latest one carries); never reset. */
  generation?: number;
};

export type TaskRow = {
  file_id: string;
  stage: StageName;
  status: TaskStatus;
  attempts: number;
  started_at: number | null;
  completed_at: number | null;
  duration_ms: number | null;
  result: string | null;
  outputs: string | null;
  error_code: string | null;
  error_message: string | null;
};

export type EventRow = {
  seq: number;
  type: string;
  file_id: string | null;
  stage: string | null;
  timestamp: number;
  data: string;
};

export type OutboxKind = "dispatch" | "projection" | "publish";

export type OutboxRow = {
  id: number;
  kind: OutboxKind;
  ref: string;
  due_at: number;
  attempts: number;
};

type Bindable = string | number | null;

function setClause(fields: Record<string, Bindable>): { clause: string; values: Bindable[] } {
  const keys = Object.keys(fields);
  return {
    clause: keys.map((key) => `${key} = ?`).join(", "),
    values: keys.map((key) => fields[key] ?? null),
  };
}

export class JobStore {
  constructor(private readonly sql: SqlStorage) {}

  job(): JobRow | null {
    return this.sql.exec<JobRow>("SELECT * FROM job").toArray()[0] ?? null;
  }

  insertJob(row: JobRow): void {
    this.sql.exec(
      `INSERT INTO job (id, tenant_id, jurisdiction, status, stages, options, request_hash, created_at,
                        updated_at, started_at, completed_at, version, lease_counter, webhook_endpoint_id,
                        published_seq, max_in_flight, slots_held, trace_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.tenant_id,
      row.jurisdiction,
      row.status,
      row.stages,
      row.options,
      row.request_hash,
      row.created_at,
      row.updated_at,
      row.started_at,
      row.completed_at,
      row.version,
      row.lease_counter,
      row.webhook_endpoint_id,
      row.published_seq,
      row.max_in_flight,
      row.slots_held,
      row.trace_id,
    );
  }

  updateJob(fields: Partial<Omit<JobRow, "id">>): void {
    const { clause, values } = setClause(fields);
    this.sql.exec(`UPDATE job SET ${clause}`, ...values);
  }

  insertFile(row: FileRow): void {
    this.sql.exec(
      `INSERT INTO files (file_id, position, name, size, content_type, status, attempts, dispatches,
                          lease_token, lease_expires_at, dispatched_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.file_id,
      row.position,
      row.name,
      row.size,
      row.content_type,
      row.status,
      row.attempts,
      row.dispatches,
      row.lease_token,
      row.lease_expires_at,
      row.dispatched_at,
      row.updated_at,
    );
  }

  file(fileId: string): FileRow | null {
    return this.sql.exec<FileRow>("SELECT * FROM files WHERE file_id = ?", fileId).toArray()[0] ?? null;
  }

  /** A page of files in the order the job listed them. */
  files(afterPosition: number, limit: number): FileRow[] {
    return this.sql
      .exec<FileRow>("SELECT * FROM files WHERE position > ? ORDER BY position LIMIT ?", afterPosition, limit)
      .toArray();
  }

  fileIds(): string[] {
    return this.sql
      .exec<{ file_id: string }>("SELECT file_id FROM files ORDER BY position")
      .toArray()
      .map((row) => row.file_id);
  }

  filesWithStatus(status: FileStatus): FileRow[] {
    return this.sql.exec<FileRow>("SELECT * FROM files WHERE status = ? ORDER BY position", status).toArray();
  }

  updateFile(fileId: string, fields: Partial<Omit<FileRow, "file_id" | "position">>): void {
    const { clause, values } = setClause(fields);
    this.sql.exec(`UPDATE files SET ${clause} WHERE file_id = ?`, ...values, fileId);
  }

  /** Notes that a task message (carrying `generation`) for a waiting file was handed to the queue. */
  markDispatched(fileId: string, at: number, generation: number): void {
    this.sql.exec(
      `UPDATE files SET dispatched_at = ?, dispatches = dispatches + 1, generation = max(generation, ?)
       WHERE file_id = ? AND status = 'pending'`,
      at,
      generation,
      fileId,
    );
  }

  /** Files dispatched to the queue (or awaiting its redelivery) or being processed. */
  inFlightCount(): number {
    return (
      this.sql
        .exec<{ n: number }>(
          "SELECT count(*) AS n FROM files WHERE status = 'processing' OR (status = 'pending' AND dispatched_at IS NOT NULL)",
        )
        .toArray()[0]?.n ?? 0
    );
  }

  /**
   * Dispatches that could go out now: those due, and those only waiting for concurrency slots (they
   * never failed, so they carry no backoff). Waiting ones have a later due time so that they do not
   * keep the alarm busy while the tenant's slots are taken.
   */
  dispatchCandidates(now: number, limit: number): OutboxRow[] {
    return this.sql
      .exec<OutboxRow>(
        "SELECT * FROM outbox WHERE kind = 'dispatch' AND (due_at <= ? OR attempts = 0) ORDER BY id LIMIT ?",
        now,
        limit,
      )
      .toArray();
  }

  countDispatchCandidates(now: number): number {
    return (
      this.sql
        .exec<{ n: number }>(
          "SELECT count(*) AS n FROM outbox WHERE kind = 'dispatch' AND (due_at <= ? OR attempts = 0)",
          now,
        )
        .toArray()[0]?.n ?? 0
    );
  }

  /** Gives every due dispatch but `except` a later due time (they wait for concurrency slots). */
  deferDueDispatches(now: number, until: number, except: ReadonlySet<number>): void {
    this.sql.exec(
      "UPDATE outbox SET due_at = ? WHERE kind = 'dispatch' AND due_at <= ? AND id NOT IN (SELECT value FROM json_each(?))",
      until,
      now,
      JSON.stringify([...except]),
    );
  }

  /** Makes every waiting dispatch due now (concurrency slots were freed). */
  bringDispatchesForward(now: number): void {
    this.sql.exec("UPDATE outbox SET due_at = ? WHERE kind = 'dispatch' AND due_at > ?", now, now);
  }

  counts(): JobCounts {
    const counts: JobCounts = { total: 0, pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const row of this.sql
      .exec<{ status: FileStatus; n: number }>("SELECT status, count(*) AS n FROM files GROUP BY status")
      .toArray()) {
      counts[row.status] = row.n;
      counts.total += row.n;
    }
    return counts;
  }

  insertTask(fileId: string, stage: StageName): void {
    this.sql.exec("INSERT INTO tasks (file_id, stage, status) VALUES (?, ?, 'pending')", fileId, stage);
  }

  task(fileId: string, stage: StageName): TaskRow | null {
    return (
      this.sql
        .exec<TaskRow>("SELECT * FROM tasks WHERE file_id = ? AND stage = ?", fileId, stage)
        .toArray()[0] ?? null
    );
  }

  tasksOf(fileId: string): TaskRow[] {
    return this.sql.exec<TaskRow>("SELECT * FROM tasks WHERE file_id = ?", fileId).toArray();
  }

  /** Tasks of the files of one page, in one query. */
  tasksOfFiles(fileIds: readonly string[]): TaskRow[] {
    if (fileIds.length === 0) return [];
    return this.sql
      .exec<TaskRow>(
        "SELECT * FROM tasks WHERE file_id IN (SELECT value FROM json_each(?))",
        JSON.stringify(fileIds),
      )
      .toArray();
  }

  updateTask(fileId: string, stage: StageName, fields: Partial<Omit<TaskRow, "file_id" | "stage">>): void {
    const { clause, values } = setClause(fields);
    this.sql.exec(`UPDATE tasks SET ${clause} WHERE file_id = ? AND stage = ?`, ...values, fileId, stage);
  }

  appendEvent(
    type: string,
    fileId: string | null,
    stage: string | null,
    timestamp: number,
    data: object,
  ): void {
    this.sql.exec(
      "INSERT INTO events (type, file_id, stage, timestamp, data) VALUES (?, ?, ?, ?, ?)",
      type,
      fileId,
      stage,
      timestamp,
      JSON.stringify(data),
    );
  }

  lastEventSeq(): number {
    return this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM events").toArray()[0]?.seq ?? 0;
  }

  events(afterSeq: number, limit: number): EventRow[] {
    return this.sql
      .exec<EventRow>("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
      .toArray();
  }

  /** Every output the job's completed tasks recorded (their R2 keys follow from these three fields). */
  recordedOutputs(): { file_id: string; stage: StageName; name: string }[] {
    return this.sql
      .exec<{ file_id: string; stage: StageName; name: string }>(
        `SELECT t.file_id, t.stage, json_extract(o.value, '$.name') AS name
         FROM tasks t, json_each(t.outputs) o WHERE t.outputs IS NOT NULL`,
      )
      .toArray();
  }

  /** Records a side effect to deliver; a pending one of the same kind and ref keeps the earlier due time. */
  enqueue(kind: OutboxKind, ref: string, dueAt: number): void {
    this.sql.exec(
      `INSERT INTO outbox (kind, ref, due_at) VALUES (?, ?, ?)
       ON CONFLICT (kind, ref) DO UPDATE SET due_at = min(due_at, excluded.due_at)`,
      kind,
      ref,
      dueAt,
    );
  }

  dueOutbox(now: number, limit: number): OutboxRow[] {
    return this.sql
      .exec<OutboxRow>("SELECT * FROM outbox WHERE due_at <= ? ORDER BY due_at, id LIMIT ?", now, limit)
      .toArray();
  }

  deleteOutbox(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.sql.exec("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(ids));
  }

  hasPendingDispatch(fileId: string): boolean {
    return (
      this.sql.exec("SELECT 1 FROM outbox WHERE kind = 'dispatch' AND ref = ?", fileId).toArray().length > 0
    );
  }

  deleteDispatch(fileId: string): void {
    this.sql.exec("DELETE FROM outbox WHERE kind = 'dispatch' AND ref = ?", fileId);
  }

  deleteOutboxKind(kind: OutboxKind): void {
    this.sql.exec("DELETE FROM outbox WHERE kind = ?", kind);
  }

  /** Moves a row's due time; a failed attempt also counts towards its backoff. */
  postponeOutbox(id: number, dueAt: number, failed = true): void {
    this.sql.exec(
      "UPDATE outbox SET due_at = ?, attempts = attempts + ? WHERE id = ?",
      dueAt,
      failed ? 1 : 0,
      id,
    );
  }

  /** The earliest moment something in this job needs attention, or null when nothing does. */
  nextDeadline(redriveAfterMs: number): number | null {
    const row = this.sql
      .exec<{ at: number | null }>(
        `SELECT min(at) AS at FROM (
           SELECT min(due_at) AS at FROM outbox
           UNION ALL SELECT min(lease_expires_at) FROM files WHERE status = 'processing'
           UNION ALL SELECT min(dispatched_at) + ? FROM files WHERE status = 'pending' AND dispatched_at IS NOT NULL
         )`,
        redriveAfterMs,
      )
      .toArray()[0];
    return row?.at ?? null;
  }
}
