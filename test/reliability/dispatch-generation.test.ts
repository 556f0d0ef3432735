import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { deliver, delivery, sql, taskMessage } from "../helpers/jobs";
import { allEvents, expectJobIntact } from "./helpers/integrity";

afterEach(() => {
  disarmFaults();
});

const generationOf = async (jobId: string, fileId: string) =>
  (await sql<{ generation: number }>(jobId, "SELECT generation FROM files WHERE file_id = ?", fileId))[0]
    ?.generation;

describe("dispatch generations", () => {
  it("counts every task message of a file and never goes back (a retry keeps counting)", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("dispatch.drop", 2);
    const created = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    expect(await generationOf(created.id, file.id)).toBe(1);
    await deliver("sluice-tasks-dlq", [delivery({ ...taskMessage(created.id, file.id), generation: 1 })]);
    await json(await api(`/v1/jobs/${created.id}/retry`, { method: "POST" }), 202);
    expect(await generationOf(created.id, file.id)).toBe(2);
  });

  it("a late dead letter of the first dispatch, arriving after a retry, changes nothing", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    // Both task messages (creation and retry) are lost, so the file is still waiting when the late
    // dead letter comes; the test then delivers the retry's message by hand.
    armFault("dispatch.drop", 2);
    const created = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    const first = { ...taskMessage(created.id, file.id), generation: 1 };
    await deliver("sluice-tasks-dlq", [delivery(first)]);
    expect((await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200)).status).toBe("failed");

    await json(await api(`/v1/jobs/${created.id}/retry`, { method: "POST" }), 202);
    const before = await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200);
    const eventsBefore = await allEvents(created.id);
    const lettersBefore = await env.DB.prepare("SELECT * FROM dead_letters WHERE job_id = ?")
      .bind(created.id)
      .all();
    expect(before.files[0]?.status).toBe("pending");

    // The first dispatch's dead letter again, late (the queue may deliver it twice or after a delay).
    await deliver("sluice-tasks-dlq", [delivery(first, 2)]);

    const after = await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200);
    expect(after.status).toBe(before.status);
    expect(after.files[0]?.status).toBe("pending");
    expect(after.files[0]?.stages.extract?.status).toBe("pending");
    expect(await allEvents(created.id)).toEqual(eventsBefore);
    const lettersAfter = await env.DB.prepare("SELECT * FROM dead_letters WHERE job_id = ?")
      .bind(created.id)
      .all();
    expect(lettersAfter.results).toEqual(lettersBefore.results);

    // The retry's own message still does its work, and the job ends completed.
    await deliver("sluice-tasks", [delivery({ ...taskMessage(created.id, file.id), generation: 2 })]);
    expect((await waitForJob(created.id)).status).toBe("completed");
    await expectJobIntact(created.id);
  });

  it("a dead letter of the current generation (or one without a generation) still fails the file", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("dispatch.drop", 2);
    const created = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    await deliver("sluice-tasks-dlq", [delivery({ ...taskMessage(created.id, file.id), generation: 1 })]);
    await json(await api(`/v1/jobs/${created.id}/retry`, { method: "POST" }), 202);
    await deliver("sluice-tasks-dlq", [delivery({ ...taskMessage(created.id, file.id), generation: 2 })]);
    const job = await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200);
    expect(job.status).toBe("failed");
    expect(job.files[0]?.stages.extract?.error?.code).toBe("retries_exhausted");
  });
});
