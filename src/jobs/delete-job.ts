/**
 * Deleting a job removes everything derived from it: the outputs it wrote for each of its files, its
 * search index entries, its listing row, its idempotency keys and webhook deliveries, and finally the
 * job's own state in its Durable Object. A running job is cancelled first. The Durable Object goes
 * last, so a failure part-way leaves the job in place and the DELETE can simply be repeated.
 */
import { removeJobFromIndexStatement } from "../search/d1-search-index";
import { outputsOfJobPrefix } from "../storage/r2-layout";
import { deletePrefix } from "../storage/r2-prefix";
import { filesBucket, type Tenant } from "../tenancy/tenant";
import { jobStub } from "./job-client";

export async function deleteJob(env: Env, tenant: Tenant, jobId: string): Promise<boolean> {
  const stub = jobStub(env, tenant, jobId);
  const fileIds = await stub.fileIds();
  if (!fileIds) return false;
  await stub.cancel();
  const bucket = filesBucket(env, tenant);
  for (const fileId of fileIds) await deletePrefix(bucket, outputsOfJobPrefix(tenant.id, fileId, jobId));
  await env.DB.batch([
    removeJobFromIndexStatement(env.DB, tenant.id, jobId),
    env.DB.prepare("DELETE FROM jobs WHERE tenant_id = ? AND id = ?").bind(tenant.id, jobId),
    env.DB.prepare("DELETE FROM idempotency_keys WHERE tenant_id = ? AND job_id = ?").bind(tenant.id, jobId),
    env.DB.prepare(
      "DELETE FROM webhook_attempts WHERE tenant_id = ? AND delivery_id IN (SELECT id FROM webhook_deliveries WHERE tenant_id = ? AND job_id = ?)",
    ).bind(tenant.id, tenant.id, jobId),
    env.DB.prepare("DELETE FROM webhook_deliveries WHERE tenant_id = ? AND job_id = ?").bind(
      tenant.id,
      jobId,
    ),
  ]);
  return stub.purge();
}
