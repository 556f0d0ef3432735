import { parseSettings } from "../tenancy/settings";
import type { Jurisdiction, Tenant } from "../tenancy/tenant";

/** API keys in D1, looked up by the SHA-256 of the presented key (keys are never stored in clear). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The tenant owning an active (not revoked) key, or null. */
export async function tenantForKey(db: D1Database, key: string): Promise<Tenant | null> {
  const row = await db
    .prepare(
      `SELECT t.id, t.jurisdiction, t.settings FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
       WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
    )
    .bind(await sha256Hex(key))
    .first<{ id: string; jurisdiction: Jurisdiction; settings: string }>();
  return row ? { id: row.id, jurisdiction: row.jurisdiction, settings: parseSettings(row.settings) } : null;
}
