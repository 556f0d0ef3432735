/**
 * How much work one job's Durable Object does per file when many consumer invocations call it at
 * once, as they do in production (up to 250 batches in flight). 100 batches of 10 files claim at the
 * same time, then report at the same time, straight against the real Job DO; the DO serialises them,
 * so the wall time of each phase is its busy time, and (claim + report) / files is the figure
 * `npm run model` takes as the Job DO's cost per file. Printed, never asserted: the test checks
 * that every file was claimed once and accepted once, and that the outbox drains afterwards.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import { DEV_TENANT } from "../../src/http/auth";
import { newFileId } from "../../src/ids";
import type { FileReport } from "../../src/jobs/contracts";
import { jobStub } from "../../src/jobs/job-client";
import type { JobObject } from "../../src/schemas/jobs";
import { insertFiles, type FileRecord } from "../../src/storage/files-repo";
import { fileSourceKey } from "../../src/storage/r2-layout";
import { api, createJob, json } from "../helpers/api";
import { sql } from "../helpers/jobs";

const FILES = 1000;
const BATCH = 10;

afterEach(() => {
  disarmFaults();
});

/** Lists `count` text files for the dev tenant (the DO never reads their bytes here). */
async function listFiles(count: number): Promise<string[]> {
  const files: FileRecord[] = Array.from({ length: count }, (_, i) => {
    const id = newFileId();
    return {
      tenantId: DEV_TENANT.id,
      id,
      name: `n${String(i)}.txt`,
      size: 20,
      contentType: "text/plain",
      sha256: "0".repeat(64),
      r2Key: fileSourceKey(DEV_TENANT.id, id),
      createdAt: Date.now(),
    };
  });
  await insertFiles(env.DB, files);
  return files.map((file) => file.id);
}

const inBatches = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

describe("one job's Durable Object under concurrent consumers", () => {
  it(`claims and reports ${String(FILES)} files in ${String(FILES / BATCH)} concurrent batches of ${String(BATCH)}`, async () => {
    const fileIds = await listFiles(FILES);
    // The queue loses the job's own messages: the test plays the consumers.
    armFault("dispatch.drop");
    const job = await json<JobObject>(await createJob({ files: fileIds, stages: ["extract"] }), 202);
    const stub = jobStub(env, { id: DEV_TENANT.id, jurisdiction: "default", settings: {} }, job.id);

    const claimStarted = Date.now();
    const claims = (await Promise.all(inBatches(fileIds, BATCH).map((batch) => stub.claim(batch)))).flat();
    const claimMs = Date.now() - claimStarted;
    const reports: FileReport[] = claims.map((claim) => {
      if (claim.outcome !== "claimed") throw new Error(`${claim.fileId} not claimed: ${claim.reason}`);
      return {
        fileId: claim.fileId,
        token: claim.token,
        tasks: [
          {
            stage: "extract",
            status: "completed",
            result: { kind: "text", chars: 20 },
            outputs: [],
            durationMs: 1,
          },
        ],
      };
    });

    const reportStarted = Date.now();
    const results = (await Promise.all(inBatches(reports, BATCH).map((batch) => stub.report(batch)))).flat();
    const reportMs = Date.now() - reportStarted;
    expect(results.filter((result) => result.accepted)).toHaveLength(FILES);

    const done = await json<JobObject>(await api(`/v1/jobs/${job.id}?filesLimit=1`), 200);
    expect(done.status).toBe("completed");
    expect(done.counts).toMatchObject({ total: FILES, completed: FILES });
    // The deliveries that claim and report left for afterwards (events, projection) all happen.
    // (Not timed: in this runtime the test's own events consumer, storing every event, shares the
    // thread with the DO.)
    await vi.waitFor(
      async () => {
        const [outbox] = await sql<{ rows: number }>(job.id, "SELECT count(*) AS rows FROM outbox");
        if (outbox?.rows !== 0) throw new Error(`${String(outbox?.rows)} outbox rows left`);
      },
      { timeout: 30_000, interval: 100 },
    );
    const perFile = (claimMs + reportMs) / FILES;
    console.log(
      `job DO, ${String(FILES / BATCH)} concurrent batches of ${String(BATCH)}: claim ${String(claimMs)} ms, ` +
        `report ${String(reportMs)} ms; ` +
        `${perFile.toFixed(2)} ms per file (claim + report) = ${Math.round(1000 / perFile).toLocaleString("en-US")} files/s`,
    );
  });
});
