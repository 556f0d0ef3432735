/**
 * Puts a file straight into storage and the listing, the way an upload that bypassed the API's
 * checks would leave it (used for sources the upload endpoints refuse, such as an empty file).
 */
import { env } from "cloudflare:workers";
import { DEV_TENANT } from "../../src/http/auth";
import { newFileId } from "../../src/ids";
import { insertFiles } from "../../src/storage/files-repo";
import { fileSourceKey } from "../../src/storage/r2-layout";

export async function seedFile(
  bytes: Uint8Array,
  name: string,
  contentType: string,
  tenantId = DEV_TENANT.id,
) {
  const id = newFileId();
  const key = fileSourceKey(tenantId, id);
  await env.FILES.put(key, bytes);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  const sha256 = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  await insertFiles(env.DB, [
    { tenantId, id, name, size: bytes.byteLength, contentType, sha256, r2Key: key, createdAt: Date.now() },
  ]);
  return { id, key };
}

/**
 * Lists a file id (without bytes) for tests that write to the search index directly: the index only
 * accepts entries for a file that exists.
 */
export async function listFileRow(tenantId: string, fileId: string, name = `${fileId}.txt`): Promise<void> {
  await env.DB.prepare(
    `INSERT OR IGNORE INTO files (tenant_id, id, name, size, content_type, sha256, r2_key, created_at)
     VALUES (?, ?, ?, 0, 'text/plain', '', '', ?)`,
  )
    .bind(tenantId, fileId, name, Date.now())
    .run();
}
