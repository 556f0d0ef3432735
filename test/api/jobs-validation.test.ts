import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, createTenant, json, upload, type Json } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

let fileId: string;
let foreignFileId: string;

beforeAll(async () => {
  fileId = (await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md", "text/markdown")).id;
  const otherKey = await createTenant("validation-other");
  foreignFileId = (
    await upload(await fixture("text/libjpeg-turbo_README.md"), "theirs.md", "text/markdown", otherKey)
  ).id;
});

async function problemOf(response: Response, status: number): Promise<Json> {
  expect(response.headers.get("Content-Type")).toBe("application/problem+json");
  const body = await json(response, status);
  expect(body).toMatchObject({ status, type: `/problems/${String(body["code"])}` });
  expect(body["requestId"]).toBe(response.headers.get("X-Request-Id"));
  return body;
}

describe("POST /v1/jobs validation", () => {
  it("refuses a stage listed before the stage it needs", async () => {
    const body = await problemOf(await createJob({ files: [fileId], stages: ["analyze", "extract"] }), 400);
    expect(body["code"]).toBe("validation_failed");
    expect(body["detail"]).toContain("stage 'analyze' needs 'extract' to come before it");
  });

  it("refuses a stage whose dependency is missing", async () => {
    const body = await problemOf(await createJob({ files: [fileId], stages: ["enrich"] }), 400);
    expect(body["detail"]).toContain("stage 'enrich' needs 'analyze', which is not requested");
  });

  it("refuses an unknown stage and names it", async () => {
    const body = await problemOf(await createJob({ files: [fileId], stages: ["extract", "ocr"] }), 400);
    expect(body["detail"]).toMatch(/stages\.1/);
    expect(body["errors"]).toEqual([expect.objectContaining({ path: "body.stages.1" })]);
  });

  it("refuses a duplicate stage", async () => {
    const body = await problemOf(await createJob({ files: [fileId], stages: ["extract", "extract"] }), 400);
    expect(body["detail"]).toContain("stage 'extract' is listed more than once");
  });

  it("refuses an empty file list", async () => {
    const body = await problemOf(await createJob({ files: [], stages: ["extract"] }), 400);
    expect(body["detail"]).toContain("a job needs at least one file");
  });

  it("refuses an unknown file id and a file of another tenant, naming them", async () => {
    const missing = "file_01ARZ3NDEKTSV4RRFFQ69G5FAV";
    const body = await problemOf(
      await createJob({ files: [fileId, missing, foreignFileId], stages: ["extract"] }),
      400,
    );
    expect(body["code"]).toBe("unknown_file");
    expect(body["files"]).toEqual([missing, foreignFileId]);
    expect(body["detail"]).toContain(missing);
  });

  it("refuses malformed ids, unknown fields, invalid JSON and non-JSON bodies", async () => {
    expect(
      (await problemOf(await createJob({ files: ["nope"], stages: ["extract"] }), 400))["detail"],
    ).toContain("must be a file id");
    expect(
      (await problemOf(await createJob({ files: [fileId], stages: ["extract"], priority: 1 }), 400))[
        "detail"
      ],
    ).toContain("priority");
    const invalid = await api("/v1/jobs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    expect((await problemOf(invalid, 400))["code"]).toBe("invalid_json");
    const text = await api("/v1/jobs", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "{}",
    });
    expect((await problemOf(text, 415))["code"]).toBe("unsupported_media_type");
  });

  it("refuses bad thumbnail options", async () => {
    const body = await problemOf(
      await createJob({ files: [fileId], stages: ["thumbnail"], options: { thumbnail: { format: "gif" } } }),
      400,
    );
    expect(body["detail"]).toContain("options.thumbnail.format");
  });
});

describe("Idempotency-Key", () => {
  const request = () => ({ files: [fileId], stages: ["extract"] });

  it("returns the same job for the same key and body, and creates no second job", async () => {
    const first = await json<JobObject>(
      await createJob(request(), undefined, { "Idempotency-Key": "same-1" }),
      202,
    );
    const againResponse = await createJob(request(), undefined, { "Idempotency-Key": "same-1" });
    const again = await json<JobObject>(againResponse, 202);
    expect(again.id).toBe(first.id);
    expect(againResponse.headers.get("Idempotent-Replayed")).toBe("true");
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM jobs WHERE tenant_id = 'dev' AND id = ?")
      .bind(first.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    const keys = await env.DB.prepare(
      "SELECT count(*) AS n FROM idempotency_keys WHERE key = 'same-1'",
    ).first<{
      n: number;
    }>();
    expect(keys?.n).toBe(1);
  });

  it("treats a reordered but equal body as the same request", async () => {
    const first = await json<JobObject>(
      await createJob(request(), undefined, { "Idempotency-Key": "same-2" }),
      202,
    );
    const reordered = { stages: ["extract"], files: [fileId] };
    expect(
      (await json<JobObject>(await createJob(reordered, undefined, { "Idempotency-Key": "same-2" }), 202)).id,
    ).toBe(first.id);
  });

  it("answers 422 for the same key with another body", async () => {
    await json(await createJob(request(), undefined, { "Idempotency-Key": "other-body" }), 202);
    const response = await createJob({ files: [fileId], stages: ["thumbnail"] }, undefined, {
      "Idempotency-Key": "other-body",
    });
    expect((await problemOf(response, 422))["code"]).toBe("idempotency_key_reused");
  });

  it("answers 409 while the first request with the key is still in flight", async () => {
    await json(await createJob(request(), undefined, { "Idempotency-Key": "in-flight" }), 202);
    // Put the key back into the state it has while its first request runs.
    await env.DB.prepare(
      "UPDATE idempotency_keys SET state = 'in_flight', updated_at = ? WHERE key = 'in-flight'",
    )
      .bind(Date.now())
      .run();
    const response = await createJob(request(), undefined, { "Idempotency-Key": "in-flight" });
    expect((await problemOf(response, 409))["code"]).toBe("idempotency_key_in_use");
    expect(response.headers.get("Retry-After")).toBe("1");
  });

  it("lets a retry finish a request that crashed after reserving its key (same job id)", async () => {
    await json(await createJob(request(), undefined, { "Idempotency-Key": "crashed" }), 202);
    const row = await env.DB.prepare("SELECT job_id FROM idempotency_keys WHERE key = 'crashed'").first<{
      job_id: string;
    }>();
    await env.DB.prepare(
      "UPDATE idempotency_keys SET state = 'in_flight', updated_at = 0 WHERE key = 'crashed'",
    ).run();
    const retried = await json<JobObject>(
      await createJob(request(), undefined, { "Idempotency-Key": "crashed" }),
      202,
    );
    expect(retried.id).toBe(row?.job_id);
  });

  it("frees the key of a refused request, so a corrected one can use it", async () => {
    await problemOf(
      await createJob({ files: [fileId], stages: ["extract", "extract"] }, undefined, {
        "Idempotency-Key": "fixme",
      }),
      400,
    );
    await problemOf(
      await createJob({ files: ["file_01ARZ3NDEKTSV4RRFFQ69G5FAV"], stages: ["extract"] }, undefined, {
        "Idempotency-Key": "fixme",
      }),
      400,
    );
    await json(await createJob(request(), undefined, { "Idempotency-Key": "fixme" }), 202);
  });
});
