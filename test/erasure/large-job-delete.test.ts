import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import { DEV_TENANT } from "../../src/http/auth";
import { newFileId } from "../../src/ids";
import type { FileReport } from "../../src/jobs/contracts";
import { jobStub } from "../../src/jobs/job-client";
import { deleteJob } from "../../src/jobs/delete-job";
import type { JobObject } from "../../src/schemas/jobs";
import { insertFiles, type FileRecord } from "../../src/storage/files-repo";
import { fileSourceKey, outputKey } from "../../src/storage/r2-layout";
import { api, createJob, json } from "../helpers/api";
import { countingBucket, envWithBucket } from "../helpers/counting-bucket";

afterEach(() => {
  disarmFaults();
});

const FILES = 1000;
/** What a Worker invocation may make in subrequests (paid plan). */
const SUBREQUEST_LIMIT = 1000;

async function listedFiles(count: number): Promise<string[]> {
  const files: FileRecord[] = Array.from({ length: count }, (_, i) => {
    const id = newFileId();
    return {
      tenantId: DEV_TENANT.id,
      id,
      name: `note-${i}.txt`,
      size: 10,
      contentType: "text/plain",
      sha256: "0".repeat(64),
      r2Key: fileSourceKey(DEV_TENANT.id, id),
      createdAt: Date.now(),
    };
  });
  for (let start = 0; start < files.length; start += 100)
    await insertFiles(env.DB, files.slice(start, start + 100));
  return files.map((file) => file.id);
}

const inBatches = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

describe("deleting a job of 1,000 files", () => {
  it("deletes every output in batched R2 calls, without listing per file, within the subrequest limit", async () => {
    const fileIds = await listedFiles(FILES);
    // The queue loses the job's messages: the test plays the consumers through the Job DO's own
    // claim and report calls, writing two real outputs per file to R2 as the stages would.
    armFault("dispatch.drop");
    const created = await json<JobObject>(
      await createJob({ files: fileIds, stages: ["extract", "analyze"] }),
      202,
    );
    const stub = jobStub(env, DEV_TENANT, created.id);
    const claims = (await Promise.all(inBatches(fileIds, 100).map((batch) => stub.claim(batch)))).flat();
    const written: string[] = [];
    const reports: FileReport[] = [];
    for (const claim of claims) {
      if (claim.outcome !== "claimed") throw new Error(`${claim.fileId} not claimed: ${claim.reason}`);
      const text = outputKey(DEV_TENANT.id, claim.fileId, created.id, "extract", "text");
      const entities = outputKey(DEV_TENANT.id, claim.fileId, created.id, "analyze", "entities.json");
      written.push(text, entities);
      reports.push({
        fileId: claim.fileId,
        token: claim.token,
        tasks: [
          {
            stage: "extract",
            status: "completed",
            result: { format: "text" },
            outputs: [{ name: "text", contentType: "text/plain", bytes: 5 }],
            durationMs: 1,
          },
          {
            stage: "analyze",
            status: "completed",
            result: { words: 1 },
            outputs: [{ name: "entities.json", contentType: "application/json", bytes: 2 }],
            durationMs: 1,
          },
        ],
      });
    }
    for (const batch of inBatches(written, 50))
      await Promise.all(batch.map((key) => env.FILES.put(key, "hello")));
    const results = (await Promise.all(inBatches(reports, 100).map((batch) => stub.report(batch)))).flat();
    expect(results.every((result) => result.accepted)).toBe(true);
    expect((await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200)).status).toBe("completed");

    const storage = countingBucket(env.FILES);
    expect(await deleteJob(envWithBucket(env, storage.bucket), DEV_TENANT, created.id)).toBe(true);

    // 2,000 keys: two R2 delete calls of 1,000, and no listing at all.
    expect(storage.calls).toEqual({ delete: 2 });
    // Besides these, deleteJob makes four calls (cancel, output keys, one D1 batch, purge): the whole
    // deletion is a handful of subrequests, where one listing per file alone would be 1,000.
    const r2Calls = Object.values(storage.calls).reduce((sum, n) => sum + n, 0);
    expect(r2Calls).toBeLessThan(SUBREQUEST_LIMIT / 100);
    for (const batch of inBatches(written, 50)) {
      const heads = await Promise.all(batch.map((key) => env.FILES.head(key)));
      expect(heads.filter((head) => head !== null)).toEqual([]);
    }
    expect((await api(`/v1/jobs/${created.id}`)).status).toBe(404);
  });
});
