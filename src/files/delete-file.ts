/**
 * Deleting a file removes everything derived from it: its bytes and every stage output (all under
 * the file's R2 prefix), its search index entries, then its listing row. Storage and index go first so
 * that a failure part-way leaves the row in place and the client can simply repeat the DELETE.
 */
import { removeFileFromIndex } from "../search/d1-search-index";
import { deleteFileRow, getFile } from "../storage/files-repo";
import { filePrefix } from "../storage/r2-layout";
import { deletePrefix } from "../storage/r2-prefix";
import { filesBucket, type Tenant } from "../tenancy/tenant";

export async function deleteFile(env: Env, tenant: Tenant, fileId: string): Promise<boolean> {
  const file = await getFile(env.DB, tenant.id, fileId);
  if (!file) return false;
  await deletePrefix(filesBucket(env, tenant), filePrefix(tenant.id, fileId));
  await removeFileFromIndex(env.DB, tenant.id, fileId);
  return deleteFileRow(env.DB, tenant.id, fileId);
}
