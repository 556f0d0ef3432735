import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import { extractStage } from "../../src/pipeline/extract";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { ageJob, jobDurableObject, runAlarm, sql } from "../helpers/jobs";

afterEach(() => {
  disarmFaults();
  vi.restoreAllMocks();
});

const status = async (jobId: string) => (await json<JobObject>(await api(`/v1/jobs/${jobId}`), 200)).status;

describe("recovery by the Job DO's alarm", () => {
  it("re-sends a task whose message the queue lost, and the job completes", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("dispatch.drop");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    expect(await status(job.id)).toBe("pending");
    // A running job always has its alarm set: that is what will find the lost message.
    expect(await alarmOf(job.id)).not.toBeNull();
    expect(await sql(job.id, "SELECT dispatches FROM files")).toEqual([{ dispatches: 1 }]);

    await ageJob(job.id);
    expect(await runAlarm(job.id)).toBe(true);
    const done = await waitForJob(job.id);
    expect(done.status).toBe("completed");
    expect(await sql(job.id, "SELECT dispatches FROM files")).toEqual([{ dispatches: 2 }]);
  });

  it("hands the file of a consumer that died after claiming to another consumer", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("consumer.after_claim");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    await expect.poll(() => status(job.id)).toBe("processing");
    // Until the lease runs out, the alarm leaves the file to its (dead) holder.
    expect(await runAlarm(job.id)).toBe(true);
    expect(await status(job.id)).toBe("processing");

    await ageJob(job.id);
    expect(await runAlarm(job.id)).toBe(true);
    const done = await waitForJob(job.id);
    expect(done.status).toBe("completed");
    expect(done.files[0]?.attempts).toBe(2);
    expect(done.files[0]?.stages.extract).toMatchObject({ status: "completed", attempts: 2 });
  });

  it("fails a file that never finishes within its attempts, so the job still ends", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("consumer.after_claim", 100);
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    for (let round = 0; round < 20 && (await status(job.id)) !== "failed"; round++) {
      await expect
        .poll(async () => (await sql<{ s: string }>(job.id, "SELECT status AS s FROM files"))[0]?.s)
        .not.toBe("pending");
      await ageJob(job.id);
      await runAlarm(job.id);
    }
    const done = await json<JobObject>(await api(`/v1/jobs/${job.id}`), 200);
    expect(done.status).toBe("failed");
    expect(done.files[0]?.stages.extract?.error?.code).toBe("retries_exhausted");
    expect(done.files[0]?.attempts).toBe(8);
  });

  it("re-arms the alarm of a running job when it is touched and has none", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("dispatch.drop");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    await runInDurableObject(jobDurableObject(job.id), (_instance, state) => state.storage.deleteAlarm());
    expect(await alarmOf(job.id)).toBeNull();
    await api(`/v1/jobs/${job.id}`);
    expect(await alarmOf(job.id)).not.toBeNull();
  });
});

describe("poison messages", () => {
  it("a stage that keeps failing transiently ends in the dead-letter queue and the job ends", async () => {
    const good = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const poisoned = await upload(await fixture("text/libjpeg-turbo_README.md"), "poisoned.md");
    const run = extractStage.run.bind(extractStage);
    const spy = vi.spyOn(extractStage, "run").mockImplementation(async (input) => {
      if (input.file.id === poisoned.id) throw new Error("the backend is down");
      return run(input);
    });
    const job = await json<JobObject>(
      await createJob({ files: [good.id, poisoned.id], stages: ["extract"] }),
      202,
    );
    const done = await waitForJob(job.id);
    expect(done.status).toBe("completed_with_errors");
    expect(done.files[0]?.status).toBe("completed");
    const extract = done.files[1]?.stages.extract;
    expect(extract?.error?.code).toBe("retries_exhausted");
    expect(extract?.error?.message).toContain("the backend is down");
    // wrangler.toml: max_retries = 5, so the queue delivered the message 6 times before dead-lettering it.
    expect(spy.mock.calls.filter(([input]) => input.file.id === poisoned.id)).toHaveLength(6);
    expect(extract?.attempts).toBe(6);
  });
});

async function alarmOf(jobId: string): Promise<number | null> {
  return runInDurableObject(jobDurableObject(jobId), (_instance, state) => state.storage.getAlarm());
}
