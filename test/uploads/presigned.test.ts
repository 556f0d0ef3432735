/**
 * Presigned single uploads over the real S3 path: Sluice signs, the test PUTs with plain fetch to
 * wrangler's S3-compatible R2 endpoint (which checks SigV4), and completion verifies what arrived.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { DEV_TENANT } from "../../src/http/auth";
import { presignPut } from "../../src/uploads/presign";
import { s3Target } from "../../src/uploads/s3-target";
import { sweepExpiredUploads } from "../../src/uploads/sweep";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, createTenant, json, call, waitForJob } from "../helpers/api";
import { fixture, manifest } from "../helpers/fixtures";
import {
  complete,
  postJson,
  presign,
  s3ErrorCode,
  s3Put,
  sha256Hex,
  storedKeys,
  type FileBody,
} from "./helpers";

const PDF = "pdf/pdfjs_tracemonkey.pdf";

describe("presign → PUT → complete", () => {
  it("stores the bytes straight in R2 and, once verified, they run through a job", async () => {
    const bytes = await fixture(PDF);
    const { sha256 } = await manifest(PDF);
    const upload = await presign({
      name: "tracemonkey.pdf",
      size: bytes.byteLength,
      contentType: "application/pdf",
      sha256,
    });
    expect(upload.url).toContain(`/sluice-files/t/dev/f/${upload.fileId}/source?`);
    expect(upload.headers).toEqual({ "content-type": "application/pdf", "if-none-match": "*" });
    expect(upload.expires).toBe(getConfig(env).UPLOAD_URL_TTL_SECONDS);

    // Not a file until it is completed.
    expect((await json(await api(`/v1/files/${upload.fileId}`), 404))["code"]).toBe("not_found");
    expect((await s3Put(upload.url, upload.headers, bytes)).status).toBe(200);
    expect((await json(await api(`/v1/files/${upload.fileId}`), 404))["code"]).toBe("not_found");

    const response = await complete(upload.fileId);
    const file = await json<FileBody>(response, 201);
    expect(file).toMatchObject({
      id: upload.fileId,
      name: "tracemonkey.pdf",
      size: bytes.byteLength,
      contentType: "application/pdf",
      sha256,
      location: `/v1/files/${upload.fileId}`,
    });
    expect(response.headers.get("Location")).toBe(`/v1/files/${upload.fileId}`);

    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    const done = await waitForJob(job.id);
    expect(done.status).toBe("completed");
    expect((done.files[0]?.stages.extract?.result as { pageCount: number }).pageCount).toBe(14);
  });

  it("completing twice returns the same file, and only one file exists", async () => {
    const body = "twice is fine\n";
    const upload = await presign({ name: "twice.txt", size: body.length, contentType: "text/plain" });
    await s3Put(upload.url, upload.headers, body);
    const first = await json<FileBody>(await complete(upload.fileId), 201);
    const second = await json<FileBody>(await complete(upload.fileId), 200);
    expect(second).toEqual(first);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM files WHERE tenant_id = 'dev' AND id = ?")
      .bind(upload.fileId)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    expect(await json(await api(`/v1/uploads/${upload.fileId}`), 200)).toMatchObject({ state: "completed" });
  });

  it("a URL works once: after the upload, nobody can overwrite the verified bytes", async () => {
    const upload = await presign({ name: "once.txt", size: 5, contentType: "text/plain" });
    expect((await s3Put(upload.url, upload.headers, "first")).status).toBe(200);
    await json(await complete(upload.fileId), 201);
    const again = await s3Put(upload.url, upload.headers, "other");
    expect(again.status).toBe(412);
    expect(await s3ErrorCode(again)).toBe("PreconditionFailed");
    expect(await (await api(`/v1/files/${upload.fileId}/content`)).text()).toBe("first");
  });
});

describe("data residency", () => {
  it("sends an EU tenant's bytes to the EU bucket", async () => {
    const key = await createTenant("eu-uploads");
    await env.DB.prepare("UPDATE tenants SET jurisdiction = 'eu' WHERE id = 'eu-uploads'").run();
    const upload = await presign({ name: "eu.txt", size: 6, contentType: "text/plain" }, key);
    expect(upload.url).toContain(`/sluice-files-eu/t/eu-uploads/f/${upload.fileId}/source?`);
    expect((await s3Put(upload.url, upload.headers, "bonjou")).status).toBe(200);
    await json(await call(key, `/v1/uploads/${upload.fileId}/complete`, { method: "POST" }), 201);
    expect(await env.FILES_EU.head(`t/eu-uploads/f/${upload.fileId}/source`)).not.toBeNull();
    expect(await env.FILES.head(`t/eu-uploads/f/${upload.fileId}/source`)).toBeNull();
  });
});

describe("the S3 endpoint refuses what the signature does not cover", () => {
  it("refuses a tampered signature, another key, a wrong Content-Type and a missing signed header", async () => {
    const upload = await presign({ name: "a.txt", size: 5, contentType: "text/plain" });
    const url = new URL(upload.url);

    const tampered = new URL(url);
    const signature = tampered.searchParams.get("X-Amz-Signature") ?? "";
    tampered.searchParams.set(
      "X-Amz-Signature",
      `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`,
    );
    const badSignature = await s3Put(tampered.href, upload.headers, "hello");
    expect([badSignature.status, await s3ErrorCode(badSignature)]).toEqual([403, "SignatureDoesNotMatch"]);

    const otherKey = new URL(url.href.replace(upload.fileId, "file_01JD3Z6W8F4Q2X7V9K1M3N5P7R"));
    const wrongKey = await s3Put(otherKey.href, upload.headers, "hello");
    expect([wrongKey.status, await s3ErrorCode(wrongKey)]).toEqual([403, "SignatureDoesNotMatch"]);

    const otherTenant = new URL(url.href.replace("/t/dev/", "/t/acme/"));
    expect((await s3Put(otherTenant.href, upload.headers, "hello")).status).toBe(403);

    const wrongType = await s3Put(upload.url, { ...upload.headers, "content-type": "text/html" }, "hello");
    expect([wrongType.status, await s3ErrorCode(wrongType)]).toEqual([403, "SignatureDoesNotMatch"]);

    const withoutCondition = await s3Put(upload.url, { "content-type": "text/plain" }, "hello");
    expect(withoutCondition.status).toBe(403);

    expect(await storedKeys("t/")).not.toContain(`t/dev/f/${upload.fileId}/source`);
    expect((await json(await complete(upload.fileId), 422))["code"]).toBe("upload_object_missing");
    // Nothing was rejected for good: the right PUT still works.
    expect((await s3Put(upload.url, upload.headers, "hello")).status).toBe(200);
    await json(await complete(upload.fileId), 201);
  });

  it("refuses an expired URL", async () => {
    const target = s3Target(getConfig(env), DEV_TENANT, "http://sluice.test/v1/uploads");
    const hourAgo = Date.now() - 3600_000;
    const expired = await presignPut(target, {
      key: "t/dev/f/file_01JD3Z6W8F4Q2X7V9K1M3N5P7R/source",
      headers: { "content-type": "text/plain" },
      expiresIn: 60,
      now: hourAgo,
    });
    expect(new URL(expired.url).searchParams.get("X-Amz-Expires")).toBe("60");
    const response = await s3Put(expired.url, expired.headers, "late");
    expect([response.status, await s3ErrorCode(response)]).toEqual([403, "ExpiredRequest"]);
    // The same signing, valid now, is accepted: only the time differs.
    const fresh = await presignPut(target, {
      key: "t/dev/f/file_01JD3Z6W8F4Q2X7V9K1M3N5P7R/source",
      headers: { "content-type": "text/plain" },
      expiresIn: 60,
    });
    expect((await s3Put(fresh.url, fresh.headers, "on time")).status).toBe(200);
  });

  it("honours a shorter expiresIn, never a longer one than configured", async () => {
    const short = await presign({ name: "a.txt", size: 1, contentType: "text/plain", expiresIn: 30 });
    expect(new URL(short.url).searchParams.get("X-Amz-Expires")).toBe("30");
    const long = await presign({ name: "a.txt", size: 1, contentType: "text/plain", expiresIn: 604_800 });
    expect(long.expires).toBe(getConfig(env).UPLOAD_URL_TTL_SECONDS);
  });
});

describe("completion verifies what arrived", () => {
  it("catches a PUT larger than declared: 422, the object is deleted, the upload stays rejected", async () => {
    const upload = await presign({ name: "small.txt", size: 10, contentType: "text/plain" });
    expect((await s3Put(upload.url, upload.headers, "twenty bytes of text")).status).toBe(200);
    const problem = await json(await complete(upload.fileId), 422);
    expect(problem).toMatchObject({
      code: "upload_size_mismatch",
      detail: "declared 10 bytes, but 20 bytes arrived",
    });
    expect(await storedKeys(`t/dev/f/${upload.fileId}/`)).toEqual([]);
    expect((await json(await api(`/v1/files/${upload.fileId}`), 404))["code"]).toBe("not_found");
    expect((await json(await complete(upload.fileId), 422))["code"]).toBe("upload_size_mismatch");
    expect(await json(await api(`/v1/uploads/${upload.fileId}`), 200)).toMatchObject({
      state: "rejected",
      error: { code: "upload_size_mismatch" },
    });
  });

  it("refuses bytes of another type family (a declared PNG that is HTML) and a wrong SHA-256", async () => {
    const html = await fixture("malformed/document_actually_html.pdf");
    const png = await presign({ name: "photo.png", size: html.byteLength, contentType: "image/png" });
    await s3Put(png.url, png.headers, html);
    expect(await json(await complete(png.fileId), 422)).toMatchObject({
      code: "upload_type_mismatch",
      detail: "declared image/png, but the content is text/html bytes",
    });

    const text = "checksummed\n";
    const wrongHash = await sha256Hex("something else");
    const hashed = await presign({
      name: "c.txt",
      size: text.length,
      contentType: "text/plain",
      sha256: wrongHash,
    });
    await s3Put(hashed.url, hashed.headers, text);
    const problem = await json(await complete(hashed.fileId), 422);
    expect(problem["code"]).toBe("upload_checksum_mismatch");
    expect(problem["detail"]).toContain(await sha256Hex(text));
    expect(await storedKeys(`t/dev/f/${hashed.fileId}/`)).toEqual([]);
  });

  it("accepts a JPEG declared as PNG (same family) and records what it really is", async () => {
    const jpeg = await fixture("image/imagers_progressive_cat.jpg");
    const upload = await presign({ name: "cat.png", size: jpeg.byteLength, contentType: "image/png" });
    await s3Put(upload.url, upload.headers, jpeg);
    expect(await json(await complete(upload.fileId), 201)).toMatchObject({ contentType: "image/jpeg" });
  });
});

describe("upload requests", () => {
  it("validates the declaration and keeps tenants apart", async () => {
    const limit = getConfig(env).MAX_PRESIGNED_UPLOAD_BYTES;
    const tooBig = await json(
      await postJson("/v1/uploads", { name: "x", size: limit + 1, contentType: "video/mp4" }),
      422,
    );
    expect(tooBig).toMatchObject({ code: "upload_too_large", limit });
    const invalid = await json(
      await postJson("/v1/uploads", { name: "x", size: 0, contentType: "nope", sha256: "12" }),
      400,
    );
    expect(invalid["code"]).toBe("validation_failed");
    expect((invalid["errors"] as { path: string }[]).map((e) => e.path).sort()).toEqual([
      "body.contentType",
      "body.sha256",
      "body.size",
    ]);

    const upload = await presign({ name: "../../etc/passwd", size: 3, contentType: "text/plain" });
    expect(upload.url).toContain(`/t/dev/f/${upload.fileId}/source`);
    const otherKey = await createTenant("uploads-other");
    expect(
      (await json(await call(otherKey, `/v1/uploads/${upload.fileId}/complete`, { method: "POST" }), 404))[
        "code"
      ],
    ).toBe("not_found");
    await s3Put(upload.url, upload.headers, "abc");
    expect(await json(await complete(upload.fileId), 201)).toMatchObject({ name: "passwd" });
  });

  it("aborts a pending upload; an expired one can no longer be completed", async () => {
    const aborted = await presign({ name: "a.txt", size: 3, contentType: "text/plain" });
    await s3Put(aborted.url, aborted.headers, "abc");
    expect((await api(`/v1/uploads/${aborted.fileId}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/v1/uploads/${aborted.fileId}`, { method: "DELETE" })).status).toBe(204);
    expect(await storedKeys(`t/dev/f/${aborted.fileId}/`)).toEqual([]);
    expect((await json(await complete(aborted.fileId), 409))["code"]).toBe("upload_aborted");

    const late = await presign({ name: "b.txt", size: 3, contentType: "text/plain" });
    await s3Put(late.url, late.headers, "abc");
    await env.DB.prepare("UPDATE uploads SET expires_at = 1 WHERE file_id = ?").bind(late.fileId).run();
    expect((await json(await complete(late.fileId), 410))["code"]).toBe("upload_expired");
    expect((await json(await complete(late.fileId), 410))["code"]).toBe("upload_expired");
  });
});

describe("clean-up", () => {
  it("sweeps expired uploads that never became files, and keeps completed ones", async () => {
    const pending = await presign({ name: "p.txt", size: 3, contentType: "text/plain" });
    await s3Put(pending.url, pending.headers, "abc");
    const multipart = await json<{ fileId: string }>(
      await postJson("/v1/uploads/s3/multipart", { name: "m.txt", contentType: "text/plain" }),
      201,
    );
    const done = await presign({ name: "d.txt", size: 3, contentType: "text/plain" });
    await s3Put(done.url, done.headers, "abc");
    await json(await complete(done.fileId), 201);
    const ids = [pending.fileId, multipart.fileId, done.fileId];
    await env.DB.prepare(
      "UPDATE uploads SET expires_at = 1 WHERE file_id IN (SELECT value FROM json_each(?))",
    )
      .bind(JSON.stringify(ids))
      .run();

    // (Uploads that earlier tests in this file expired are swept too.)
    expect((await sweepExpiredUploads(env, Date.now())).swept).toBeGreaterThanOrEqual(2);
    expect(await storedKeys(`t/dev/f/${pending.fileId}/`)).toEqual([]);
    expect((await json(await api(`/v1/uploads/${pending.fileId}`), 404))["code"]).toBe("not_found");
    expect((await json(await api(`/v1/uploads/${multipart.fileId}`), 404))["code"]).toBe("not_found");
    expect(await json(await api(`/v1/uploads/${done.fileId}`), 200)).toMatchObject({ state: "completed" });
    expect((await api(`/v1/files/${done.fileId}/content`)).status).toBe(200);
    expect(await sweepExpiredUploads(env, Date.now())).toEqual({ swept: 0 });
  });
});
