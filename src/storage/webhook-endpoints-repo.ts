/** Webhook endpoints of a tenant in D1: URL, signing secrets (with rotation overlap), default flag. */
export interface EndpointRecord {
  tenantId: string;
  id: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  isDefault: boolean;
  createdAt: number;
  disabledAt: number | null;
  disabledReason: string | null;
}

type EndpointRow = {
  tenant_id: string;
  id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  is_default: number;
  created_at: number;
  disabled_at: number | null;
  disabled_reason: string | null;
};

const endpointFromRow = (row: EndpointRow): EndpointRecord => ({
  tenantId: row.tenant_id,
  id: row.id,
  url: row.url,
  secret: row.secret,
  previousSecret: row.previous_secret,
  previousSecretExpiresAt: row.previous_secret_expires_at,
  isDefault: row.is_default === 1,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
  disabledReason: row.disabled_reason,
});

/** Inserts an endpoint; a new default endpoint replaces the tenant's previous default. */
export async function insertEndpoint(db: D1Database, endpoint: EndpointRecord): Promise<void> {
  const insert = db
    .prepare(
      `INSERT INTO webhook_endpoints (tenant_id, id, url, secret, is_default, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      endpoint.tenantId,
      endpoint.id,
      endpoint.url,
      endpoint.secret,
      endpoint.isDefault ? 1 : 0,
      endpoint.createdAt,
    );
  if (!endpoint.isDefault) {
    await insert.run();
    return;
  }
  await db.batch([
    db.prepare("UPDATE webhook_endpoints SET is_default = 0 WHERE tenant_id = ?").bind(endpoint.tenantId),
    insert,
  ]);
}

export async function getEndpoint(
  db: D1Database,
  tenantId: string,
  id: string,
): Promise<EndpointRecord | null> {
  const row = await db
    .prepare("SELECT * FROM webhook_endpoints WHERE tenant_id = ? AND id = ?")
    .bind(tenantId, id)
    .first<EndpointRow>();
  return row ? endpointFromRow(row) : null;
}

export async function defaultEndpoint(db: D1Database, tenantId: string): Promise<EndpointRecord | null> {
  const row = await db
    .prepare("SELECT * FROM webhook_endpoints WHERE tenant_id = ? AND is_default = 1 AND disabled_at IS NULL")
    .bind(tenantId)
    .first<EndpointRow>();
  return row ? endpointFromRow(row) : null;
}

export async function listEndpoints(db: D1Database, tenantId: string): Promise<EndpointRecord[]> {
  const { results } = await db
    .prepare("SELECT * FROM webhook_endpoints WHERE tenant_id = ? ORDER BY created_at")
    .bind(tenantId)
    .all<EndpointRow>();
  return results.map(endpointFromRow);
}

export async function deleteEndpoint(db: D1Database, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .prepare("DELETE FROM webhook_endpoints WHERE tenant_id = ? AND id = ?")
    .bind(tenantId, id)
    .run();
  return result.meta.changes > 0;
}

/** Makes `secret` the signing secret; the current one keeps signing until `previousExpiresAt`. */
export async function rotateSecret(
  db: D1Database,
  tenantId: string,
  id: string,
  secret: string,
  previousExpiresAt: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ?, secret = ?
       WHERE tenant_id = ? AND id = ?`,
    )
    .bind(previousExpiresAt, secret, tenantId, id)
    .run();
  return result.meta.changes > 0;
}

export async function disableEndpoint(
  db: D1Database,
  tenantId: string,
  id: string,
  reason: string,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, ?), disabled_reason = coalesce(disabled_reason, ?)
       WHERE tenant_id = ? AND id = ?`,
    )
    .bind(now, reason, tenantId, id)
    .run();
}
