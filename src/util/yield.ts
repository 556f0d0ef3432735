/**
 * Lets other work of the isolate run before continuing. pdf.js without a worker thread answers its
 * own requests through promise callbacks only, so reading a long document never returns to the event
 * loop: requests, Durable Object calls and I/O completions of everything else sharing the isolate (all
 * of the Worker, under `wrangler dev`) would wait for the whole document. A timer of 0 ms is a real
 * turn of the event loop, and costs next to nothing in production.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
