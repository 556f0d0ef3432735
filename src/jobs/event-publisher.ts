/**
 * Publishes a job's events, in order, to the `events` queue (for any Worker that wants the stream,
 * with acknowledgements and stable event ids) and, when the job has a webhook endpoint, to the
 * webhooks queue for signed delivery. Progress is `job.published_seq`: events past it are sent, then
 * it moves forward. A crash between the two re-sends a page: consumers see each event at least once.
 */
import { SEND_BATCH_LIMIT } from "../queue/messages";
import type { EventObject } from "../schemas/jobs";
import type { WebhookMessage } from "../webhooks/messages";
import type { JobStore } from "./job-store";
import { eventObject } from "./job-view";

export interface PublishTargets {
  events: Queue;
  webhooks: Queue;
}

/** What the events queue carries: the event and whose it is. */
export interface PublishedEvent {
  tenantId: string;
  event: EventObject;
}

/** Sends one page of unpublished events; true when everything up to the last event is published. */
export async function publishEvents(
  store: JobStore,
  targets: PublishTargets,
  transaction: <T>(fn: () => T) => T,
): Promise<boolean> {
  const job = store.job();
  if (!job) return true;
  const rows = store.events(job.published_seq, SEND_BATCH_LIMIT);
  const last = rows[rows.length - 1];
  if (!last) return true;
  const events = rows.map((row) => eventObject(job.id, row));
  await targets.events.sendBatch(
    events.map((event) => ({
      body: { tenantId: job.tenant_id, event } satisfies PublishedEvent,
      contentType: "json" as const,
    })),
  );
  const endpointId = job.webhook_endpoint_id;
  if (endpointId !== null) {
    await targets.webhooks.sendBatch(
      events.map((event) => ({
        body: {
          v: 1,
          tenantId: job.tenant_id,
          endpointId,
          event,
        } satisfies WebhookMessage,
        contentType: "json" as const,
      })),
    );
  }
  transaction(() => {
    store.updateJob({ published_seq: last.seq });
  });
  return last.seq >= store.lastEventSeq();
}
