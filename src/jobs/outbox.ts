/**
 * Delivers the side effects a job's transactions recorded: task messages to the queue and the job's
 * projection to D1. Delivery is at-least-once: a row is deleted only after its effect succeeded, and
 * every effect is idempotent downstream (claims are leased, the projection is versioned). A failed
 * delivery stays in the outbox with backoff and the DO's alarm tries again.
 */
import { faultAt } from "../faults";
import { SEND_BATCH_LIMIT, type TaskMessage } from "../queue/messages";
import { upsertJobProjection } from "../storage/jobs-repo";
import type { JobStore, OutboxRow } from "./job-store";
import { jobSummary } from "./job-view";

export interface OutboxTargets {
  tasks: Queue;
  db: D1Database;
}

const MAX_ROWS_PER_DRAIN = 1000;
const backoffMs = (attempts: number): number => Math.min(60_000, 1000 * 2 ** attempts);

export async function deliverOutbox(
  store: JobStore,
  targets: OutboxTargets,
  transaction: <T>(fn: () => T) => T,
): Promise<void> {
  const now = Date.now();
  const due = store.dueOutbox(now, MAX_ROWS_PER_DRAIN);
  if (due.length === 0) return;
  await deliverDispatches(
    store,
    targets.tasks,
    due.filter((row) => row.kind === "dispatch"),
    transaction,
  );
  const projection = due.find((row) => row.kind === "projection");
  if (projection) await deliverProjection(store, targets.db, projection, transaction);
}

async function deliverDispatches(
  store: JobStore,
  queue: Queue,
  rows: OutboxRow[],
  transaction: <T>(fn: () => T) => T,
): Promise<void> {
  const job = store.job();
  if (!job || rows.length === 0) return;
  // Only files still waiting for a message get one; rows for anything else are simply dropped.
  const stale = rows.filter((row) => store.file(row.ref)?.status !== "pending");
  transaction(() => {
    store.deleteOutbox(stale.map((row) => row.id));
  });
  const live = rows.filter((row) => !stale.includes(row));
  for (let start = 0; start < live.length; start += SEND_BATCH_LIMIT) {
    const chunk = live.slice(start, start + SEND_BATCH_LIMIT);
    const messages = chunk.map((row) => ({
      body: {
        v: 1,
        tenantId: job.tenant_id,
        jurisdiction: job.jurisdiction,
        jobId: job.id,
        fileId: row.ref,
      } satisfies TaskMessage,
      contentType: "json" as const,
    }));
    try {
      if (!faultAt("dispatch.drop")) await queue.sendBatch(messages);
    } catch (error) {
      console.error(JSON.stringify({ msg: "dispatch failed", jobId: job.id, error: String(error) }));
      const retryAt = Date.now();
      transaction(() => {
        for (const row of chunk) store.postponeOutbox(row.id, retryAt + backoffMs(row.attempts));
      });
      return;
    }
    const sentAt = Date.now();
    transaction(() => {
      store.deleteOutbox(chunk.map((row) => row.id));
      for (const row of chunk) store.markDispatched(row.ref, sentAt);
    });
  }
}

async function deliverProjection(
  store: JobStore,
  db: D1Database,
  row: OutboxRow,
  transaction: <T>(fn: () => T) => T,
): Promise<void> {
  const job = store.job();
  if (!job) return;
  try {
    await upsertJobProjection(db, jobSummary(job, store));
  } catch (error) {
    console.error(JSON.stringify({ msg: "projection failed", jobId: job.id, error: String(error) }));
    transaction(() => {
      store.postponeOutbox(row.id, Date.now() + backoffMs(row.attempts));
    });
    return;
  }
  // A change that landed while we were writing keeps the row (with its own due time) for next time.
  transaction(() => {
    if (store.job()?.version === job.version) store.deleteOutbox([row.id]);
  });
}
