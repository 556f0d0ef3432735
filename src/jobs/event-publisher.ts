/**
 * Publishes a job's events, in order, to the `events` queue (for any Worker that wants the stream,
 * with acknowledgements and stable event ids; consecutive events of a job share a message) and, when
 * the job has a webhook endpoint, to the webhooks queue for signed delivery (one message per event,
 * since each is one delivery). Progress is `job.published_seq`: events past it are sent, then
 * it moves forward. A crash between the two re-sends a page: consumers see each event at least once.
 */
import { SEND_BATCH_LIMIT } from "../queue/messages";
import type { EventObject } from "../schemas/jobs";
import type { WebhookMessage } from "../webhooks/messages";
import type { JobStore } from "./job-store";
import { eventObject } from "./job-view";
import { jsonBytes, MESSAGE_BYTES_BUDGET, packBySize, SEND_BYTES_BUDGET } from "./event-pages";

export interface PublishTargets {
  events: Queue;
  webhooks: Queue;
}

/** What one events-queue message carries: consecutive events of one job, in order, and whose they are. */
export interface PublishedEvents {
  v: 1;
  tenantId: string;
  jobId: string;
  events: EventObject[];
}

/**
 * Sends one page of the unpublished events up to `upTo`; true when everything up to it is published.
 * A delivery publishes what existed when it began: events appended meanwhile belong to the delivery
 * their own change asks for, so a caller waiting for its delivery never waits for later ones.
 */
export async function publishEvents(
  store: JobStore,
  targets: PublishTargets,
  transaction: <T>(fn: () => T) => T,
  upTo: number,
): Promise<boolean> {
  const job = store.job();
  if (!job) return true;
  if (job.published_seq >= upTo) return true;
  const rows = store.events(job.published_seq, SEND_BATCH_LIMIT).filter((row) => row.seq <= upTo);
  const last = rows[rows.length - 1];
  if (!last) return true;
  const events = rows.map((row) => eventObject(job.id, row));
  // Each event is measured once; a message's size is its events' plus the envelope around them.
  const eventBytes = new Map(events.map((event) => [event, jsonBytes(event)]));
  const envelope: PublishedEvents = { v: 1, tenantId: job.tenant_id, jobId: job.id, events: [] };
  const envelopeBytes = jsonBytes(envelope);
  const messages = packBySize(events, MESSAGE_BYTES_BUDGET, (event) => eventBytes.get(event) ?? 0).map(
    (page) => ({
      body: { ...envelope, events: page },
      contentType: "json" as const,
      // Events are joined by commas inside the envelope's brackets.
      bytes: page.reduce((sum, event) => sum + (eventBytes.get(event) ?? 0) + 1, envelopeBytes),
    }),
  );
  for (const send of packBySize(messages, SEND_BYTES_BUDGET, (message) => message.bytes))
    await targets.events.sendBatch(send.map(({ body, contentType }) => ({ body, contentType })));
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
  return last.seq >= upTo;
}
