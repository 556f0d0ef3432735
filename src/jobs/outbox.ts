/**
 * Delivers the side effects a job's transactions recorded: task messages to the queue, the job's
 * projection to D1, and its events to the events and webhooks queues. Delivery is at-least-once: a row is deleted only after its effect succeeded, and
 * every effect is idempotent downstream (claims are leased, the projection is versioned). A failed
 * delivery stays in the outbox with backoff and the DO's alarm tries again.
 */
import { faultAt, sendTaskBatch } from "../faults";
import { SEND_BATCH_LIMIT, type TaskMessage } from "../queue/messages";
import { upsertJobProjection } from "../storage/jobs-repo";
import type { JobStore, OutboxRow } from "./job-store";
import { dispatchBudget, type SlotLimiter, type SlotSettings } from "./dispatch-slots";
import { publishEvents, type PublishTargets } from "./event-publisher";
import { jobLogContext, jobSummary } from "./job-view";
import { errorText, log } from "../observability/log";

export interface OutboxTargets extends PublishTargets {
  tasks: Queue;
  db: D1Database;
  limiter: SlotLimiter;
  slots: SlotSettings;
}

const MAX_ROWS_PER_DRAIN = 1000;
const backoffMs = (attempts: number): number => Math.min(60_000, 1000 * 2 ** attempts);

/** Waiting dispatches are looked at again after this long if no freed slot woke the job sooner. */
const SLOT_WAIT_MS = 30_000;

export async function deliverOutbox(
  store: JobStore,
  targets: OutboxTargets,
  transaction: <T>(fn: () => T) => T,
  options: { refreshSlots: boolean } = { refreshSlots: false },
): Promise<void> {
  const now = Date.now();
  const due = store.dueOutbox(now, MAX_ROWS_PER_DRAIN);
  await deliverDispatches(store, targets, now, transaction, options.refreshSlots);
  const projection = due.find((row) => row.kind === "projection");
  if (projection) await deliverProjection(store, targets.db, projection, transaction);
  const publish = due.find((row) => row.kind === "publish");
  if (publish) await deliverPublish(store, targets, publish, transaction);
}

async function deliverPublish(
  store: JobStore,
  targets: PublishTargets,
  row: OutboxRow,
  transaction: <T>(fn: () => T) => T,
): Promise<void> {
  const upTo = store.lastEventSeq();
  try {
    while (!(await publishEvents(store, targets, transaction, upTo))) {
      // Another page of events is waiting.
    }
  } catch (error) {
    log("error", "publishing events failed", { ...jobLogContext(store.job()), error: errorText(error) });
    transaction(() => {
      store.postponeOutbox(row.id, Date.now() + backoffMs(row.attempts));
    });
    return;
  }
  // Events appended while publishing re-armed the row with a new due time: keep it for them.
  transaction(() => {
    if ((store.job()?.published_seq ?? 0) >= store.lastEventSeq()) store.deleteOutbox([row.id]);
  });
}

/** A dispatch row of a file still waiting for a message, with the generation that message carries. */
type LiveDispatch = OutboxRow & { generation: number };

/** Rows of files still waiting for a message; rows for anything else are dropped. */
function liveDispatches(
  store: JobStore,
  rows: OutboxRow[],
  transaction: <T>(fn: () => T) => T,
): LiveDispatch[] {
  const live: LiveDispatch[] = [];
  const stale: OutboxRow["id"][] = [];
  for (const row of rows) {
    const file = store.file(row.ref);
    if (file?.status === "pending") live.push({ ...row, generation: (file.generation ?? 0) + 1 });
    else stale.push(row.id);
  }
  if (stale.length > 0) {
    transaction(() => {
      store.deleteOutbox(stale);
    });
  }
  return live;
}

async function deliverDispatches(
  store: JobStore,
  targets: OutboxTargets,
  now: number,
  transaction: <T>(fn: () => T) => T,
  refreshSlots: boolean,
): Promise<void> {
  const job = store.job();
  if (!job) return;
  const wanted = store.countDispatchCandidates(now);
  let budget: number;
  try {
    budget = await dispatchBudget(store, targets.limiter, wanted, targets.slots, transaction, refreshSlots);
  } catch (error) {
    log("error", "concurrency slots unavailable", { ...jobLogContext(job), error: errorText(error) });
    postpone(store, store.dispatchCandidates(now, MAX_ROWS_PER_DRAIN), transaction);
    return;
  }
  // Over the tenant's cap, the rest wait (not due, so the alarm stays quiet) until slots free up
  // and the limiter wakes the job.
  const live = liveDispatches(
    store,
    store.dispatchCandidates(now, Math.min(budget, MAX_ROWS_PER_DRAIN)),
    transaction,
  );
  if (budget < wanted) {
    transaction(() => {
      store.deferDueDispatches(now, now + SLOT_WAIT_MS, new Set(live.map((row) => row.id)));
    });
  }
  const queue = targets.tasks;
  for (let start = 0; start < live.length; start += SEND_BATCH_LIMIT) {
    const chunk = live.slice(start, start + SEND_BATCH_LIMIT);
    const messages = chunk.map((row) => ({
      body: {
        v: 1,
        tenantId: job.tenant_id,
        jurisdiction: job.jurisdiction,
        jobId: job.id,
        fileId: row.ref,
        traceId: job.trace_id ?? undefined,
        generation: row.generation,
      } satisfies TaskMessage,
      contentType: "json" as const,
    }));
    try {
      if (!faultAt("dispatch.drop")) await sendTaskBatch(queue, messages);
    } catch (error) {
      log("error", "dispatch failed", {
        ...jobLogContext(job),
        files: chunk.length,
        error: errorText(error),
      });
      postpone(store, live.slice(start), transaction);
      return;
    }
    const sentAt = Date.now();
    transaction(() => {
      store.deleteOutbox(chunk.map((row) => row.id));
      for (const row of chunk) store.markDispatched(row.ref, sentAt, row.generation);
    });
  }
}

function postpone(store: JobStore, rows: OutboxRow[], transaction: <T>(fn: () => T) => T): void {
  const now = Date.now();
  transaction(() => {
    for (const row of rows) store.postponeOutbox(row.id, now + backoffMs(row.attempts));
  });
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
    log("error", "projection failed", { ...jobLogContext(job), error: errorText(error) });
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
