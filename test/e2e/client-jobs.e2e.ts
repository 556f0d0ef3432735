/**
 * The typed client against a running Sluice: problem documents as typed errors, one job per logical
 * create however often it is retried, pagination, following a job over SSE and, when streaming
 * fails, by polling, and waiting out rate limits.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import {
  collect,
  isApiError,
  SluiceApiError,
  SluiceClient,
  SluiceNetworkError,
  type FetchLike,
  type FileObject,
  type JobEvent,
} from "sluice-client";
import { blobOf, fixturePath, realFile, testClient } from "./helpers";

const client = testClient();
let pdf: FileObject;
let image: FileObject;
let corrupt: FileObject;

beforeAll(async () => {
  const pdfPath = realFile("pdf/pdfjs_tracemonkey.pdf", "pdf/pdfjs_tracemonkey.pdf");
  pdf = await client.files.upload(await blobOf(pdfPath, "application/pdf"), { name: "tracemonkey.pdf" });
  const imagePath = fixturePath("image/mate-backgrounds_Wood_2560x1920.jpg");
  image = await client.files.upload(await blobOf(imagePath, "image/jpeg"), { name: "wood.jpg" });
  const corruptPath = fixturePath("malformed/freeculture_truncated.pdf");
  corrupt = await client.files.upload(await blobOf(corruptPath, "application/pdf"), { name: "broken.pdf" });
});

describe("typed errors", () => {
  it("turns problem+json into SluiceApiError with code, status and request id", async () => {
    const error = await client.jobs.get("job_01JD3Z7A2B4C6D8E0F1G3H5J7K").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SluiceApiError);
    expect(error).toMatchObject({ code: "not_found", status: 404, title: "Not found" });
    expect((error as SluiceApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps the problem's extensions (the fields that failed validation)", async () => {
    const error = await client.jobs
      .create({ files: [pdf.id], stages: ["analyze", "extract"] })
      .catch((caught: unknown) => caught);
    expect(isApiError(error, "validation_failed")).toBe(true);
    expect((error as SluiceApiError).problem["errors"]).toEqual([
      { path: "body.stages", message: "stage 'analyze' needs 'extract' to come before it" },
    ]);
  });

  it("reports a server that cannot be reached as SluiceNetworkError", async () => {
    const offline = new SluiceClient({
      baseUrl: "http://127.0.0.1:9",
      apiKey: "x".repeat(20),
      maxRetries: 1,
    });
    await expect(offline.jobs.list()).rejects.toBeInstanceOf(SluiceNetworkError);
  });
});

describe("idempotent creates", () => {
  it("retries a create whose answer was lost with the same key, and gets the one job it made", async () => {
    const keys: string[] = [];
    let firstAnswer: { id: string } | null = null;
    const losesFirstAnswer: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      if (request.method === "POST" && new URL(request.url).pathname === "/v1/jobs") {
        keys.push(request.headers.get("Idempotency-Key") ?? "");
        if (keys.length === 1) {
          firstAnswer = (await response.json()) as { id: string };
          throw new TypeError("fetch failed: the connection was reset");
        }
      }
      return response;
    };
    const flaky = testClient({ fetch: losesFirstAnswer, retryBaseDelayMs: 10 });
    const job = await flaky.jobs.create({ files: [pdf.id], stages: ["extract"] });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(job.id).toBe(firstAnswer?.["id"]);
    await client.jobs.wait(job.id);
  });

  it("makes a new key for every logical create", async () => {
    const keys: string[] = [];
    const recording = testClient({
      fetch: (input, init) => {
        const request = new Request(input, init);
        if (request.method === "POST") keys.push(request.headers.get("Idempotency-Key") ?? "");
        return fetch(request);
      },
    });
    const first = await recording.jobs.create({ files: [pdf.id], stages: ["extract"] });
    const second = await recording.jobs.create({ files: [pdf.id], stages: ["extract"] });
    expect(new Set(keys).size).toBe(2);
    expect(first.id).not.toBe(second.id);
  });
});

describe("following a job", () => {
  it("follows a job over SSE: every event once, in order, until the terminal one", async () => {
    const job = await client.jobs.create({
      files: [pdf.id, image.id],
      stages: ["extract", "thumbnail", "index"],
    });
    const events: JobEvent[] = [];
    const transports: string[] = [];
    const done = await client.jobs.wait(job.id, {
      onEvent: (event) => events.push(event),
      onTransport: (transport) => transports.push(transport),
    });
    expect(transports).toEqual(["sse"]);
    expect(done.status).toBe("completed");
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]?.type).toBe("job.created");
    expect(events.at(-1)?.type).toBe("job.completed");
    // PDF: extract, thumbnail (its rendered first page) and index; image: extract and thumbnail (no text to index).
    expect(events.filter((event) => event.type === "job.stage_completed")).toHaveLength(5);
  });

  it("falls back to polling when the event stream is refused, and still sees every event once", async () => {
    let refused = 0;
    const noStreaming: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      if ((request.headers.get("Accept") ?? "").includes("text/event-stream")) {
        refused++;
        return new Response("<html>502 Bad Gateway</html>", {
          status: 502,
          headers: { "Content-Type": "text/html" },
        });
      }
      return fetch(request);
    };
    const proxied = testClient({ fetch: noStreaming, retryBaseDelayMs: 10 });
    const job = await proxied.jobs.create({ files: [pdf.id, corrupt.id], stages: ["extract"] });
    const transports: string[] = [];
    const events = await collect(
      proxied.jobs.follow(job.id, { onTransport: (t) => transports.push(t), pollIntervalMs: 100 }),
    );
    expect(refused).toBe(3);
    expect(transports).toEqual(["sse", "poll"]);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)).toMatchObject({ type: "job.completed", data: { status: "completed_with_errors" } });
    const failed = events.find((event) => event.type === "job.stage_failed");
    expect(failed).toMatchObject({
      fileId: corrupt.id,
      stage: "extract",
      data: { error: { code: "corrupt_file" } },
    });
  });

  it("retries only the failed files and follows the job to its new end", async () => {
    const job = await client.jobs.create({ files: [pdf.id, corrupt.id], stages: ["extract"] });
    expect((await client.jobs.wait(job.id)).status).toBe("completed_with_errors");
    const retried = await client.jobs.retry(job.id);
    expect(retried.status).toBe("processing");
    const again = await client.jobs.wait(job.id);
    expect(again.status).toBe("completed_with_errors");
    const broken = again.files.find((file) => file.fileId === corrupt.id);
    expect(broken?.stages.extract).toMatchObject({ status: "failed", error: { code: "corrupt_file" } });
    await expect(client.jobs.cancel(job.id)).rejects.toMatchObject({ code: "job_terminal", status: 409 });
  });
});

describe("pagination", () => {
  it("iterates files, jobs, a job's files and search results page by page", async () => {
    const names = ["one.md", "two.md", "three.md", "four.md", "five.md"];
    const blob = await blobOf(fixturePath("text/libjpeg-turbo_README.md"), "text/markdown");
    const uploaded: FileObject[] = [];
    for (const name of names) uploaded.push(await client.files.upload(blob, { name }));
    const newestFirst = await collect(client.files.iterate({ pageSize: 2 }), 5);
    expect(newestFirst.map((file) => file.id)).toEqual(uploaded.map((file) => file.id).reverse());

    const job = await client.jobs.create({
      files: uploaded.map((file) => file.id),
      stages: ["extract", "index"],
    });
    await client.jobs.wait(job.id);
    const jobFiles = await collect(client.jobs.iterateFiles(job.id, { pageSize: 2 }));
    expect(jobFiles.map((file) => file.fileId)).toEqual(uploaded.map((file) => file.id));
    const jobs = await collect(client.jobs.iterate({ pageSize: 2 }), 3);
    expect(jobs[0]?.id).toBe(job.id);
    expect(new Set(jobs.map((item) => item.id)).size).toBe(3);

    const pages: number[] = [];
    const paging = testClient({
      fetch: (input, init) => {
        if (String(input instanceof Request ? input.url : input).includes("/v1/search")) pages.push(1);
        return fetch(input, init);
      },
    });
    const results = await collect(paging.searchAll("libjpeg", { pageSize: 2 }), 5);
    expect(results).toHaveLength(5);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(results.every((result) => result.highlights.length > 0)).toBe(true);
  });
});

describe("rate limits", () => {
  it("waits out 429s as the server's Retry-After says, so every call succeeds", async () => {
    const admin = new SluiceClient({ baseUrl: inject("sluiceUrl"), adminToken: inject("adminToken") });
    const tenant = await admin.admin.createTenant({
      name: "slow tenant",
      settings: { requestsPerSecond: 2, burst: 2 },
    });
    const { key } = await admin.admin.createKey(tenant.id, "e2e");
    const statuses: number[] = [];
    const limited = new SluiceClient({
      baseUrl: inject("sluiceUrl"),
      apiKey: key,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        statuses.push(response.status);
        return response;
      },
    });
    const pages = await Promise.all(Array.from({ length: 6 }, () => limited.files.list({ limit: 1 })));
    expect(pages.every((page) => Array.isArray(page.files))).toBe(true);
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200)).toHaveLength(6);
  });
});

describe("synchronous processing", () => {
  it("processes a small file inline", async () => {
    const result = await client.process(
      [
        {
          data: await blobOf(fixturePath("text/libjpeg-turbo_README.md"), "text/markdown"),
          name: "README.md",
        },
      ],
      { stages: ["extract", "analyze"] },
    );
    expect(result.counts).toEqual({ total: 1, completed: 1, failed: 0 });
    expect(result.files[0]?.stages.analyze?.status).toBe("completed");
  });
});
