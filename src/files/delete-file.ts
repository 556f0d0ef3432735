/**
 * Deleting a file removes everything derived from it: its bytes and every stage output (all under
 * the file's R2 prefix), then its listing row. Storage goes first so that a failure part-way leaves
 * the row in place and the client can simply repeat the DELETE.
 */
import { deleteFileRow, getFile } from "../storage/files-repo";
import { filePrefix } from "../storage/r2-layout";
import { filesBucket, type Tenant } from "../tenancy/tenant";

export async function deleteFile(env: Env, tenant: Tenant, fileId: string): Promise<boolean> {
  const file = await getFile(env.DB, tenant.id, fileId);
  if (!file) return false;
  await deletePrefix(filesBucket(env, tenant), filePrefix(tenant.id, fileId));
  return deleteFileRow(env.DB, tenant.id, fileId);
}

async function deletePrefix(bucket: R2Bucket, prefix: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, limit: 1000 });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((object) => object.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}
