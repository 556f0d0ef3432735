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

export type OutboxKind = "dispatch" | "projection";

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
                        updated_at, started_at, completed_at, version, lease_counter)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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

  filesWithStatus(status: FileStatus): FileRow[] {
    return this.sql.exec<FileRow>("SELECT * FROM files WHERE status = ? ORDER BY position", status).toArray();
  }

  updateFile(fileId: string, fields: Partial<Omit<FileRow, "file_id" | "position">>): void {
    const { clause, values } = setClause(fields);
    this.sql.exec(`UPDATE files SET ${clause} WHERE file_id = ?`, ...values, fileId);
  }

  /** Notes that a task message for a waiting file was handed to the queue. */
  markDispatched(fileId: string, at: number): void {
    this.sql.exec(
      "UPDATE files SET dispatched_at = ?, dispatches = dispatches + 1 WHERE file_id = ? AND status = 'pending'",
      at,
      fileId,
    );
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

  events(afterSeq: number, limit: number): EventRow[] {
    return this.sql
      .exec<EventRow>("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
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

  postponeOutbox(id: number, dueAt: number): void {
    this.sql.exec("UPDATE outbox SET due_at = ?, attempts = attempts + 1 WHERE id = ?", dueAt, id);
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
