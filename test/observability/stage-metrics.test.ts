/**
 * Per-stage metrics: after a job, the local fallback (the D1 table `stage_metrics`) holds one row per
 * stage run, agreeing with the job's own record of each stage (outcome, code, duration); a transient
 * failure shows as a retry row followed by the completed run; writing the same run twice stores it
 * once; and the Analytics Engine binding declared in wrangler.toml is found and accepts the points.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import {
  metricsDataset,
  recordStageOutcomes,
  stageDataPoint,
  writeStageMetricsRows,
  type StageOutcome,
} from "../../src/observability/stage-metrics";
import type { JobObject } from "../../src/schemas/jobs";
import { createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

interface MetricRow {
  file_id: string;
  stage: string;
  attempt: number;
  outcome: string;
  code: string | null;
  duration_ms: number | null;
  lease_token: number;
}

afterEach(() => {
  disarmFaults();
});

async function metricRows(jobId: string): Promise<MetricRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT file_id, stage, attempt, outcome, code, duration_ms, lease_token FROM stage_metrics
     WHERE tenant_id = 'dev' AND job_id = ? ORDER BY file_id, stage, lease_token`,
  )
    .bind(jobId)
    .all<MetricRow>();
  return results;
}

/** Waits until the consumer's metrics write for the job has landed (it follows the report). */
async function waitForRows(jobId: string, count: number): Promise<MetricRow[]> {
  return vi.waitFor(
    async () => {
      const rows = await metricRows(jobId);
      expect(rows.length).toBeGreaterThanOrEqual(count);
      return rows;
    },
    { timeout: 10_000, interval: 25 },
  );
}

describe("stage metrics (local fallback in D1)", () => {
  it("records every stage run of a job with the outcome, code and duration the job reports", async () => {
    const pdf = await upload(await fixture("pdf/pdfjs_french_diacritics.pdf"), "french.pdf");
    const image = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg");
    const corrupt = await upload(await fixture("malformed/freeculture_truncated.pdf"), "bad.pdf");
    const created = await json<JobObject>(
      await createJob({ files: [pdf.id, image.id, corrupt.id], stages: ["extract", "thumbnail"] }),
      202,
    );
    const job = await waitForJob(created.id);
    const rows = await waitForRows(job.id, 6);
    expect(rows).toHaveLength(6);

    for (const file of job.files) {
      for (const [stage, state] of Object.entries(file.stages)) {
        const row = rows.find((candidate) => candidate.file_id === file.fileId && candidate.stage === stage);
        expect(row, `${file.name} ${stage}`).toMatchObject({
          outcome: state.status,
          attempt: 1,
          code: state.error?.code ?? state.reason?.code ?? null,
          duration_ms: state.durationMs,
        });
      }
    }
    // What the stats are made of: counts per stage and outcome, and the failing file's code.
    const counts = new Map<string, number>();
    for (const row of rows)
      counts.set(`${row.stage}:${row.outcome}`, (counts.get(`${row.stage}:${row.outcome}`) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({
      "extract:completed": 2,
      "extract:failed": 1,
      "thumbnail:completed": 2,
      "thumbnail:failed": 1,
    });
    expect(rows.find((row) => row.file_id === corrupt.id && row.stage === "extract")?.code).toBe(
      "corrupt_file",
    );
    expect(
      rows.filter((row) => row.outcome === "completed").every((row) => (row.duration_ms ?? -1) >= 0),
    ).toBe(true);
  });

  it("records a transient failure as a retry, then the completed run of the next attempt", async () => {
    const image = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg");
    // The thumbnail's first output write fails after the bytes were written: a transient error.
    armFault("output.after_write");
    const created = await json<JobObject>(await createJob({ files: [image.id], stages: ["thumbnail"] }), 202);
    const job = await waitForJob(created.id);
    expect(job.status).toBe("completed");
    const rows = await waitForRows(job.id, 2);
    expect(rows).toEqual([
      expect.objectContaining({
        stage: "thumbnail",
        attempt: 1,
        outcome: "retry",
        code: "transient_error",
        duration_ms: null,
      }),
      expect.objectContaining({ stage: "thumbnail", attempt: 2, outcome: "completed", code: null }),
    ]);
    expect(rows[1]?.lease_token).toBeGreaterThan(rows[0]?.lease_token ?? Infinity);
  });

  it("stores a run once however often it is written", async () => {
    const outcome: StageOutcome = {
      tenantId: "metrics-idempotence",
      jobId: "job_01JD0000000000000000000000",
      fileId: "file_01JD0000000000000000000000",
      stage: "extract",
      leaseToken: 7,
      attempt: 1,
      outcome: "completed",
      code: null,
      durationMs: 12,
      recordedAt: Date.now(),
    };
    await writeStageMetricsRows(env.DB, [outcome]);
    await recordStageOutcomes(env, [outcome, { ...outcome, durationMs: 99 }]);
    const { results } = await env.DB.prepare("SELECT duration_ms FROM stage_metrics WHERE tenant_id = ?")
      .bind(outcome.tenantId)
      .all<{ duration_ms: number }>();
    expect(results).toEqual([{ duration_ms: 12 }]);
  });

  it("writes more rows than one statement can bind in one call", async () => {
    const outcomes: StageOutcome[] = Array.from({ length: 45 }, (_, index) => ({
      tenantId: "metrics-many",
      jobId: "job_01JD0000000000000000000001",
      fileId: `file_01JD00000000000000000000${String(index).padStart(2, "0")}`,
      stage: "extract",
      leaseToken: index + 1,
      attempt: 1,
      outcome: "completed",
      code: null,
      durationMs: index,
      recordedAt: Date.now(),
    }));
    await writeStageMetricsRows(env.DB, outcomes);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM stage_metrics WHERE tenant_id = ?")
      .bind("metrics-many")
      .first<{ n: number }>();
    expect(row?.n).toBe(45);
  });
});

describe("stage metrics (Analytics Engine)", () => {
  it("finds the STAGE_METRICS binding of wrangler.toml, and maps an outcome to one data point", () => {
    const dataset = metricsDataset(env);
    expect(dataset).not.toBeNull();
    const point = stageDataPoint({
      tenantId: "acme",
      jobId: "job_1",
      fileId: "file_1",
      stage: "extract",
      leaseToken: 3,
      attempt: 2,
      outcome: "failed",
      code: "corrupt_file",
      durationMs: 41,
      recordedAt: 0,
    });
    expect(point).toEqual({
      indexes: ["acme"],
      blobs: ["extract", "failed", "corrupt_file", "job_1", "file_1"],
      doubles: [41, 2],
    });
    // Locally the binding accepts points and drops them (there is no dataset to query).
    expect(() => dataset?.writeDataPoint(point)).not.toThrow();
  });

  it("treats a deployment without the binding as having no dataset", () => {
    expect(metricsDataset({ DB: env.DB } as unknown as Env)).toBeNull();
  });
});
