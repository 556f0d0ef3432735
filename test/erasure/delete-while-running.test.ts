import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { extractStage } from "../../src/pipeline/extract";
import { indexStage } from "../../src/pipeline/indexing";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { search } from "../search/helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Holds the running consumer at the start of `extract` until the test lets it go, and notes when the
 * `index` stage after it has finished writing. The stages themselves run unchanged (real R2, real D1).
 * The consumer's progress is read by polling flags: a promise resolved from the consumer's request
 * does not wake the test's request in workerd.
 */
function holdExtract() {
  const seen = { started: false, indexed: false };
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const extract = extractStage.run.bind(extractStage);
  const index = indexStage.run.bind(indexStage);
  vi.spyOn(extractStage, "run").mockImplementation(async (input) => {
    seen.started = true;
    await gate;
    return extract(input);
  });
  vi.spyOn(indexStage, "run").mockImplementation(async (input) => {
    try {
      return await index(input);
    } finally {
      seen.indexed = true;
    }
  });
  const reached = (flag: keyof typeof seen) =>
    vi.waitFor(
      () => {
        if (!seen[flag]) throw new Error(`the consumer has not ${flag} yet`);
      },
      { timeout: 20_000, interval: 20 },
    );
  return { started: () => reached("started"), release, indexed: () => reached("indexed") };
}

const objectKeys = async (prefix: string) => (await env.FILES.list({ prefix })).objects.map((o) => o.key);
const indexedRows = async (column: "file_id" | "job_id", id: string) =>
  (
    await env.DB.prepare(`SELECT count(*) AS n FROM search_sections WHERE ${column} = ?`)
      .bind(id)
      .first<{ n: number }>()
  )?.n;

// The README's own name for itself: in no other fixture this test file indexes.
const WORD = "libjpeg";

describe("erasure while a consumer runs the file", () => {
  it("DELETE /v1/files/{id} during a running stage leaves no search hit, no output and a cancelled file", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const hold = holdExtract();
    const created = await json<JobObject>(
      await createJob({ files: [file.id], stages: ["extract", "analyze", "index"] }),
      202,
    );
    await hold.started();
    expect((await api(`/v1/files/${file.id}`, { method: "DELETE" })).status).toBe(204);
    hold.release();
    await hold.indexed();

    // The consumer's report comes after the index stage; what it wrote must be gone once it is done.
    const job = await waitForJob(created.id);
    expect(job.status).toBe("cancelled");
    expect(job.files[0]?.status).toBe("cancelled");
    await vi.waitFor(
      async () => {
        expect(await objectKeys(`t/dev/f/${file.id}/`)).toEqual([]);
        expect(await indexedRows("file_id", file.id)).toBe(0);
      },
      { timeout: 10_000, interval: 50 },
    );
    const hits = await search(WORD);
    expect(hits.results.filter((hit) => hit.fileId === file.id)).toEqual([]);
    expect((await api(`/v1/files/${file.id}`)).status).toBe(404);
  });

  it("DELETE /v1/jobs/{id} during a running stage leaves no search hit and no output, and keeps the file", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README-2.md");
    const hold = holdExtract();
    const created = await json<JobObject>(
      await createJob({ files: [file.id], stages: ["extract", "analyze", "index"] }),
      202,
    );
    await hold.started();
    expect((await api(`/v1/jobs/${created.id}`, { method: "DELETE" })).status).toBe(204);
    hold.release();
    await hold.indexed();

    await vi.waitFor(
      async () => {
        expect(await objectKeys(`t/dev/f/${file.id}/jobs/`)).toEqual([]);
        expect(await indexedRows("job_id", created.id)).toBe(0);
      },
      { timeout: 10_000, interval: 50 },
    );
    // Still nothing a moment later: the consumer has reported (and been refused) by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await objectKeys(`t/dev/f/${file.id}/jobs/`)).toEqual([]);
    expect(await indexedRows("file_id", file.id)).toBe(0);
    expect((await search(WORD)).results.filter((hit) => hit.fileId === file.id)).toEqual([]);
    expect(await objectKeys(`t/dev/f/${file.id}/`)).toEqual([`t/dev/f/${file.id}/source`]);
    expect((await api(`/v1/jobs/${created.id}`)).status).toBe(404);
    expect((await api(`/v1/files/${file.id}`)).status).toBe(200);
  });

  it("a job that finished normally keeps its outputs and search entries (nothing is discarded)", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README-3.md");
    const created = await json<JobObject>(
      await createJob({ files: [file.id], stages: ["extract", "analyze", "index"] }),
      202,
    );
    expect((await waitForJob(created.id)).status).toBe("completed");
    expect(await objectKeys(`t/dev/f/${file.id}/jobs/${created.id}/`)).toEqual([
      `t/dev/f/${file.id}/jobs/${created.id}/analyze/entities.json`,
      `t/dev/f/${file.id}/jobs/${created.id}/extract/text`,
    ]);
    expect(await indexedRows("file_id", file.id)).toBeGreaterThan(0);
    expect((await search(WORD)).results.some((hit) => hit.fileId === file.id)).toBe(true);
  });
});
