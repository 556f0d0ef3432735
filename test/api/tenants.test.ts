import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { call, createJob, createTenant, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

let aliceKey: string;
let bobKey: string;
let aliceFile: string;
let aliceJob: JobObject;

beforeAll(async () => {
  aliceKey = await createTenant("alice");
  bobKey = await createTenant("bob");
  aliceFile = (
    await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg", "image/jpeg", aliceKey)
  ).id;
  const created = await json<JobObject>(
    await createJob({ files: [aliceFile], stages: ["extract", "thumbnail"] }, aliceKey),
    202,
  );
  aliceJob = await waitForJob(created.id, aliceKey);
});

describe("tenant isolation", () => {
  it("lets the owner see their file and job", async () => {
    expect((await call(aliceKey, `/v1/files/${aliceFile}`)).status).toBe(200);
    expect(aliceJob.status).toBe("completed");
  });

  it("answers another tenant 404 on every file and job endpoint, exactly like a missing id", async () => {
    const thumb = (aliceJob.files[0]?.stages.thumbnail?.result as { thumbnails: { url: string }[] })
      .thumbnails[0]?.url;
    const requests: [string, string][] = [
      ["GET", `/v1/files/${aliceFile}`],
      ["GET", `/v1/files/${aliceFile}/content`],
      ["DELETE", `/v1/files/${aliceFile}`],
      ["GET", `/v1/jobs/${aliceJob.id}`],
      ["GET", `/v1/jobs/${aliceJob.id}/events`],
      ["POST", `/v1/jobs/${aliceJob.id}/cancel`],
      ["POST", `/v1/jobs/${aliceJob.id}/retry`],
      ["GET", thumb ?? ""],
      ["GET", `/v1/jobs/${aliceJob.id}/files/${aliceFile}/outputs/text`],
    ];
    for (const [method, path] of requests) {
      const foreign = await json(await call(bobKey, path, { method }), 404);
      expect(foreign["code"], `${method} ${path}`).toBe("not_found");
      const missingPath = path
        .replace(aliceJob.id, "job_01ARZ3NDEKTSV4RRFFQ69G5FAV")
        .replace(aliceFile, "file_01ARZ3NDEKTSV4RRFFQ69G5FAV");
      const missing = await json(await call(bobKey, missingPath, { method }), 404);
      expect({ ...foreign, requestId: "" }).toEqual({ ...missing, requestId: "" });
    }
    // Bob's attempts changed nothing for Alice.
    expect((await call(aliceKey, `/v1/files/${aliceFile}/content`)).status).toBe(200);
    expect((await json<JobObject>(await call(aliceKey, `/v1/jobs/${aliceJob.id}`), 200)).status).toBe(
      "completed",
    );
  });

  it("keeps listings apart", async () => {
    const bobFiles = await json<{ files: unknown[] }>(await call(bobKey, "/v1/files"), 200);
    const bobJobs = await json<{ jobs: unknown[] }>(await call(bobKey, "/v1/jobs"), 200);
    expect(bobFiles.files).toEqual([]);
    expect(bobJobs.jobs).toEqual([]);
    const aliceJobs = await json<{ jobs: { id: string }[] }>(await call(aliceKey, "/v1/jobs"), 200);
    expect(aliceJobs.jobs.map((job) => job.id)).toEqual([aliceJob.id]);
  });

  it("refuses a job naming another tenant's file", async () => {
    const body = await json(await createJob({ files: [aliceFile], stages: ["extract"] }, bobKey), 400);
    expect(body["code"]).toBe("unknown_file");
  });

  it("keys every stored object under its tenant", async () => {
    const listed = await env.FILES.list({ prefix: "t/alice/" });
    expect(listed.objects.length).toBeGreaterThan(0);
    expect((await env.FILES.list({ prefix: "t/bob/" })).objects).toEqual([]);
  });

  it("answers another tenant 404 on webhooks, uploads, job deletion and live events, and keeps search apart", async () => {
    const post = (key: string, path: string, body: unknown) =>
      call(key, path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const hook = await json<{ id: string }>(
      await post(aliceKey, "/v1/webhooks", { url: "http://hooks.example.test/alice" }),
      201,
    );
    const pending = await json<{ fileId: string }>(
      await post(aliceKey, "/v1/uploads", { name: "a.txt", size: 5, contentType: "text/plain" }),
      201,
    );
    const indexed = await json<JobObject>(
      await createJob({ files: [aliceFile], stages: ["extract", "index"] }, aliceKey),
      202,
    );
    await waitForJob(indexed.id, aliceKey);
    const requests: [string, string, RequestInit?][] = [
      ["DELETE", `/v1/webhooks/${hook.id}`],
      ["POST", `/v1/webhooks/${hook.id}/rotate`],
      ["GET", `/v1/webhooks/${hook.id}/deliveries`],
      ["GET", `/v1/uploads/${pending.fileId}`],
      ["DELETE", `/v1/uploads/${pending.fileId}`],
      ["POST", `/v1/uploads/${pending.fileId}/complete`],
      ["DELETE", `/v1/jobs/${aliceJob.id}`],
      ["GET", `/v1/jobs/${aliceJob.id}/events`, { headers: { Accept: "text/event-stream" } }],
    ];
    for (const [method, path, init] of requests) {
      const body = await json(await call(bobKey, path, { method, ...init }), 404);
      expect(body["code"], `${method} ${path}`).toBe("not_found");
    }
    // Bob's listings stay empty; Alice's things are all still there.
    expect((await json<{ webhooks: unknown[] }>(await call(bobKey, "/v1/webhooks"), 200)).webhooks).toEqual(
      [],
    );
    expect((await call(aliceKey, `/v1/webhooks/${hook.id}/deliveries`)).status).toBe(200);
    expect((await call(aliceKey, `/v1/uploads/${pending.fileId}`)).status).toBe(200);
    expect((await call(aliceKey, `/v1/jobs/${aliceJob.id}`)).status).toBe(200);
    // The indexed JPEG has no text; index a text file of Alice's so search has something to find.
    const text = await upload(
      new TextEncoder().encode("Quarterly zanzibarite report for Alice only."),
      "alice.txt",
      "text/plain",
      aliceKey,
    );
    await waitForJob(
      (
        await json<JobObject>(
          await createJob({ files: [text.id], stages: ["extract", "index"] }, aliceKey),
          202,
        )
      ).id,
      aliceKey,
    );
    const search = async (key: string) =>
      json<{ results: { fileId: string }[] }>(await call(key, "/v1/search?q=zanzibarite"), 200);
    expect((await search(aliceKey)).results.map((hit) => hit.fileId)).toEqual([text.id]);
    expect((await search(bobKey)).results).toEqual([]);
  });
});

describe("authentication", () => {
  it("answers 401 problem+json for a missing, malformed, unknown or revoked key", async () => {
    for (const header of [null, "Basic abc", "Bearer short", "Bearer sk_test_unknown_key_000000000000"]) {
      const response = await call(null, "/v1/files", header ? { headers: { Authorization: header } } : {});
      expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
      expect((await json(response, 401))["code"]).toBe("unauthorized");
    }
    const key = await createTenant("revoked");
    expect((await call(key, "/v1/files")).status).toBe(200);
    await env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE tenant_id = 'revoked'")
      .bind(Date.now())
      .run();
    expect((await call(key, "/v1/files")).status).toBe(401);
  });
});
