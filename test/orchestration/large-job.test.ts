import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEV_TENANT } from "../../src/http/auth";
import { newFileId } from "../../src/ids";
import type { JobObject } from "../../src/schemas/jobs";
import { insertFiles, type FileRecord } from "../../src/storage/files-repo";
import { fileSourceKey } from "../../src/storage/r2-layout";
import { api, createJob, json, waitForJob } from "../helpers/api";
import { sql } from "../helpers/jobs";

const FILES = 1000;

describe("a job of 1,000 files", () => {
  it("is created in one request and every file is processed exactly once", async () => {
    const files: FileRecord[] = [];
    for (let i = 0; i < FILES; i++) {
      const id = newFileId();
      const text = `note ${i}: the quick brown fox jumps over the lazy dog`;
      files.push({
        tenantId: DEV_TENANT.id,
        id,
        name: `note-${i}.txt`,
        size: text.length,
        contentType: "text/plain",
        sha256: "0".repeat(64),
        r2Key: fileSourceKey(DEV_TENANT.id, id),
        createdAt: Date.now(),
      });
      await env.FILES.put(fileSourceKey(DEV_TENANT.id, id), text);
    }
    await insertFiles(env.DB, files);

    const created = await json<JobObject>(
      await createJob({ files: files.map((file) => file.id), stages: ["extract"] }),
      202,
    );
    expect(created.counts.total).toBe(FILES);
    expect(created.files).toHaveLength(100);
    expect(created.filesNextCursor).toBe("100");

    const job = await waitForJob(created.id, undefined, 120_000);
    expect(job.status).toBe("completed");
    expect(job.counts).toMatchObject({ total: FILES, completed: FILES });

    // Exactly one claim per file, one completion event per file, and the last page of files.
    const [claims] = await sql<{ attempts: number; n: number }>(
      created.id,
      "SELECT sum(attempts) AS attempts, count(*) AS n FROM files",
    );
    expect(claims).toEqual({ attempts: FILES, n: FILES });
    const [completions] = await sql<{ n: number }>(
      created.id,
      "SELECT count(*) AS n FROM events WHERE type = 'job.file_completed'",
    );
    expect(completions?.n).toBe(FILES);
    const lastPage = await json<JobObject>(
      await api(`/v1/jobs/${created.id}?filesCursor=900&filesLimit=500`),
      200,
    );
    expect(lastPage.files).toHaveLength(100);
    expect(lastPage.files.at(-1)?.name).toBe(`note-${FILES - 1}.txt`);
    expect(lastPage.filesNextCursor).toBeNull();
  });
});
