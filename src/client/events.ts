/**
 * Following a job's events to its end. The live way is the Server-Sent Events stream of
 * GET /v1/jobs/{id}/events (read with fetch, so the API key travels in a header, which EventSource
 * cannot do); a dropped stream is resumed with `Last-Event-ID`, so no event is missed or repeated.
 * When streaming does not work (a proxy that buffers or refuses it, repeated failures), the same events
 * are read by polling the JSON pages of that route. Either way the iterator yields each event once, in
 * `seq` order, and returns when the job has ended.
 */
import { createParser } from "eventsource-parser";
import { SluiceApiError, SluiceError } from "./errors";
import { sleep, type Transport } from "./transport";
import { TERMINAL_EVENT_TYPES, type EventPage, type JobEvent } from "./types";

export interface FollowOptions {
  /** Start after this `seq` (default 0: every event from the beginning). */
  after?: number | undefined;
  /** `sse`, `poll`, or `auto` (default): SSE, falling back to polling when streaming fails. */
  transport?: "auto" | "sse" | "poll" | undefined;
  /** Time between polls when no new events arrived (default 1000 ms). */
  pollIntervalMs?: number | undefined;
  /** Stream failures in a row before `auto` switches to polling (default 3). */
  maxStreamFailures?: number | undefined;
  /** Told when the transport changes (e.g. to show "polling" in a UI). */
  onTransport?: ((transport: "sse" | "poll") => void) | undefined;
  signal?: AbortSignal | undefined;
}

const POLL_PAGE = 500;

export async function* followEvents(
  transport: Transport,
  jobId: string,
  options: FollowOptions = {},
): AsyncGenerator<JobEvent, void, undefined> {
  let after = options.after ?? 0;
  let mode: "sse" | "poll" = options.transport === "poll" ? "poll" : "sse";
  let failures = 0;
  const maxFailures = options.maxStreamFailures ?? 3;
  options.onTransport?.(mode);
  const path = `/v1/jobs/${encodeURIComponent(jobId)}/events`;

  while (mode === "sse") {
    let last: JobEvent | undefined;
    try {
      for await (const event of streamEvents(transport, path, after, options.signal)) {
        if (event.seq <= after) continue;
        after = event.seq;
        last = event;
        failures = 0;
        yield event;
      }
      // The server ends the stream right after the job's terminal event; any other end is a cut.
      if (last && TERMINAL_EVENT_TYPES.includes(last.type)) return;
      if (!last && (await hasEnded(transport, path, after, options.signal))) return;
      failures++;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (error instanceof SluiceApiError && !isTransient(error)) throw error;
      failures++;
    }
    if (failures >= maxFailures) {
      if (options.transport === "sse") {
        throw new SluiceError(`the event stream of ${jobId} failed ${failures} times in a row`);
      }
      mode = "poll";
      options.onTransport?.(mode);
      break;
    }
    await sleep(transport.backoff(failures), options.signal);
  }

  for (;;) {
    const page = await transport.json<EventPage>({
      method: "GET",
      path,
      query: { after, limit: POLL_PAGE },
      signal: options.signal,
    });
    for (const event of page.events) {
      if (event.seq <= after) continue;
      after = event.seq;
      yield event;
    }
    if (page.ended) return;
    if (page.events.length < POLL_PAGE) await sleep(options.pollIntervalMs ?? 1000, options.signal);
  }
}

/** One SSE connection: the events it delivers until the server (or the network) ends it. */
async function* streamEvents(
  transport: Transport,
  path: string,
  after: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<JobEvent, void, undefined> {
  const headers: Record<string, string> = { Accept: "text/event-stream" };
  if (after > 0) headers["Last-Event-ID"] = String(after);
  const response = await transport.send({ method: "GET", path, headers, signal, retry: false });
  if (!/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "") || !response.body) {
    await response.body?.cancel();
    throw new SluiceError("the server did not answer with an event stream");
  }
  const parsed: JobEvent[] = [];
  const parser = createParser({
    onEvent: (message) => {
      if (message.data) parsed.push(JSON.parse(message.data) as JobEvent);
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(value);
      yield* parsed.splice(0);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Whether the job has ended with no events after `after` (an empty stream that closed at once). */
async function hasEnded(
  transport: Transport,
  path: string,
  after: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const page = await transport.json<EventPage>({ method: "GET", path, query: { after, limit: 1 }, signal });
  return page.ended && page.events.length === 0;
}

const isTransient = (error: SluiceApiError): boolean =>
  error.status === 429 || error.status >= 500 || error.code === "unexpected_response";
