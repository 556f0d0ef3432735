import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { sql } from "../helpers/jobs";

afterEach(() => {
  disarmFaults();
});

const post = (path: string) => api(path, { method: "POST" });

describe("cancel", () => {
  it("cancels a pending job (its messages never arrived) and refuses to cancel it twice", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("dispatch.drop");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    expect((await json<JobObject>(await api(`/v1/jobs/${job.id}`), 200)).status).toBe("pending");

    const cancelled = await json<JobObject>(await post(`/v1/jobs/${job.id}/cancel`), 200);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.counts.cancelled).toBe(1);
    expect(cancelled.files[0]?.stages.extract?.status).toBe("cancelled");
    expect(cancelled.completedAt).not.toBeNull();

    const again = await json(await post(`/v1/jobs/${job.id}/cancel`), 409);
    expect(again["code"]).toBe("job_terminal");
    // Nothing is left for the alarm to deliver: no dispatch survives the cancel.
    expect(await sql(job.id, "SELECT * FROM outbox WHERE kind = 'dispatch'")).toEqual([]);
  });

  it("cancels a processing job; the late report of its consumer is refused", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("consumer.after_claim");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    await expect
      .poll(async () => (await json<JobObject>(await api(`/v1/jobs/${job.id}`), 200)).status)
      .toBe("processing");
    const cancelled = await json<JobObject>(await post(`/v1/jobs/${job.id}/cancel`), 200);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.files[0]?.status).toBe("cancelled");

    const listed = await json<{ jobs: { id: string; status: string }[] }>(
      await api("/v1/jobs?status=cancelled"),
      200,
    );
    expect(listed.jobs.map((row) => row.id)).toContain(job.id);
  });

  it("answers 409 for a completed job", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    expect((await waitForJob(job.id)).status).toBe("completed");
    expect((await json(await post(`/v1/jobs/${job.id}/cancel`), 409))["code"]).toBe("job_terminal");
  });
});

describe("retry", () => {
  it("runs only the failed files again and keeps the completed results", async () => {
    const good = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const pdfBytes = await fixture("pdf/pdfjs_french_diacritics.pdf");
    const flaky = await upload(pdfBytes, "french.pdf");
    // The file's bytes go missing: its stages fail with source_missing.
    const sourceKey = `t/dev/f/${flaky.id}/source`;
    await env.FILES.delete(sourceKey);

    const created = await json<JobObject>(
      await createJob({ files: [good.id, flaky.id], stages: ["extract"] }),
      202,
    );
    const first = await waitForJob(created.id);
    expect(first.status).toBe("completed_with_errors");
    const failedFile = first.files.find((file) => file.fileId === flaky.id);
    expect(failedFile?.stages.extract?.error?.code).toBe("source_missing");
    const goodBefore = first.files.find((file) => file.fileId === good.id)?.stages.extract;

    // The bytes come back; a retry now succeeds, and only that file ran again.
    await env.FILES.put(sourceKey, pdfBytes);
    const retried = await json<JobObject>(await post(`/v1/jobs/${created.id}/retry`), 202);
    expect(retried.status).toBe("processing");
    const second = await waitForJob(created.id);
    expect(second.status).toBe("completed");
    const goodAfter = second.files.find((file) => file.fileId === good.id)?.stages.extract;
    expect(goodAfter).toEqual(goodBefore);
    expect(second.files.find((file) => file.fileId === flaky.id)?.stages.extract).toMatchObject({
      status: "completed",
      attempts: 2,
    });

    const events = await json<{ events: { type: string; fileId?: string }[] }>(
      await api(`/v1/jobs/${created.id}/events?limit=1000`),
      200,
    );
    const types = events.events.map((event) => event.type);
    expect(types.filter((type) => type === "job.retried")).toHaveLength(1);
    expect(
      events.events.filter((event) => event.type === "job.stage_started" && event.fileId === good.id),
    ).toHaveLength(1);

    expect((await json(await post(`/v1/jobs/${created.id}/retry`), 409))["code"]).toBe("nothing_to_retry");
  });

  it("answers 409 while the job is still running", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("dispatch.drop");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    expect((await json(await post(`/v1/jobs/${job.id}/retry`), 409))["code"]).toBe("conflict");
  });
});
