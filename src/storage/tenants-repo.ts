/** Tenants and their API keys in D1 (used by the admin API; request authentication reads api_keys). */
import type { PageAfter } from "../http/cursor";
import type { Jurisdiction } from "../tenancy/tenant";
import { parseSettings, type TenantSettings } from "../tenancy/settings";
import { newestFirst } from "./newest-first";

export interface TenantRecord {
  id: string;
  name: string;
  jurisdiction: Jurisdiction;
  settings: TenantSettings;
  createdAt: number;
}

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  prefix: string;
  name: string | null;
  createdAt: number;
  revokedAt: number | null;
}

type TenantRow = {
  id: string;
  name: string;
  jurisdiction: Jurisdiction;
  settings: string;
  created_at: number;
};
type KeyRow = {
  id: string;
  tenant_id: string;
  prefix: string;
  name: string | null;
  created_at: number;
  revoked_at: number | null;
};

const tenantFromRow = (row: TenantRow): TenantRecord => ({
  id: row.id,
  name: row.name,
  jurisdiction: row.jurisdiction,
  settings: parseSettings(row.settings),
  createdAt: row.created_at,
});

const keyFromRow = (row: KeyRow): ApiKeyRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  prefix: row.prefix,
  name: row.name,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** Inserts a tenant; false when the id is taken. */
export async function insertTenant(db: D1Database, tenant: TenantRecord): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO tenants (id, name, jurisdiction, settings, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(tenant.id, tenant.name, tenant.jurisdiction, JSON.stringify(tenant.settings), tenant.createdAt)
    .run();
  return result.meta.changes > 0;
}

export async function getTenant(db: D1Database, id: string): Promise<TenantRecord | null> {
  const row = await db.prepare("SELECT * FROM tenants WHERE id = ?").bind(id).first<TenantRow>();
  return row ? tenantFromRow(row) : null;
}

export async function listTenants(
  db: D1Database,
  limit: number,
  after: PageAfter | null,
): Promise<TenantRecord[]> {
  const rows = await newestFirst<TenantRow>(db, "tenants", {
    where: {},
    timeColumn: "created_at",
    limit,
    after,
  });
  return rows.map(tenantFromRow);
}

export async function updateTenant(
  db: D1Database,
  id: string,
  changes: { name?: string | undefined; settings?: TenantSettings | undefined },
): Promise<TenantRecord | null> {
  const current = await getTenant(db, id);
  if (!current) return null;
  const next = {
    ...current,
    name: changes.name ?? current.name,
    settings: changes.settings ?? current.settings,
  };
  await db
    .prepare("UPDATE tenants SET name = ?, settings = ? WHERE id = ?")
    .bind(next.name, JSON.stringify(next.settings), id)
    .run();
  return next;
}

export async function insertApiKey(db: D1Database, key: ApiKeyRecord, keyHash: string): Promise<void> {
  await db
    .prepare(
      "INSERT INTO api_keys (id, tenant_id, key_hash, prefix, name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(key.id, key.tenantId, keyHash, key.prefix, key.name, key.createdAt)
    .run();
}

export async function listApiKeys(db: D1Database, tenantId: string): Promise<ApiKeyRecord[]> {
  const { results } = await db
    .prepare(
      "SELECT id, tenant_id, prefix, name, created_at, revoked_at FROM api_keys WHERE tenant_id = ? ORDER BY created_at",
    )
    .bind(tenantId)
    .all<KeyRow>();
  return results.map(keyFromRow);
}

/** Revokes a key of the tenant (keeping its first revocation time); false when there is no such key. */
export async function revokeApiKey(
  db: D1Database,
  tenantId: string,
  keyId: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .prepare("UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = ? AND id = ?")
    .bind(now, tenantId, keyId)
    .run();
  return result.meta.changes > 0;
}
