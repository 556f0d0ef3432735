/**
 * Per-tenant quotas, set in tenant settings: past its indexed-bytes quota a tenant's index stage fails
 * with `index_quota_exceeded` (and writes nothing) while another tenant indexes normally; past the files,
 * pending multipart uploads and webhook endpoint quotas the request gets a 4xx problem+json.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { ADMIN_TOKEN, adminTenant, call, createJob, json, upload, waitForJob } from "../helpers/api";

const sentence = (n: number) =>
  new TextEncoder().encode(
    Array.from({ length: n }, (_, i) => `Line ${i}: the quarterly report lists revenue and costs.`).join(
      "\n",
    ),
  );

const postJson = (key: string, path: string, body: unknown) =>
  call(key, path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

async function indexOne(key: string, name: string, bytes: Uint8Array) {
  const file = await upload(bytes, name, "text/plain", key);
  const job = await json<JobObject>(
    await createJob({ files: [file.id], stages: ["extract", "index"] }, key),
    202,
  );
  const done = await waitForJob(job.id, key);
  return { file, job: done, index: done.files[0]?.stages.index };
}

const indexedRows = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM search_sections WHERE tenant_id = ?")
      .bind(tenantId)
      .first<{ n: number }>()
  )?.n;

describe("indexed-bytes quota", () => {
  it("fails the index stage past the quota while another tenant indexes normally", async () => {
    // Room for one ~600-byte document, not two.
    const small = await adminTenant({ id: "quota-small", settings: { maxIndexedBytes: 1000 } });
    const other = await adminTenant({ id: "quota-other" });

    const first = await indexOne(small, "first.txt", sentence(10));
    expect(first.index).toMatchObject({ status: "completed" });
    const rowsAfterFirst = await indexedRows("quota-small");

    const second = await indexOne(small, "second.txt", sentence(10));
    expect(second.index).toMatchObject({ status: "failed", error: { code: "index_quota_exceeded" } });
    expect(second.job.files[0]?.stages.extract).toMatchObject({ status: "completed" });
    expect(await indexedRows("quota-small")).toBe(rowsAfterFirst);

    // Re-indexing the file already in the index replaces it: it still fits.
    const again = await json<JobObject>(
      await createJob({ files: [first.file.id], stages: ["extract", "index"] }, small),
      202,
    );
    expect((await waitForJob(again.id, small)).files[0]?.stages.index).toMatchObject({ status: "completed" });

    const elsewhere = await indexOne(other, "other.txt", sentence(10));
    expect(elsewhere.index).toMatchObject({ status: "completed" });
    expect(await indexedRows("quota-other")).toBeGreaterThan(0);
  });

  it("keeps the tenant's indexed-bytes total in step with deletions", async () => {
    const key = await adminTenant({ id: "quota-usage" });
    const { file } = await indexOne(key, "doc.txt", sentence(5));
    const usage = async () =>
      (
        await env.DB.prepare("SELECT bytes FROM tenant_index_usage WHERE tenant_id = ?")
          .bind("quota-usage")
          .first<{ bytes: number }>()
      )?.bytes;
    const stored = await env.DB.prepare(
      "SELECT sum(length(CAST(body AS BLOB))) AS bytes FROM search_sections WHERE tenant_id = ?",
    )
      .bind("quota-usage")
      .first<{ bytes: number }>();
    expect(await usage()).toBe(stored?.bytes);
    expect(await usage()).toBeGreaterThan(0);
    expect((await call(key, `/v1/files/${file.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await usage()).toBe(0);
  });
});

describe("request quotas", () => {
  it("refuses a file past the files quota with 409 file_quota_exceeded", async () => {
    const key = await adminTenant({ id: "quota-files", settings: { maxFiles: 2 } });
    await upload(sentence(1), "a.txt", "text/plain", key);
    await upload(sentence(1), "b.txt", "text/plain", key);
    const refused = await call(key, "/v1/files?name=c.txt", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: sentence(1),
    });
    expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await json(refused, 409)).toMatchObject({ code: "file_quota_exceeded", limit: 2 });
    // Presigned uploads count against the same quota.
    const presigned = await postJson(key, "/v1/uploads", {
      name: "d.txt",
      size: 3,
      contentType: "text/plain",
    });
    expect(await json(presigned, 409)).toMatchObject({ code: "file_quota_exceeded" });
  });

  it("refuses a multipart upload past the pending-uploads quota with 429, and frees the slot on abort", async () => {
    const key = await adminTenant({ id: "quota-uploads", settings: { maxPendingUploads: 2 } });
    const start = () => postJson(key, "/v1/uploads/s3/multipart", { name: "big.bin" });
    const first = await json<{ uploadId: string }>(await start(), 201);
    await json(await start(), 201);
    expect(await json(await start(), 429)).toMatchObject({ code: "pending_upload_quota_exceeded", limit: 2 });
    expect((await call(key, `/v1/uploads/s3/multipart/${first.uploadId}`, { method: "DELETE" })).status).toBe(
      200,
    );
    await json(await start(), 201);
  });

  it("refuses a webhook endpoint past the endpoints quota with 409", async () => {
    const key = await adminTenant({ id: "quota-hooks", settings: { maxWebhookEndpoints: 1 } });
    const register = () => postJson(key, "/v1/webhooks", { url: "https://public.import.test/hooks" });
    const first = await json<{ id: string }>(await register(), 201);
    expect(await json(await register(), 409)).toMatchObject({
      code: "webhook_endpoint_quota_exceeded",
      limit: 1,
    });
    expect((await call(key, `/v1/webhooks/${first.id}`, { method: "DELETE" })).status).toBe(204);
    await json(await register(), 201);
  });

  it("takes the quotas from tenant settings, changeable through the admin API", async () => {
    const key = await adminTenant({ id: "quota-admin", settings: { maxWebhookEndpoints: 0 } });
    const register = () => postJson(key, "/v1/webhooks", { url: "https://public.import.test/a" });
    expect((await register()).status).toBe(409);
    const patched = await call(ADMIN_TOKEN, "/admin/tenants/quota-admin", {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ settings: { maxWebhookEndpoints: 1 } }),
    });
    expect(await json(patched, 200)).toMatchObject({ settings: { maxWebhookEndpoints: 1 } });
    expect((await register()).status).toBe(201);
  });
});
