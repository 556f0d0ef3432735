/**
 * Counts behind the per-tenant quotas (tenancy/quotas.ts). Each count stops at `upTo` (a LIMIT inside
 * the count), so checking a quota reads at most that many index entries, and the indexed-bytes total is
 * one row kept up to date by triggers on the search index (migration 0007), whoever deletes rows.
 */

async function countUpTo(db: D1Database, sql: string, params: unknown[], upTo: number): Promise<number> {
  const row = await db
    .prepare(`SELECT count(*) AS n FROM (${sql} LIMIT ?)`)
    .bind(...params, upTo)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export const countFiles = (db: D1Database, tenantId: string, upTo: number): Promise<number> =>
  countUpTo(db, "SELECT 1 FROM files WHERE tenant_id = ?", [tenantId], upTo);

/** Multipart uploads still pending and not expired (expired ones can no longer be completed). */
export const countPendingMultipartUploads = (
  db: D1Database,
  tenantId: string,
  now: number,
  upTo: number,
): Promise<number> =>
  countUpTo(
    db,
    "SELECT 1 FROM uploads WHERE tenant_id = ? AND kind = 'multipart' AND state = 'pending' AND expires_at > ?",
    [tenantId, now],
    upTo,
  );

export const countWebhookEndpoints = (db: D1Database, tenantId: string, upTo: number): Promise<number> =>
  countUpTo(db, "SELECT 1 FROM webhook_endpoints WHERE tenant_id = ?", [tenantId], upTo);

/** UTF-8 bytes the tenant has in the search index, in all, and of one of its files. */
export async function indexedBytes(
  db: D1Database,
  tenantId: string,
  fileId: string,
): Promise<{ tenant: number; file: number }> {
  const row = await db
    .prepare(
      `SELECT
         (SELECT coalesce(sum(bytes), 0) FROM tenant_index_usage WHERE tenant_id = ?1) AS tenant,
         (SELECT coalesce(sum(length(CAST(body AS BLOB))), 0) FROM search_sections
           WHERE tenant_id = ?1 AND file_id = ?2) AS file`,
    )
    .bind(tenantId, fileId)
    .first<{ tenant: number; file: number }>();
  return { tenant: row?.tenant ?? 0, file: row?.file ?? 0 };
}
