/**
 * Deleting a file removes everything derived from it, and holds while consumers are still at work on
 * it. In order: the work stops (every unfinished job naming the file cancels it, so a consumer still
 * running it is refused when it reports and discards what it wrote); the bytes and every stage output go
 * (all under the file's R2 prefix); then one D1 batch removes its search entries, its job links and its
 * listing row together. The index stage inserts only while the listing row exists (same statement), so
 * text a late consumer indexes either lands before that batch and is removed by it, or is refused.
 * The row goes last, so a failure part-way leaves the file in place and the DELETE can be repeated.
 */
import { jobStub } from "../jobs/job-client";
import { removeFileFromIndexStatement } from "../search/d1-search-index";
import { forgetFileStatement, unfinishedJobsOfFile } from "../storage/file-jobs-repo";
import { deleteFileRowStatement, getFile } from "../storage/files-repo";
import { filePrefix } from "../storage/r2-layout";
import { deletePrefix } from "../storage/r2-prefix";
import { filesBucket, type Tenant } from "../tenancy/tenant";

export async function deleteFile(env: Env, tenant: Tenant, fileId: string): Promise<boolean> {
  const file = await getFile(env.DB, tenant.id, fileId);
  if (!file) return false;
  const jobIds = await unfinishedJobsOfFile(env.DB, tenant.id, fileId);
  await Promise.all(jobIds.map((jobId) => jobStub(env, tenant, jobId).cancelFile(fileId)));
  await deletePrefix(filesBucket(env, tenant), filePrefix(tenant.id, fileId));
  const results = await env.DB.batch([
    removeFileFromIndexStatement(env.DB, tenant.id, fileId),
    forgetFileStatement(env.DB, tenant.id, fileId),
    deleteFileRowStatement(env.DB, tenant.id, fileId),
  ]);
  return (results.at(-1)?.meta.changes ?? 0) > 0;
}
