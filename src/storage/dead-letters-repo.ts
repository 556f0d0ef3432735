/**
 * Dead letters in D1 (migrations/0004): one row per (tenant, job, file) the tasks queue gave up on.
 * Recording is an upsert on that triple, so a dead letter delivered twice stays one row; a file that
 * is dead-lettered again after a re-drive reopens its row.
 */
import { ulid } from "ulid";
import type { PageAfter } from "../http/cursor";
import { newestFirst } from "./newest-first";

export const DEAD_LETTER_STATUSES = ["open", "redriven", "resolved"] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

export const DEAD_LETTER_ID = /^dl_[0-9A-HJKMNP-TV-Z]{26}$/;

export interface DeadLetterRecord {
  id: string;
  tenantId: string;
  jobId: string;
  fileId: string;
  error: { code: string; message: string } | null;
  attempts: number;
  firstSeenAt: number;
  lastSeenAt: number;
  status: DeadLetterStatus;
  redrivenAt: number | null;
  redrives: number;
  /** For pagination: the listing is ordered by when the dead letter was first seen. */
  createdAt: number;
}

interface DeadLetterRow {
  id: string;
  tenant_id: string;
  job_id: string;
  file_id: string;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  first_seen_at: number;
  last_seen_at: number;
  status: DeadLetterStatus;
  redriven_at: number | null;
  redrives: number;
}

const fromRow = (row: DeadLetterRow): DeadLetterRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  jobId: row.job_id,
  fileId: row.file_id,
  error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? "" },
  attempts: row.attempts,
  firstSeenAt: row.first_seen_at,
  lastSeenAt: row.last_seen_at,
  status: row.status,
  redrivenAt: row.redriven_at,
  redrives: row.redrives,
  createdAt: row.first_seen_at,
});

export interface DeadLetterSighting {
  tenantId: string;
  jobId: string;
  fileId: string;
  error: { code: string; message: string } | null;
  attempts: number;
  /** 'open' when the file failed and can be re-driven, 'resolved' when it finished anyway. */
  status: "open" | "resolved";
  seenAt: number;
}

/** Records a dead letter, or updates the row of the same (tenant, job, file). */
export async function recordDeadLetter(db: D1Database, sighting: DeadLetterSighting): Promise<void> {
  await db
    .prepare(
      `INSERT INTO dead_letters (id, tenant_id, job_id, file_id, error_code, error_message, attempts,
                                 first_seen_at, last_seen_at, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, job_id, file_id) DO UPDATE SET
         error_code = coalesce(excluded.error_code, error_code),
         error_message = coalesce(excluded.error_message, error_message),
         attempts = excluded.attempts,
         last_seen_at = max(last_seen_at, excluded.last_seen_at),
         status = excluded.status`,
    )
    .bind(
      `dl_${ulid()}`,
      sighting.tenantId,
      sighting.jobId,
      sighting.fileId,
      sighting.error?.code ?? null,
      sighting.error?.message ?? null,
      sighting.attempts,
      sighting.seenAt,
      sighting.seenAt,
      sighting.status,
    )
    .run();
}

export async function getDeadLetter(
  db: D1Database,
  tenantId: string,
  id: string,
): Promise<DeadLetterRecord | null> {
  const row = await db
    .prepare("SELECT * FROM dead_letters WHERE tenant_id = ? AND id = ?")
    .bind(tenantId, id)
    .first<DeadLetterRow>();
  return row ? fromRow(row) : null;
}

export async function listDeadLetters(
  db: D1Database,
  tenantId: string,
  options: { status: DeadLetterStatus | undefined; limit: number; after: PageAfter | null },
): Promise<DeadLetterRecord[]> {
  const rows = await newestFirst<DeadLetterRow>(db, "dead_letters", {
    where: { tenant_id: tenantId, status: options.status },
    timeColumn: "first_seen_at",
    limit: options.limit,
    after: options.after,
  });
  return rows.map(fromRow);
}

/** Marks a dead letter as re-driven (or resolved, when its file no longer needs it). */
export async function setDeadLetterStatus(
  db: D1Database,
  tenantId: string,
  id: string,
  status: "redriven" | "resolved",
  now: number,
): Promise<DeadLetterRecord | null> {
  const redriven = status === "redriven" ? 1 : 0;
  const row = await db
    .prepare(
      `UPDATE dead_letters SET status = ?,
         redriven_at = CASE WHEN ? = 1 THEN ? ELSE redriven_at END,
         redrives = redrives + ?
       WHERE tenant_id = ? AND id = ? RETURNING *`,
    )
    .bind(status, redriven, now, redriven, tenantId, id)
    .first<DeadLetterRow>();
  return row ? fromRow(row) : null;
}
