/**
 * Live event streams (Server-Sent Events) served by a Job DO. Each subscriber gets the events after
 * the seq it asked for, then every new event as the job records it: the DO calls `notify()` after each
 * change, so nothing polls storage. A stream ends after the job's terminal event; a comment line every
 * 15 s keeps idle connections open. A subscriber that stops reading is dropped rather than buffered
 * without bound; it reconnects with Last-Event-ID and loses nothing.
 */
import type { EventObject } from "../schemas/jobs";

export interface EventSource {
  /** Events after `afterSeq` (up to `limit`), and whether the job has ended. */
  read(afterSeq: number, limit: number): { events: EventObject[]; ended: boolean } | null;
}

interface Subscriber {
  writer: WritableStreamDefaultWriter<ArrayBuffer | ArrayBufferView>;
  lastSeq: number;
  flushing: Promise<void>;
  keepAlive: ReturnType<typeof setInterval>;
  closed: boolean;
}

const KEEP_ALIVE_MS = 15_000;
const PAGE = 500;
/** How much may wait unread for one subscriber before it is dropped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const encoder = new TextEncoder();

export const sseFrame = (event: EventObject): string =>
  `id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;

export class EventStreams {
  private readonly subscribers = new Set<Subscriber>();

  constructor(private readonly source: EventSource) {}

  get size(): number {
    return this.subscribers.size;
  }

  open(afterSeq: number): ReadableStream<Uint8Array> {
    // A native byte stream: it can cross the RPC boundary to the Worker and on to the client.
    const { readable, writable } = new IdentityTransformStream({ highWaterMark: MAX_BUFFERED_BYTES });
    const subscriber: Subscriber = {
      writer: writable.getWriter(),
      lastSeq: afterSeq,
      flushing: Promise.resolve(),
      keepAlive: setInterval(() => {
        this.write(subscriber, ": keep-alive\n\n");
      }, KEEP_ALIVE_MS),
      closed: false,
    };
    this.subscribers.add(subscriber);
    subscriber.writer.closed
      .catch(() => undefined)
      .finally(() => {
        this.close(subscriber);
      });
    this.write(subscriber, "retry: 3000\n\n");
    this.flush(subscriber);
    return readable;
  }

  /** Ends every stream (the job is being deleted). */
  closeAll(): void {
    for (const subscriber of this.subscribers) this.close(subscriber);
  }

  /** Sends every subscriber what it has not seen yet. */
  notify(): void {
    for (const subscriber of this.subscribers) this.flush(subscriber);
  }

  private flush(subscriber: Subscriber): void {
    subscriber.flushing = subscriber.flushing.then(() => {
      for (;;) {
        if (subscriber.closed) return;
        const page = this.source.read(subscriber.lastSeq, PAGE);
        if (!page) {
          this.close(subscriber);
          return;
        }
        for (const event of page.events) {
          this.write(subscriber, sseFrame(event));
          subscriber.lastSeq = event.seq;
        }
        if (page.events.length < PAGE) {
          if (page.ended) this.close(subscriber);
          return;
        }
      }
    });
  }

  private write(subscriber: Subscriber, text: string): void {
    if (subscriber.closed) return;
    if ((subscriber.writer.desiredSize ?? 0) <= 0) {
      // The client is not reading: drop it (it can resume with Last-Event-ID).
      this.close(subscriber, true);
      return;
    }
    subscriber.writer.write(encoder.encode(text)).catch(() => {
      this.close(subscriber);
    });
  }

  private close(subscriber: Subscriber, abort = false): void {
    if (subscriber.closed) return;
    subscriber.closed = true;
    clearInterval(subscriber.keepAlive);
    this.subscribers.delete(subscriber);
    const done = abort ? subscriber.writer.abort("slow consumer") : subscriber.writer.close();
    done.catch(() => undefined);
  }
}
