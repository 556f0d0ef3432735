/**
 * Which jobs name which files (migrations/0007), and when a file was last used. Written when a job is
 * created, before its Durable Object exists, so deleting a file finds every job that may still be
 * working on it; read when a file is deleted, to cancel that work. All statements take the ids as one
 * JSON parameter, so a job of 1,000 files is one statement each.
 */
export function recordFileUseStatements(
  db: D1Database,
  tenantId: string,
  jobId: string,
  fileIds: readonly string[],
  now: number,
): D1PreparedStatement[] {
  const ids = JSON.stringify(fileIds);
  return [
    // Only files that still exist: a file deleted meanwhile gets no link (its job fails `source_missing`).
    db
      .prepare(
        `INSERT OR IGNORE INTO file_jobs (tenant_id, file_id, job_id)
         SELECT ?1, f.id, ?2 FROM files f WHERE f.tenant_id = ?1 AND f.id IN (SELECT value FROM json_each(?3))`,
      )
      .bind(tenantId, jobId, ids),
    db
      .prepare(
        "UPDATE files SET last_used_at = ?3 WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
      )
      .bind(tenantId, ids, now),
  ];
}

/**
 * Jobs naming the file that may still run it: those whose listing says pending or processing, and
 * those without a listing row yet (just created). Ended jobs have nothing left to cancel.
 */
export async function unfinishedJobsOfFile(
  db: D1Database,
  tenantId: string,
  fileId: string,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT fj.job_id FROM file_jobs fj
       LEFT JOIN jobs j ON j.tenant_id = fj.tenant_id AND j.id = fj.job_id
       WHERE fj.tenant_id = ? AND fj.file_id = ? AND (j.status IS NULL OR j.status IN ('pending', 'processing'))`,
    )
    .bind(tenantId, fileId)
    .all<{ job_id: string }>();
  return results.map((row) => row.job_id);
}

export const forgetFileStatement = (db: D1Database, tenantId: string, fileId: string): D1PreparedStatement =>
  db.prepare("DELETE FROM file_jobs WHERE tenant_id = ? AND file_id = ?").bind(tenantId, fileId);

export const forgetJobStatement = (db: D1Database, tenantId: string, jobId: string): D1PreparedStatement =>
  db.prepare("DELETE FROM file_jobs WHERE tenant_id = ? AND job_id = ?").bind(tenantId, jobId);

/** Marks the job as erased: from this statement on, its consumers can no longer write to the index. */
export const eraseJobStatement = (
  db: D1Database,
  tenantId: string,
  jobId: string,
  now: number,
): D1PreparedStatement =>
  db
    .prepare("INSERT OR IGNORE INTO erased_jobs (tenant_id, job_id, erased_at) VALUES (?, ?, ?)")
    .bind(tenantId, jobId, now);

/**
 * Forgets erasure marks older than `before`. A mark only has to outlive the consumers that were running
 * the job when it was deleted (a queue consumer runs for at most 15 minutes), so a day is ample.
 */
export async function pruneErasedJobs(db: D1Database, before: number): Promise<number> {
  const result = await db.prepare("DELETE FROM erased_jobs WHERE erased_at < ?").bind(before).run();
  return result.meta.changes;
}
