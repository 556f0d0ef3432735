/**
 * Idempotency keys for job creation (IETF Idempotency-Key draft). The first request with a key
 * reserves it and fixes the job id; the same key with the same body returns that job; with another
 * body it is refused; while the first request is still running a second one is told to wait. A
 * reservation left behind by a crashed request goes stale and the next attempt takes it over (safe:
 * the job id is fixed, and creating the same job twice is a no-op in the Job DO).
 */
export const IN_FLIGHT_STALE_MS = 30_000;

export type Reservation =
  | { kind: "reserved"; jobId: string }
  | { kind: "replay"; jobId: string }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

interface KeyRow {
  request_hash: string;
  job_id: string;
  state: "in_flight" | "done";
  updated_at: number;
}

export async function reserveIdempotencyKey(
  db: D1Database,
  tenantId: string,
  key: string,
  requestHash: string,
  proposedJobId: string,
  now: number,
): Promise<Reservation> {
  const inserted = await db
    .prepare(
      `INSERT INTO idempotency_keys (tenant_id, key, request_hash, job_id, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'in_flight', ?, ?) ON CONFLICT (tenant_id, key) DO NOTHING`,
    )
    .bind(tenantId, key, requestHash, proposedJobId, now, now)
    .run();
  if (inserted.meta.changes > 0) return { kind: "reserved", jobId: proposedJobId };

  const row = await db
    .prepare(
      "SELECT request_hash, job_id, state, updated_at FROM idempotency_keys WHERE tenant_id = ? AND key = ?",
    )
    .bind(tenantId, key)
    .first<KeyRow>();
  if (!row) return reserveIdempotencyKey(db, tenantId, key, requestHash, proposedJobId, now);
  if (row.request_hash !== requestHash) return { kind: "mismatch" };
  if (row.state === "done") return { kind: "replay", jobId: row.job_id };
  if (now - row.updated_at < IN_FLIGHT_STALE_MS) return { kind: "in_flight" };

  // Take over a stale reservation; only one concurrent taker wins the compare-and-set.
  const taken = await db
    .prepare(
      `UPDATE idempotency_keys SET updated_at = ?
       WHERE tenant_id = ? AND key = ? AND state = 'in_flight' AND updated_at = ?`,
    )
    .bind(now, tenantId, key, row.updated_at)
    .run();
  return taken.meta.changes > 0 ? { kind: "reserved", jobId: row.job_id } : { kind: "in_flight" };
}

export async function completeIdempotencyKey(
  db: D1Database,
  tenantId: string,
  key: string,
  now: number,
): Promise<void> {
  await db
    .prepare("UPDATE idempotency_keys SET state = 'done', updated_at = ? WHERE tenant_id = ? AND key = ?")
    .bind(now, tenantId, key)
    .run();
}

/** Frees a key whose request was refused (e.g. invalid), so a corrected request can use it. */
export async function releaseIdempotencyKey(db: D1Database, tenantId: string, key: string): Promise<void> {
  await db
    .prepare("DELETE FROM idempotency_keys WHERE tenant_id = ? AND key = ? AND state = 'in_flight'")
    .bind(tenantId, key)
    .run();
}
