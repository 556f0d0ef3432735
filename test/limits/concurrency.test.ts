import { describe, expect, it } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { adminTenant, call, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { runInDurableObject } from "cloudflare:test";
import { jobDurableObject } from "../helpers/jobs";

async function filesFor(key: string, count: number): Promise<string[]> {
  const bytes = await fixture("text/libjpeg-turbo_README.md");
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await upload(bytes, `f${i}.md`, "text/markdown", key)).id);
  return ids;
}

/** The largest number of the job's files that were in flight at once, replayed from its events. */
async function maxInFlight(jobId: string, key: string): Promise<number> {
  const page = await json<{ events: { type: string; fileId?: string }[] }>(
    await call(key, `/v1/jobs/${jobId}/events?limit=1000`),
    200,
  );
  const open = new Set<string>();
  let max = 0;
  for (const event of page.events) {
    if (event.type === "job.stage_started" && event.fileId) open.add(event.fileId);
    if ((event.type === "job.file_completed" || event.type === "job.file_failed") && event.fileId)
      open.delete(event.fileId);
    max = Math.max(max, open.size);
  }
  return max;
}

/** Files of the job dispatched to the queue or processing, read from its Durable Object right now. */
const inFlightNow = (jobId: string, tenantId: string): Promise<number> =>
  runInDurableObject(jobDurableObject(jobId, tenantId), (_instance, state) => {
    const [row] = state.storage.sql
      .exec<{ n: number }>(
        "SELECT count(*) AS n FROM files WHERE status = 'processing' OR (status = 'pending' AND dispatched_at IS NOT NULL)",
      )
      .toArray();
    return row?.n ?? 0;
  });

describe("concurrency cap per tenant", () => {
  it("keeps a flooding tenant within its cap while another tenant's job goes straight through", async () => {
    const floodKey = await adminTenant({ id: "flood", settings: { maxConcurrentFiles: 2 } });
    const otherKey = await adminTenant({ id: "other", settings: { maxConcurrentFiles: 2 } });
    const flood = await json<JobObject>(
      await createJob({ files: await filesFor(floodKey, 12), stages: ["extract"] }, floodKey),
      202,
    );
    const other = await json<JobObject>(
      await createJob({ files: await filesFor(otherKey, 1), stages: ["extract"] }, otherKey),
      202,
    );

    const [floodDone, otherDone] = await Promise.all([
      waitForJob(flood.id, floodKey),
      waitForJob(other.id, otherKey),
    ]);
    expect(floodDone.status).toBe("completed");
    expect(floodDone.counts.completed).toBe(12);
    expect(otherDone.status).toBe("completed");
    expect(await maxInFlight(flood.id, floodKey)).toBeLessThanOrEqual(2);
    // The other tenant's file did not wait for the flood to drain.
    expect(Date.parse(otherDone.completedAt ?? "")).toBeLessThan(Date.parse(floodDone.completedAt ?? ""));
  });

  it("shares one cap across all jobs of a tenant", async () => {
    const key = await adminTenant({ id: "two-jobs", settings: { maxConcurrentFiles: 3 } });
    const jobs = await Promise.all(
      [0, 1].map(async () =>
        json<JobObject>(await createJob({ files: await filesFor(key, 8), stages: ["extract"] }, key), 202),
      ),
    );
    // Sample both jobs' in-flight files while they run.
    let observed = 0;
    const stop = new AbortController();
    const watching = (async () => {
      while (!stop.signal.aborted) {
        const total = (await Promise.all(jobs.map((job) => inFlightNow(job.id, "two-jobs")))).reduce(
          (a, b) => a + b,
          0,
        );
        observed = Math.max(observed, total);
        await scheduler.wait(10);
      }
    })();
    let finished: JobObject[];
    try {
      finished = await Promise.all(jobs.map((job) => waitForJob(job.id, key)));
    } finally {
      stop.abort();
      await watching;
    }
    expect(finished.map((job) => job.status)).toEqual(["completed", "completed"]);
    expect(observed).toBeGreaterThan(0);
    expect(observed).toBeLessThanOrEqual(3);
  });
});
