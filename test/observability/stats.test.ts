/**
 * GET /v1/stats: the numbers after real jobs (jobs by status, files, a failing file's code, stage
 * counts), exact percentiles over known durations, the window (older runs left out; bad windows are
 * 400 problems), tenant isolation, and the cron's pruning of old metrics.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { writeStageMetricsRows, type StageOutcome } from "../../src/observability/stage-metrics";
import { runMaintenance } from "../../src/retention/maintenance";
import type { JobObject } from "../../src/schemas/jobs";
import type { Stats } from "../../src/schemas/stats";
import { call, createJob, createTenant, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

const HOUR = 3_600_000;

function outcome(tenantId: string, index: number, fields: Partial<StageOutcome> = {}): StageOutcome {
  return {
    tenantId,
    jobId: "job_01JD0000000000000000000000",
    fileId: `file_01JD0000000000000000000${String(index).padStart(3, "0")}`,
    stage: "extract",
    leaseToken: index,
    attempt: 1,
    outcome: "completed",
    code: null,
    durationMs: index,
    recordedAt: Date.now(),
    ...fields,
  };
}

const stats = async (key: string, query = ""): Promise<Stats> =>
  json<Stats>(await call(key, `/v1/stats${query}`), 200);

describe("GET /v1/stats", () => {
  it("counts a tenant's jobs, files, failures by code and stage runs after real jobs", async () => {
    const key = await createTenant("stats-real");
    const good = await upload(await fixture("pdf/pdfjs_french_diacritics.pdf"), "french.pdf", undefined, key);
    const image = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg", undefined, key);
    const corrupt = await upload(
      await fixture("malformed/freeculture_truncated.pdf"),
      "bad.pdf",
      undefined,
      key,
    );
    const mixed = await json<JobObject>(
      await createJob({ files: [good.id, image.id, corrupt.id], stages: ["extract", "thumbnail"] }, key),
      202,
    );
    const failing = await json<JobObject>(
      await createJob({ files: [corrupt.id], stages: ["extract"] }, key),
      202,
    );
    const finished = [await waitForJob(mixed.id, key), await waitForJob(failing.id, key)];
    expect(finished.map((job) => job.status)).toEqual(["completed_with_errors", "failed"]);

    // The metrics follow each report; wait for all 7 stage runs to be counted.
    const body = await vi.waitFor(
      async () => {
        const answer = await stats(key);
        expect(answer.stages.reduce((sum, stage) => sum + stage.runs, 0)).toBe(7);
        return answer;
      },
      { timeout: 10_000, interval: 50 },
    );

    expect(body.window).toBe("24h");
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(24 * HOUR);
    expect(body.jobs).toEqual({
      total: 2,
      byStatus: {
        pending: 0,
        processing: 0,
        completed: 0,
        completed_with_errors: 1,
        failed: 1,
        cancelled: 0,
      },
    });
    // The corrupt PDF is in both jobs: two files with a failure, four files worked on.
    expect(body.files).toEqual({ processed: 4, failed: 2 });
    expect(body.failuresByCode).toEqual({ corrupt_file: 3 });
    const byStage = Object.fromEntries(body.stages.map((stage) => [stage.stage, stage]));
    expect(body.stages.map((stage) => stage.stage)).toEqual(["extract", "thumbnail"]);
    expect(byStage["extract"]).toMatchObject({ runs: 4, completed: 2, failed: 2, skipped: 0, retried: 0 });
    expect(byStage["thumbnail"]).toMatchObject({ runs: 3, completed: 2, failed: 1, skipped: 0, retried: 0 });

    // Two completed thumbnail runs (the PDF's rendered page and the image): p50 the smaller, p95 the larger.
    const thumbnailMs = (finished[0]?.files ?? [])
      .filter((file) => file.fileId !== corrupt.id)
      .map((file) => file.stages.thumbnail?.durationMs ?? -1)
      .sort((a, b) => a - b);
    expect(byStage["thumbnail"]?.durationMs).toEqual({ p50: thumbnailMs[0], p95: thumbnailMs[1] });
    const extractMs = (finished[0]?.files ?? [])
      .filter((file) => file.fileId !== corrupt.id)
      .map((file) => file.stages.extract?.durationMs ?? -1)
      .sort((a, b) => a - b);
    // Two completed runs: the nearest-rank p50 is the smaller, the p95 the larger.
    expect(byStage["extract"]?.durationMs).toEqual({ p50: extractMs[0], p95: extractMs[1] });
  });

  it("computes nearest-rank p50 and p95 and leaves out runs older than the window", async () => {
    const key = await createTenant("stats-percentiles");
    const now = Date.now();
    // Durations 1..100 ms in the last hour; 1,000 slow runs two hours ago.
    await writeStageMetricsRows(env.DB, [
      ...Array.from({ length: 100 }, (_, i) =>
        outcome("stats-percentiles", i + 1, { recordedAt: now - 1000 }),
      ),
      ...Array.from({ length: 40 }, (_, i) =>
        outcome("stats-percentiles", 1000 + i, { durationMs: 10_000, recordedAt: now - 2 * HOUR }),
      ),
      outcome("stats-percentiles", 2000, {
        stage: "index",
        outcome: "retry",
        code: "transient_error",
        durationMs: null,
      }),
      outcome("stats-percentiles", 2001, {
        stage: "index",
        outcome: "failed",
        code: "too_many_pages",
        durationMs: 5,
      }),
    ]);

    const lastHour = await stats(key, "?window=1h");
    expect(lastHour.window).toBe("1h");
    expect(lastHour.stages).toEqual([
      {
        stage: "extract",
        runs: 100,
        completed: 100,
        failed: 0,
        skipped: 0,
        retried: 0,
        durationMs: { p50: 50, p95: 95 },
      },
      {
        stage: "index",
        runs: 2,
        completed: 0,
        failed: 1,
        skipped: 0,
        retried: 1,
        durationMs: { p50: null, p95: null },
      },
    ]);
    expect(lastHour.failuresByCode).toEqual({ too_many_pages: 1 });
    expect(lastHour.files).toEqual({ processed: 102, failed: 1 });

    const threeHours = await stats(key, "?window=180m");
    expect(threeHours.stages[0]).toMatchObject({
      stage: "extract",
      runs: 140,
      durationMs: { p50: 70, p95: 10_000 },
    });
  });

  it("shows a tenant only its own jobs and metrics", async () => {
    const busy = await createTenant("stats-busy");
    const idle = await createTenant("stats-idle");
    const file = await upload(
      await fixture("text/libjpeg-turbo_README.md"),
      "README.md",
      "text/markdown",
      busy,
    );
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }, busy), 202);
    await waitForJob(job.id, busy);
    await writeStageMetricsRows(env.DB, [
      outcome("stats-busy", 1, { outcome: "failed", code: "corrupt_file" }),
    ]);
    await vi.waitFor(async () => {
      expect((await stats(busy)).stages[0]?.runs).toBe(2);
    });

    expect(await stats(idle)).toMatchObject({
      jobs: { total: 0 },
      files: { processed: 0, failed: 0 },
      failuresByCode: {},
      stages: [],
    });
  });

  it("refuses windows that are malformed or out of bounds with a 400 problem", async () => {
    for (const window of ["forever", "24", "h", "0m", "-1h", "1.5h", "31d", "721h", "99999d", "1w"]) {
      const response = await call(
        await keyOf("stats-validation"),
        `/v1/stats?window=${encodeURIComponent(window)}`,
      );
      expect(response.status, window).toBe(400);
      expect(response.headers.get("Content-Type")).toBe("application/problem+json");
      const problem = await response.json<{ code: string; detail: string }>();
      expect(problem.code).toBe("validation_failed");
      expect(problem.detail).toMatch(/^query\.window: /);
    }
    for (const window of ["1m", "30d", "720h"]) {
      expect((await stats(await keyOf("stats-validation"), `?window=${window}`)).window).toBe(window);
    }
    expect((await call(null, "/v1/stats")).status).toBe(401);
  });

  it("is described in the OpenAPI document under its own tag, with the window parameter", async () => {
    const document = await json<{
      paths: Record<string, Record<string, { tags: string[]; parameters: { name: string; in: string }[] }>>;
    }>(await call(null, "/openapi.json"), 200);
    const operation = document.paths["/v1/stats"]?.["get"];
    expect(operation?.tags).toEqual(["stats"]);
    expect(operation?.parameters).toEqual([expect.objectContaining({ name: "window", in: "query" })]);
  });

  it("lets the hourly cron delete metrics older than the longest window", async () => {
    const now = Date.now();
    await writeStageMetricsRows(env.DB, [
      outcome("stats-prune", 1, { recordedAt: now - 31 * 24 * HOUR }),
      outcome("stats-prune", 2, { recordedAt: now - 29 * 24 * HOUR }),
    ]);
    const report = await runMaintenance(env, now);
    expect(report.metrics).toBeGreaterThanOrEqual(1);
    const { results } = await env.DB.prepare(
      "SELECT lease_token FROM stage_metrics WHERE tenant_id = 'stats-prune'",
    ).all();
    expect(results).toEqual([{ lease_token: 2 }]);
  });
});

const keys = new Map<string, string>();
async function keyOf(tenantId: string): Promise<string> {
  const known = keys.get(tenantId);
  if (known) return known;
  const key = await createTenant(tenantId);
  keys.set(tenantId, key);
  return key;
}
