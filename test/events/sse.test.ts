import { afterEach, describe, expect, it } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { deliver, delivery, taskMessage } from "../helpers/jobs";
import { eventsOf, readSse } from "../helpers/sse";

afterEach(() => {
  disarmFaults();
});

const stream = (jobId: string, headers: Record<string, string> = {}) =>
  api(`/v1/jobs/${jobId}/events`, { headers: { Accept: "text/event-stream", ...headers } });

describe("live events over SSE", () => {
  it("streams every event as it happens, with id = seq, and ends after the terminal event", async () => {
    const file = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg");
    armFault("dispatch.drop");
    const job = await json<JobObject>(
      await createJob({ files: [file.id], stages: ["extract", "thumbnail"] }),
      202,
    );

    const response = await stream(job.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/event-stream");

    // The job is waiting (its message was dropped); once the stream shows the creation, deliver it.
    let delivered: Promise<unknown> | undefined;
    const frames = await readSse(response, (frame) => {
      if (frame.data?.includes('"job.created"'))
        delivered = deliver("sluice-tasks", [delivery(taskMessage(job.id, file.id))]);
    });
    await delivered;

    expect(frames[0]?.retry).toBe("3000");
    const events = eventsOf(frames);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(frames.filter((frame) => frame.data).map((frame) => frame.id)).toEqual(
      events.map((event) => String(event.seq)),
    );
    expect(events.at(-1)?.type).toBe("job.completed");

    const listed = await json<{ events: { seq: number; type: string }[] }>(
      await api(`/v1/jobs/${job.id}/events`),
      200,
    );
    expect(events).toEqual(listed.events);
  });

  it("resumes after Last-Event-ID with exactly the missing events", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    const all = eventsOf(await readSse(await stream(job.id)));
    expect(all.at(-1)?.type).toBe("job.completed");

    for (const lastSeen of [0, 1, 3, all.length - 1, all.length]) {
      const resumed = eventsOf(await readSse(await stream(job.id, { "Last-Event-ID": String(lastSeen) })));
      expect(resumed).toEqual(all.slice(lastSeen));
    }
    // `after` works the same for clients that cannot set headers.
    const viaQuery = eventsOf(
      await readSse(
        await api(`/v1/jobs/${job.id}/events?after=2`, { headers: { Accept: "text/event-stream" } }),
      ),
    );
    expect(viaQuery).toEqual(all.slice(2));
  });

  it("answers 404 for an unknown job and 400 for a malformed Last-Event-ID", async () => {
    expect((await stream("job_01ARZ3NDEKTSV4RRFFQ69G5FAV")).status).toBe(404);
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    expect((await stream(job.id, { "Last-Event-ID": "abc" })).status).toBe(400);
  });
});
