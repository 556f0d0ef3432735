/**
 * Deleting a job removes everything derived from it, and holds while consumers are still at work on
 * it. In order: the job is cancelled (from then on no report is accepted, so the outputs it recorded
 * are all it will ever serve, and a consumer still running is refused and discards what it wrote); the
 * recorded outputs are deleted by key, 1,000 per R2 call (never a listing per file: a 1,000-file job
 * stays far inside a Worker's subrequest limit); one D1 batch marks the job erased (the index stage's
 * writes check that mark in the same statement, so a late consumer can no longer index) and removes its
 * search entries, listing row, file links, idempotency keys and webhook deliveries; and finally the
 * job's own state in its Durable Object. The listing row and the Durable Object go last, so a failure
 * part-way leaves the job in place (and in retention's sight) and the DELETE can simply be repeated.
 */
import { deleteKeys } from "../erasure/delete-keys";
import { removeJobFromIndexStatement } from "../search/d1-search-index";
import { eraseJobStatement, forgetJobStatement } from "../storage/file-jobs-repo";
import { deleteJobRowStatement } from "../storage/jobs-repo";
import { filesBucket, type Tenant } from "../tenancy/tenant";
import { jobStub } from "./job-client";

export async function deleteJob(env: Env, tenant: Tenant, jobId: string): Promise<boolean> {
  const stub = jobStub(env, tenant, jobId);
  if (!(await stub.cancel())) return false;
  const keys = await stub.outputKeys();
  if (!keys) return false;
  await deleteKeys(filesBucket(env, tenant), keys);
  await env.DB.batch([
    eraseJobStatement(env.DB, tenant.id, jobId, Date.now()),
    removeJobFromIndexStatement(env.DB, tenant.id, jobId),
    forgetJobStatement(env.DB, tenant.id, jobId),
    deleteJobRowStatement(env.DB, tenant.id, jobId),
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
