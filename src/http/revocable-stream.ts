/**
 * Ends a long-lived response stream when the API key that opened it stops being valid. Authentication
 * happens once per request, but a live event stream (SSE) can stay open for hours; so the stream asks
 * `stillAuthorized` every `everyMs` and, once the key is revoked (or its tenant gone), writes a last
 * comment saying why and closes. An EventSource then reconnects with the revoked key and gets 401.
 * A failed check (D1 unavailable) keeps the stream: the next check decides.
 */
const encoder = new TextEncoder();

export function endWhenUnauthorized(
  source: ReadableStream<Uint8Array>,
  stillAuthorized: () => Promise<boolean>,
  everyMs: number,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let ended = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = (controller: ReadableStreamDefaultController<Uint8Array>, last?: string): void => {
    if (ended) return;
    ended = true;
    if (timer !== null) clearInterval(timer);
    if (last !== undefined) controller.enqueue(encoder.encode(last));
    controller.close();
    reader.cancel("the API key was revoked").catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      timer = setInterval(() => {
        stillAuthorized().then(
          (authorized) => {
            if (!authorized) stop(controller, ": the API key was revoked\n\n");
          },
          () => undefined,
        );
      }, everyMs);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (ended) return;
      if (done) stop(controller);
      else controller.enqueue(value);
    },
    cancel(reason) {
      ended = true;
      if (timer !== null) clearInterval(timer);
      return reader.cancel(reason);
    },
  });
}
