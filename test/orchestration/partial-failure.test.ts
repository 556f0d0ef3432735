import { describe, expect, it } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { seedFile } from "../helpers/seed";

describe("partial failure", () => {
  it("fails only the bad files, with their codes, and keeps every other result", async () => {
    const good = await upload(await fixture("pdf/pdfjs_french_diacritics.pdf"), "french.pdf");
    const goodImage = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg");
    const corruptPdf = await upload(await fixture("malformed/freeculture_truncated.pdf"), "bad.pdf");
    const truncatedJpeg = await upload(await fixture("malformed/sharp_truncated.jpg"), "truncated.jpg");
    // Uploads refuse empty bodies, so an empty source is put in place directly.
    const empty = await seedFile(new Uint8Array(0), "empty.pdf", "application/pdf");

    const created = await json<JobObject>(
      await createJob({
        files: [good.id, goodImage.id, corruptPdf.id, truncatedJpeg.id, empty.id],
        stages: ["extract", "thumbnail"],
      }),
      202,
    );
    const job = await waitForJob(created.id);
    expect(job.status).toBe("completed_with_errors");
    expect(job.counts).toEqual({
      total: 5,
      pending: 0,
      processing: 0,
      completed: 2,
      failed: 3,
      cancelled: 0,
    });

    const byId = new Map(job.files.map((file) => [file.fileId, file]));
    expect(byId.get(good.id)?.status).toBe("completed");
    expect(byId.get(good.id)?.stages.extract?.result).toMatchObject({ format: "pdf", pageCount: 1 });
    expect(byId.get(goodImage.id)?.stages.thumbnail?.status).toBe("completed");

    expect(byId.get(corruptPdf.id)?.status).toBe("failed");
    expect(byId.get(corruptPdf.id)?.stages.extract?.error?.code).toBe("corrupt_file");
    expect(byId.get(truncatedJpeg.id)?.stages.thumbnail?.error?.code).toBe("corrupt_file");
    expect(byId.get(empty.id)?.stages.extract?.error?.code).toBe("empty_file");
    expect(byId.get(empty.id)?.stages.thumbnail?.error?.code).toBe("empty_file");

    // Every failure was permanent: decided on the first attempt, never retried.
    for (const file of job.files) {
      for (const stage of Object.values(file.stages)) expect(stage.attempts).toBe(1);
    }

    // The good file's text is still there to download.
    const text = (byId.get(good.id)?.stages.extract?.result as { outputs: { text: string } }).outputs.text;
    expect((await api(text)).status).toBe(200);

    const events = await json<{ events: { type: string; fileId?: string }[] }>(
      await api(`/v1/jobs/${job.id}/events?limit=1000`),
      200,
    );
    expect(
      events.events
        .filter((event) => event.type === "job.file_failed")
        .map((event) => event.fileId)
        .sort(),
    ).toEqual([corruptPdf.id, truncatedJpeg.id, empty.id].sort());
    expect(events.events.at(-1)?.type).toBe("job.completed");
  });

  it("ends 'failed' when every file failed", async () => {
    const corrupt = await upload(await fixture("malformed/freeculture_truncated.pdf"), "bad.pdf");
    const created = await json<JobObject>(await createJob({ files: [corrupt.id], stages: ["extract"] }), 202);
    const job = await waitForJob(created.id);
    expect(job.status).toBe("failed");
    const events = await json<{ events: { type: string }[] }>(await api(`/v1/jobs/${job.id}/events`), 200);
    expect(events.events.at(-1)?.type).toBe("job.failed");
  });
});
