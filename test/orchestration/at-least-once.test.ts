import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { DEV_TENANT } from "../../src/http/auth";
import { jobStub } from "../../src/jobs/job-client";
import { deliver, delivery, sql, taskMessage } from "../helpers/jobs";

afterEach(() => {
  disarmFaults();
});

async function eventTypes(jobId: string): Promise<string[]> {
  const page = await json<{ events: { type: string }[] }>(
    await api(`/v1/jobs/${jobId}/events?limit=1000`),
    200,
  );
  return page.events.map((event) => event.type);
}

async function outputKeys(fileId: string): Promise<string[]> {
  const listed = await env.FILES.list({ prefix: `t/dev/f/${fileId}/jobs/` });
  return listed.objects.map((object) => object.key);
}

const EXPECTED_EVENTS = [
  "job.created",
  "job.started",
  "job.stage_started",
  "job.stage_started",
  "job.stage_completed",
  "job.stage_completed",
  "job.file_completed",
  "job.completed",
];

describe("at-least-once delivery", () => {
  it("two copies in one batch and a third concurrently give one output, one completion, one event each", async () => {
    const file = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg");
    // The queue's own delivery is dropped; the test delivers the message itself, three times.
    armFault("dispatch.drop");
    const job = await json<JobObject>(
      await createJob({ files: [file.id], stages: ["extract", "thumbnail"] }),
      202,
    );
    const body = taskMessage(job.id, file.id);

    const [batch, single] = await Promise.all([
      deliver("sluice-tasks", [delivery(body), delivery(body)]),
      deliver("sluice-tasks", [delivery(body)]),
    ]);
    expect(batch.outcome).toBe("ok");
    expect(single.outcome).toBe("ok");
    expect(batch.explicitAcks).toHaveLength(2);
    expect(batch.retryMessages).toEqual([]);

    const done = await waitForJob(job.id);
    expect(done.status).toBe("completed");
    expect(done.files[0]?.attempts).toBe(1);
    expect(done.files[0]?.stages.extract?.attempts).toBe(1);
    expect(await eventTypes(job.id)).toEqual(EXPECTED_EVENTS);
    expect(await outputKeys(file.id)).toHaveLength(1);
  });

  it("a message delivered again after the job ended changes nothing", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const job = await json<JobObject>(
      await createJob({ files: [file.id], stages: ["extract", "thumbnail"] }),
      202,
    );
    const before = await waitForJob(job.id);
    const eventsBefore = await eventTypes(job.id);
    const outputsBefore = await outputKeys(file.id);

    const body = taskMessage(job.id, file.id);
    const result = await deliver("sluice-tasks", [delivery(body, 2), delivery(body, 2)]);
    expect(result.explicitAcks).toHaveLength(2);

    const after = await json<JobObject>(await api(`/v1/jobs/${job.id}`), 200);
    expect({ ...after, updatedAt: before.updatedAt }).toEqual(before);
    expect(await eventTypes(job.id)).toEqual(eventsBefore);
    expect(await outputKeys(file.id)).toEqual(outputsBefore);
    const projection = await env.DB.prepare("SELECT count(*) AS n FROM jobs WHERE id = ?")
      .bind(job.id)
      .first<{ n: number }>();
    expect(projection?.n).toBe(1);
  });

  it("rejects a report that carries a stale lease token", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("dispatch.drop");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    const stub = jobStub(env, DEV_TENANT, job.id);
    const [claim] = await stub.claim([file.id]);
    expect(claim?.outcome).toBe("claimed");
    const token = claim?.outcome === "claimed" ? claim.token : -1;
    // The lease runs out and another consumer claims the file: the first one's token is now stale.
    await sql(job.id, "UPDATE files SET lease_expires_at = 1");
    const [second] = await stub.claim([file.id]);
    expect(second?.outcome === "claimed" && second.token).toBeGreaterThan(token);

    const report = (t: number) => ({
      fileId: file.id,
      token: t,
      tasks: [
        {
          stage: "extract" as const,
          status: "completed" as const,
          result: { from: t },
          outputs: [],
          durationMs: 1,
        },
      ],
    });
    expect(await stub.report([report(token)])).toEqual([
      { fileId: file.id, accepted: false, reason: "stale_lease" },
    ]);
    expect(await stub.report([report(second?.outcome === "claimed" ? second.token : -1)])).toEqual([
      { fileId: file.id, accepted: true },
    ]);
    const done = await json<JobObject>(await api(`/v1/jobs/${job.id}`), 200);
    expect(done.files[0]?.stages.extract?.result).toEqual({
      from: second?.outcome === "claimed" ? second.token : -1,
    });
  });
});
