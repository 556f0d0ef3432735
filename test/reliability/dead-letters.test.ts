import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import { extractStage } from "../../src/pipeline/extract";
import type { DeadLetterObject } from "../../src/schemas/dead-letters";
import type { JobObject } from "../../src/schemas/jobs";
import { api, call, createJob, createTenant, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { deliver, delivery, taskMessage } from "../helpers/jobs";
import { allEvents, expectJobIntact } from "./helpers/integrity";

afterEach(() => {
  disarmFaults();
  vi.restoreAllMocks();
});

type DeadLetterList = { deadLetters: DeadLetterObject[]; nextCursor: string | null };

let otherKey: string;

beforeAll(async () => {
  otherKey = await createTenant("dl-other");
});

/** Makes extract fail transiently, every time, for the given files (the queue then dead-letters them). */
function poison(fileIds: string[]) {
  const run = extractStage.run.bind(extractStage);
  return vi.spyOn(extractStage, "run").mockImplementation(async (input) => {
    if (fileIds.includes(input.file.id)) throw new Error("the backend is down");
    return run(input);
  });
}

async function listAll(path = "/v1/dead-letters", key?: string): Promise<DeadLetterObject[]> {
  const response = key ? await call(key, path) : await api(path);
  return (await json<DeadLetterList>(response, 200)).deadLetters;
}

const redrive = (id: string, key?: string) =>
  key
    ? call(key, `/v1/dead-letters/${id}/redrive`, { method: "POST" })
    : api(`/v1/dead-letters/${id}/redrive`, { method: "POST" });

describe("dead letters", () => {
  it("records a poisoned file with its error and attempts, and re-drives it after the job ended", async () => {
    const good = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const bad = await upload(await fixture("pdf/pdfjs_french_diacritics.pdf"), "french.pdf");
    const spy = poison([bad.id]);
    const created = await json<JobObject>(
      await createJob({ files: [good.id, bad.id], stages: ["extract", "thumbnail"] }),
      202,
    );
    const ended = await waitForJob(created.id);
    expect(ended.status).toBe("completed_with_errors");
    expect(ended.files[1]?.stages.extract?.error?.code).toBe("retries_exhausted");

    const [letter] = await vi.waitFor(async () => {
      const letters = await listAll();
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter).toMatchObject({
      jobId: created.id,
      fileId: bad.id,
      status: "open",
      error: { code: "transient_error" },
      attempts: 6,
      redrivenAt: null,
      redrives: 0,
    });
    expect(letter?.error?.message).toContain("the backend is down");
    // Another tenant sees nothing and cannot act on it.
    expect(await listAll("/v1/dead-letters", otherKey)).toEqual([]);
    expect((await json(await redrive(letter?.id ?? "", otherKey), 404))["code"]).toBe("not_found");

    // The backend is back: re-driving runs the file again and the job ends again, completed.
    spy.mockRestore();
    const response = await redrive(letter?.id ?? "");
    const redriven = await json<DeadLetterObject>(response, 202);
    expect(response.headers.get("Location")).toBe(`/v1/jobs/${created.id}`);
    expect(redriven).toMatchObject({ status: "redriven", redrives: 1 });
    expect(redriven.redrivenAt).not.toBeNull();
    const again = await waitForJob(created.id);
    expect(again.status).toBe("completed");
    expect(again.files[1]?.stages.extract).toMatchObject({ status: "completed", result: { pageCount: 1 } });
    expect(again.files[0]?.stages).toEqual(ended.files[0]?.stages);
    expect(again.completedAt).not.toBeNull();

    const types = (await allEvents(created.id)).map((event) => event.type);
    expect(types.filter((type) => type === "job.retried")).toHaveLength(1);
    expect(types.filter((type) => type === "job.completed")).toHaveLength(2);
    // Only the failed stage runs again (thumbnail was skipped for a PDF the first time and stays so).
    expect(types.slice(types.indexOf("job.retried"))).toEqual([
      "job.retried",
      "job.stage_started",
      "job.stage_completed",
      "job.file_completed",
      "job.completed",
    ]);
    await expectJobIntact(created.id);

    // A dead letter is re-driven once: its file is no longer failed.
    expect((await json(await redrive(letter?.id ?? ""), 409))["code"]).toBe("not_redrivable");
    expect((await listAll())[0]?.status).toBe("resolved");
  });

  it("records a dead letter delivered twice as one failure, one event and one row", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    armFault("dispatch.drop");
    const created = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    const body = taskMessage(created.id, file.id);
    await deliver("sluice-tasks-dlq", [delivery(body), delivery(body)]);
    await deliver("sluice-tasks-dlq", [delivery(body, 2)]);

    const job = await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200);
    expect(job.status).toBe("failed");
    expect(job.files[0]?.stages.extract?.error?.code).toBe("retries_exhausted");
    const types = (await allEvents(created.id)).map((event) => event.type);
    expect(types.filter((type) => type === "job.file_failed")).toHaveLength(1);
    expect(types.filter((type) => type === "job.failed")).toHaveLength(1);
    const rows = await env.DB.prepare(
      "SELECT status, attempts, error_code FROM dead_letters WHERE job_id = ?",
    )
      .bind(created.id)
      .all();
    // Never claimed: no attempts and no stage error before the queue gave up on it.
    expect(rows.results).toEqual([{ status: "open", attempts: 0, error_code: "retries_exhausted" }]);
  });

  it("marks a dead letter whose file completed anyway as resolved, and refuses to re-drive it", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const created = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    expect((await waitForJob(created.id)).status).toBe("completed");
    await deliver("sluice-tasks-dlq", [delivery(taskMessage(created.id, file.id))]);
    const letter = (await listAll()).find((row) => row.jobId === created.id);
    expect(letter?.status).toBe("resolved");
    expect((await json(await redrive(letter?.id ?? ""), 409))["code"]).toBe("not_redrivable");
    expect((await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200)).status).toBe("completed");
  });

  it("re-drives a file while the rest of its job is still running, without ending the job early", async () => {
    const [a, b] = await Promise.all([
      upload(await fixture("text/libjpeg-turbo_README.md"), "a.md"),
      upload(await fixture("text/libjpeg-turbo_README.md"), "b.md"),
    ]);
    armFault("dispatch.drop");
    const created = await json<JobObject>(await createJob({ files: [a.id, b.id], stages: ["extract"] }), 202);
    await deliver("sluice-tasks-dlq", [delivery(taskMessage(created.id, a.id))]);
    const letter = (await listAll()).find((row) => row.jobId === created.id);
    expect((await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200)).status).toBe("pending");

    await json(await redrive(letter?.id ?? ""), 202);
    const job = await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200);
    expect(job.status).not.toBe("failed");
    expect(job.files.map((file) => file.status)).not.toContain("failed");
    // The re-driven a runs at once; b's message was dropped, so it is delivered here by hand.
    await deliver("sluice-tasks", [delivery(taskMessage(created.id, b.id))]);
    const done = await waitForJob(created.id);
    expect(done.status).toBe("completed");
    await expectJobIntact(created.id);
  });

  it("refuses to re-drive into a cancelled job", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const other = await upload(await fixture("text/libjpeg-turbo_README.md"), "other.md");
    armFault("dispatch.drop");
    const created = await json<JobObject>(
      await createJob({ files: [file.id, other.id], stages: ["extract"] }),
      202,
    );
    await deliver("sluice-tasks-dlq", [delivery(taskMessage(created.id, file.id))]);
    await json(await api(`/v1/jobs/${created.id}/cancel`, { method: "POST" }), 200);
    const letter = (await listAll()).find((row) => row.jobId === created.id);
    const refused = await json(await redrive(letter?.id ?? ""), 409);
    expect(refused["code"]).toBe("not_redrivable");
    expect(String(refused["detail"])).toContain("cancelled");
    expect((await json<JobObject>(await api(`/v1/jobs/${created.id}`), 200)).status).toBe("cancelled");
  });
});

