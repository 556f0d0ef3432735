import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

interface Published {
  tenantId: string;
  messageId: string;
  event: { id: string; seq: number; type: string; jobId: string };
}

describe("the events queue", () => {
  it("carries every event of a job, in order and with stable ids, to another Worker, several to a message", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    await waitForJob(job.id);
    const listed = await json<{ events: { id: string; seq: number; type: string }[] }>(
      await api(`/v1/jobs/${job.id}/events`),
      200,
    );

    const received = await vi.waitFor(
      async () => {
        const response = await env.EVENTS_SINK.fetch(`http://sink/events?jobId=${job.id}`);
        const bodies = await response.json<Published[]>();
        if (bodies.length < listed.events.length) throw new Error(`only ${bodies.length} events so far`);
        return bodies;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(received.every((body) => body.tenantId === "dev")).toBe(true);
    // Events written by one change of the job travel together (a claim's, a report's).
    const messages = new Set(received.map((body) => body.messageId));
    expect(messages.size).toBeLessThan(listed.events.length);
    // At least once: every event arrived; its id identifies duplicates if there are any.
    const unique = [...new Map(received.map((body) => [body.event.id, body.event])).values()];
    expect(unique.map((event) => ({ id: event.id, seq: event.seq, type: event.type }))).toEqual(
      listed.events.map((event) => ({ id: event.id, seq: event.seq, type: event.type })),
    );
  });
});
