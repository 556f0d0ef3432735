import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { JobObject } from "../../src/schemas/jobs";
import { adminTenant, api, call, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { jobDurableObject } from "../helpers/jobs";
import { runInDurableObject } from "cloudflare:test";

const DAY = 24 * 60 * 60 * 1000;

async function processedFile(name: string, key?: string) {
  const file = await upload(await fixture("image/imagers_progressive_cat.jpg"), name, "image/jpeg", key);
  const job = await json<JobObject>(
    await createJob({ files: [file.id], stages: ["extract", "thumbnail"] }, key),
    202,
  );
  await waitForJob(job.id, key);
  return { fileId: file.id, jobId: job.id };
}

/** Makes a file and its job look `days` old (as if uploaded and run back then). */
async function age(tenantId: string, item: { fileId: string; jobId: string }, days: number) {
  const at = Date.now() - days * DAY;
  await env.DB.batch([
    env.DB.prepare("UPDATE files SET created_at = ?, last_used_at = ? WHERE tenant_id = ? AND id = ?").bind(
      at,
      at,
      tenantId,
      item.fileId,
    ),
    env.DB.prepare("UPDATE jobs SET created_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?").bind(
      at,
      at,
      tenantId,
      item.jobId,
    ),
  ]);
}

const objectsUnder = async (prefix: string) => (await env.FILES.list({ prefix })).objects.length;
const doIsEmpty = (jobId: string, tenantId = "dev") =>
  runInDurableObject(
    jobDurableObject(jobId, tenantId),
    (_instance, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'job'").toArray()
        .length === 0,
  );

async function runScheduled() {
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("retention", () => {
  it("deletes expired files and jobs everywhere, keeps fresh ones, and is idempotent", async () => {
    const old = await processedFile("old.jpg");
    const fresh = await processedFile("fresh.jpg");
    await age("dev", old, 31);
    await age("dev", fresh, 2);

    await runScheduled();

    expect((await api(`/v1/files/${old.fileId}`)).status).toBe(404);
    expect((await api(`/v1/jobs/${old.jobId}`)).status).toBe(404);
    expect(await objectsUnder(`t/dev/f/${old.fileId}/`)).toBe(0);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM jobs WHERE id = ?").bind(old.jobId).first("n"),
    ).toBe(0);
    expect(await doIsEmpty(old.jobId)).toBe(true);

    expect((await api(`/v1/files/${fresh.fileId}`)).status).toBe(200);
    expect((await json<JobObject>(await api(`/v1/jobs/${fresh.jobId}`), 200)).status).toBe("completed");
    expect(await objectsUnder(`t/dev/f/${fresh.fileId}/`)).toBeGreaterThan(1);

    await runScheduled();
    expect((await api(`/v1/files/${fresh.fileId}`)).status).toBe(200);
  });

  it("follows each tenant's retention setting", async () => {
    const key = await adminTenant({ id: "short-lived", settings: { retentionDays: 1 } });
    const item = await processedFile("brief.jpg", key);
    await age("short-lived", item, 2);
    const devItem = await processedFile("dev.jpg");
    await age("dev", devItem, 2);

    await runScheduled();
    expect((await call(key, `/v1/files/${item.fileId}`)).status).toBe(404);
    expect((await call(key, `/v1/jobs/${item.jobId}`)).status).toBe(404);
    expect((await api(`/v1/files/${devItem.fileId}`)).status).toBe(200);
  });
});

describe("DELETE /v1/jobs/{id}", () => {
  it("removes the job's outputs and state but keeps the files", async () => {
    const item = await processedFile("keep-me.jpg");
    expect(await objectsUnder(`t/dev/f/${item.fileId}/jobs/${item.jobId}/`)).toBeGreaterThan(0);
    expect((await api(`/v1/jobs/${item.jobId}`, { method: "DELETE" })).status).toBe(204);
    expect(await objectsUnder(`t/dev/f/${item.fileId}/jobs/${item.jobId}/`)).toBe(0);
    expect(await objectsUnder(`t/dev/f/${item.fileId}/source`)).toBe(1);
    expect((await api(`/v1/jobs/${item.jobId}`)).status).toBe(404);
    expect((await api(`/v1/jobs/${item.jobId}/events`)).status).toBe(404);
    const listed = await json<{ jobs: { id: string }[] }>(await api("/v1/jobs?limit=100"), 200);
    expect(listed.jobs.map((job) => job.id)).not.toContain(item.jobId);
    expect((await api(`/v1/jobs/${item.jobId}`, { method: "DELETE" })).status).toBe(404);
  });
});
