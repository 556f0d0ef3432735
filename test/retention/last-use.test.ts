import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { runRetention } from "../../src/retention/sweep";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { countingBucket, envWithBucket } from "../helpers/counting-bucket";
import { fixture } from "../helpers/fixtures";

const DAY = 24 * 60 * 60 * 1000;

async function processedFile(name: string) {
  const file = await upload(await fixture("image/imagers_progressive_cat.jpg"), name, "image/jpeg");
  const job = await json<JobObject>(
    await createJob({ files: [file.id], stages: ["extract", "thumbnail"] }),
    202,
  );
  expect((await waitForJob(job.id)).status).toBe("completed");
  return { fileId: file.id, jobId: job.id };
}

/** Makes a file's upload and last use, and one job's creation and last change, `days` old. */
async function age(item: { fileId: string; jobId: string }, days: number) {
  const at = Date.now() - days * DAY;
  await env.DB.batch([
    env.DB.prepare(
      "UPDATE files SET created_at = ?, last_used_at = ? WHERE tenant_id = 'dev' AND id = ?",
    ).bind(at, at, item.fileId),
    env.DB.prepare("UPDATE jobs SET created_at = ?, updated_at = ? WHERE tenant_id = 'dev' AND id = ?").bind(
      at,
      at,
      item.jobId,
    ),
  ]);
}

const objectsUnder = async (prefix: string) => (await env.FILES.list({ prefix })).objects.length;

async function runScheduled() {
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("retention ages a file from its last use", () => {
  it("keeps an old file that a fresh job uses, with the fresh job's outputs; the old job goes", async () => {
    const old = await processedFile("reused.jpg");
    await age(old, 40);
    // Forty days after its upload, a new job runs over the same file.
    const fresh = await json<JobObject>(
      await createJob({ files: [old.fileId], stages: ["extract", "thumbnail"] }),
      202,
    );
    expect((await waitForJob(fresh.id)).status).toBe("completed");
    await runScheduled();

    expect((await api(`/v1/jobs/${old.jobId}`)).status).toBe(404);
    expect(await objectsUnder(`t/dev/f/${old.fileId}/jobs/${old.jobId}/`)).toBe(0);
    expect((await api(`/v1/files/${old.fileId}`)).status).toBe(200);
    expect((await json<JobObject>(await api(`/v1/jobs/${fresh.id}`), 200)).status).toBe("completed");
    expect(await objectsUnder(`t/dev/f/${old.fileId}/jobs/${fresh.id}/`)).toBeGreaterThan(0);
    const thumbnail = await api(`/v1/jobs/${fresh.id}/files/${old.fileId}/outputs/thumbnail-256.jpg`);
    expect(thumbnail.status).toBe(200);
    await thumbnail.body?.cancel();
    // What kept it: the fresh job marked the file used.
    const lastUsed = await env.DB.prepare("SELECT last_used_at FROM files WHERE id = ?")
      .bind(old.fileId)
      .first<number>("last_used_at");
    expect(lastUsed).toBeGreaterThan(Date.now() - DAY);
  });

  it("keeps a file whose job changed recently (a retry uses the file again)", async () => {
    const item = await processedFile("retried.jpg");
    await age(item, 40);
    // The job changed yesterday (as a retry or re-drive would), the file's upload is 40 days old.
    await env.DB.prepare("UPDATE jobs SET updated_at = ? WHERE id = ?")
      .bind(Date.now() - DAY, item.jobId)
      .run();
    await runScheduled();
    expect((await api(`/v1/files/${item.fileId}`)).status).toBe(200);
    expect((await api(`/v1/jobs/${item.jobId}`)).status).toBe(200);
  });
});

describe("retention isolates each item's failure", () => {
  it("continues past an item it cannot delete, and a later run deletes it", async () => {
    const failing = await processedFile("stuck.jpg");
    const other = await processedFile("other.jpg");
    // The failing item is the oldest, so it comes first in the sweep.
    await age(failing, 41);
    await age(other, 40);
    const storage = countingBucket(env.FILES, failing.fileId);

    const report = await runRetention(envWithBucket(env, storage.bucket), Date.now());

    expect(report).toMatchObject({ jobs: 1, files: 1, failed: 2 });
    expect((await api(`/v1/files/${other.fileId}`)).status).toBe(404);
    expect((await api(`/v1/jobs/${other.jobId}`)).status).toBe(404);
    expect(await objectsUnder(`t/dev/f/${other.fileId}/`)).toBe(0);
    // What failed is still whole: the file and its bytes are there, the DELETE can be repeated.
    expect((await api(`/v1/files/${failing.fileId}`)).status).toBe(200);
    expect(await objectsUnder(`t/dev/f/${failing.fileId}/source`)).toBe(1);

    // The storage is back: the next run deletes what failed.
    const next = await runRetention(env, Date.now());
    expect(next).toMatchObject({ failed: 0 });
    expect((await api(`/v1/files/${failing.fileId}`)).status).toBe(404);
    expect((await api(`/v1/jobs/${failing.jobId}`)).status).toBe(404);
    expect(await objectsUnder(`t/dev/f/${failing.fileId}/`)).toBe(0);
  });
});

describe("retention in bounded steps", () => {
  it("stops at its budget and the next run continues where the work is left", async () => {
    const items = [await processedFile("a.jpg"), await processedFile("b.jpg")];
    await age(items[0] ?? { fileId: "", jobId: "" }, 45);
    await age(items[1] ?? { fileId: "", jobId: "" }, 44);
    // Two jobs and two files are due; a budget of three leaves the newest file for the next run.
    const first = await runRetention(env, Date.now(), 3);
    expect(first).toEqual({ jobs: 2, files: 1, failed: 0 });
    expect((await api(`/v1/files/${items[0]?.fileId ?? ""}`)).status).toBe(404);
    expect((await api(`/v1/files/${items[1]?.fileId ?? ""}`)).status).toBe(200);
    const second = await runRetention(env, Date.now(), 3);
    expect(second).toEqual({ jobs: 0, files: 1, failed: 0 });
    expect((await api(`/v1/files/${items[1]?.fileId ?? ""}`)).status).toBe(404);
  });
});
