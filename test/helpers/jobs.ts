/**
 * Test access to a job's Durable Object: its stub, its alarm, and moving its clocks. Moving a
 * deadline into the past stands for "that much time went by" without sleeping in tests.
 */
import { runDurableObjectAlarm, runInDurableObject, type QueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { DEV_TENANT } from "../../src/http/auth";
import type { TaskMessage } from "../../src/queue/messages";

export function jobDurableObject(jobId: string, tenantId = DEV_TENANT.id) {
  return env.JOBS.get(env.JOBS.idFromName(`${tenantId}:${jobId}`));
}

export async function sql<T extends Record<string, SqlStorageValue>>(
  jobId: string,
  query: string,
  ...bindings: SqlStorageValue[]
): Promise<T[]> {
  return runInDurableObject(jobDurableObject(jobId), (_instance, state) =>
    state.storage.sql.exec<T>(query, ...bindings).toArray(),
  );
}

/** Pretends the leases and dispatches of the job are older than every timeout. */
export async function ageJob(jobId: string): Promise<void> {
  await sql(
    jobId,
    `UPDATE files SET
       lease_expires_at = CASE WHEN lease_expires_at IS NULL THEN NULL ELSE 1 END,
       dispatched_at = CASE WHEN dispatched_at IS NULL THEN NULL ELSE 1 END`,
  );
}

export async function runAlarm(jobId: string): Promise<boolean> {
  return runDurableObjectAlarm(jobDurableObject(jobId));
}

export const taskMessage = (jobId: string, fileId: string, tenantId = DEV_TENANT.id): TaskMessage => ({
  v: 1,
  tenantId,
  jurisdiction: "default",
  jobId,
  fileId,
});

let deliveries = 0;

/** A hand-made delivery of task messages, as the queue would make it. */
export function delivery(body: TaskMessage, attempts = 1) {
  deliveries += 1;
  return { id: `test-message-${deliveries}`, timestamp: new Date(), attempts, body };
}

type Delivery = ReturnType<typeof delivery>;

/**
 * Hands a batch to the Worker's queue handler as the named queue would. (`exports.default.queue`
 * exists under the test-only `service_binding_extra_handlers` flag, which the generated types do
 * not know about.)
 */
export function deliver(queue: string, messages: Delivery[]): Promise<QueueResult> {
  const worker = exports.default as unknown as {
    queue(name: string, batch: Delivery[]): Promise<QueueResult>;
  };
  return worker.queue(queue, messages);
}
