/**
 * Clean-up of uploads that never became files. An upload that is still pending, or was rejected or
 * aborted, once past its `expires_at` (which always lies beyond the last moment any of its URLs works)
 * has its R2 multipart upload aborted, any object at its key deleted, and its rows removed. Completed
 * uploads are kept: they let a repeated completion answer with its file. Meant for the scheduled
 * handler; each call handles at most `limit` uploads, oldest first.
 */
import { filesBucket, type Jurisdiction } from "../tenancy/tenant";
import { deleteRecordedParts } from "./uploads-repo";

interface ExpiredRow {
  tenant_id: string;
  file_id: string;
  r2_upload_id: string | null;
  r2_key: string;
  jurisdiction: Jurisdiction;
}

export async function sweepExpiredUploads(env: Env, now: number, limit = 100): Promise<{ swept: number }> {
  const { results } = await env.DB.prepare(
    `SELECT u.tenant_id, u.file_id, u.r2_upload_id, u.r2_key, COALESCE(t.jurisdiction, 'default') AS jurisdiction
     FROM uploads u LEFT JOIN tenants t ON t.id = u.tenant_id
     WHERE u.state != 'completed' AND u.expires_at < ? ORDER BY u.expires_at LIMIT ?`,
  )
    .bind(now, limit)
    .all<ExpiredRow>();
  for (const row of results) {
    const bucket = filesBucket(env, { id: row.tenant_id, jurisdiction: row.jurisdiction, settings: {} });
    if (row.r2_upload_id !== null) {
      // R2 may have expired the multipart upload itself already; then there is nothing to abort.
      await bucket
        .resumeMultipartUpload(row.r2_key, row.r2_upload_id)
        .abort()
        .catch(() => undefined);
    }
    await bucket.delete(row.r2_key);
    await deleteRecordedParts(env.DB, row.tenant_id, row.file_id);
    await env.DB.prepare("DELETE FROM uploads WHERE tenant_id = ? AND file_id = ? AND state != 'completed'")
      .bind(row.tenant_id, row.file_id)
      .run();
  }
  return { swept: results.length };
}