describe("listing dead letters", () => {
  it("pages through them newest first, filters by status, and refuses bad pages", async () => {
    const tenantKey = await createTenant("dl-pages");
    const files = await Promise.all(
      Array.from({ length: 5 }, async (_, index) =>
        upload(await fixture("text/libjpeg-turbo_README.md"), `f${index}.md`, "text/markdown", tenantKey),
      ),
    );
    armFault("dispatch.drop");
    const created = await json<JobObject>(
      await createJob({ files: files.map((file) => file.id), stages: ["extract"] }, tenantKey),
      202,
    );
    for (const file of files) {
      await deliver("sluice-tasks-dlq", [delivery(taskMessage(created.id, file.id, "dl-pages"))]);
    }
    const seen: string[] = [];
    let cursor: string | null = "";
    for (let page = 0; cursor !== null; page++) {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const body: DeadLetterList = await json<DeadLetterList>(
        await call(tenantKey, `/v1/dead-letters${query}`),
        200,
      );
      expect(body.deadLetters.length).toBeLessThanOrEqual(2);
      seen.push(...body.deadLetters.map((letter) => letter.fileId));
      cursor = body.nextCursor;
      expect(page).toBeLessThan(3);
    }
    expect([...seen].sort()).toEqual(files.map((file) => file.id).sort());
    expect(new Set(seen).size).toBe(5);

    const open = await listAll("/v1/dead-letters?status=open&limit=100", tenantKey);
    expect(open).toHaveLength(5);
    expect(await listAll("/v1/dead-letters?status=redriven", tenantKey)).toEqual([]);
    for (const query of [
      "?limit=0",
      "?limit=101",
      "?limit=1e9",
      "?status=lost",
      "?cursor=bm90LWEtY3Vyc29y",
    ]) {
      const response = await call(tenantKey, `/v1/dead-letters${query}`);
      expect(response.status, query).toBe(400);
      await response.body?.cancel();
    }
    for (const id of ["nope", "dl_123", "dl_01ARZ3NDEKTSV4RRFFQ69G5FAV"]) {
      const response = await call(tenantKey, `/v1/dead-letters/${id}/redrive`, { method: "POST" });
      expect(response.status, id).toBe(id === "dl_01ARZ3NDEKTSV4RRFFQ69G5FAV" ? 404 : 400);
      await response.body?.cancel();
    }
  });
});
