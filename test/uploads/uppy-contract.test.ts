/**
 * The requests Uppy's `@uppy/aws-s3` plugin (5.x, `endpoint` mode) makes to its signing server, made
 * here exactly as its source makes them: the paths under `{endpoint}/s3/...`, `encodeURIComponent` on
 * the upload id and `?key=`, the JSON bodies, and the fields it reads from each answer (`uploadId`,
 * `key`, `url`, `headers`, the `ETag` response header of a part PUT, `PartNumber`/`ETag` of listed
 * parts, `location`). Every answer is parsed with `res.json()`, as its RequestClient does.
 */
import { describe, expect, it } from "vitest";
import { call, DEV_KEY, json } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { s3Put, sha256Hex } from "./helpers";

/** What an app configures: `endpoint: "<sluice>/v1/uploads"`, `headers: { Authorization }`. */
const endpoint = "/v1/uploads";
const uppy = (path: string, init: RequestInit = {}) =>
  call(DEV_KEY, `${endpoint}/${path}`, {
    ...init,
    headers: { Accept: "application/json", ...(init.body ? { "Content-Type": "application/json" } : {}) },
  });

describe("Uppy @uppy/aws-s3 (Companion protocol) against Sluice", () => {
  it("multipart: createMultipartUpload, signPart, listParts, completeMultipartUpload", async () => {
    const MiB = 1024 * 1024;
    const file = new Uint8Array(6 * MiB).fill(0x41);
    file.set(new TextEncoder().encode("Uppy sends text"), 0);

    const created = await json<{ uploadId: string; key: string }>(
      await uppy("s3/multipart", {
        method: "POST",
        body: JSON.stringify({
          filename: "uppy.txt",
          type: "text/plain",
          metadata: { name: "uppy.txt", type: "text/plain" },
        }),
      }),
      201,
    );
    const { uploadId, key } = created;
    const chunks = [file.subarray(0, 5 * MiB), file.subarray(5 * MiB)];
    const etags: string[] = [];
    for (const [i, chunk] of chunks.entries()) {
      const signature = await json<{ url: string; headers?: Record<string, string> }>(
        await uppy(`s3/multipart/${encodeURIComponent(uploadId)}/${i + 1}?key=${encodeURIComponent(key)}`),
        200,
      );
      const put = await s3Put(signature.url, signature.headers ?? {}, chunk);
      const etag = put.headers.get("etag");
      expect(etag).toMatch(/^"[^"]+"$/);
      etags.push(etag ?? "");
    }
    // On resume Uppy lists parts; locally the list comes from recorded parts, which Uppy does not send,
    // so it is empty and Uppy would upload every part again. R2 in production lists them itself.
    const listed = await json<{ PartNumber: number; ETag: string }[]>(
      await uppy(`s3/multipart/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`),
      200,
    );
    expect(Array.isArray(listed)).toBe(true);

    const completed = await json<{ location: string }>(
      await uppy(`s3/multipart/${encodeURIComponent(uploadId)}/complete?key=${encodeURIComponent(key)}`, {
        method: "POST",
        body: JSON.stringify({ parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) }),
      }),
      201,
    );
    expect(completed.location).toBe(`/v1/files/${uploadId}`);
    const stored = await json<{ sha256: string; size: number }>(await call(DEV_KEY, completed.location), 200);
    expect(stored).toEqual(expect.objectContaining({ size: file.byteLength, sha256: await sha256Hex(file) }));
  });

  it("abortMultipartUpload answers JSON (Uppy parses every answer)", async () => {
    const { uploadId, key } = await json<{ uploadId: string; key: string }>(
      await uppy("s3/multipart", {
        method: "POST",
        body: JSON.stringify({ filename: "x.bin", type: "", metadata: {} }),
      }),
      201,
    );
    const aborted = await uppy(
      `s3/multipart/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`,
      {
        method: "DELETE",
      },
    );
    expect(await json(aborted, 200)).toEqual({});
  });

  it("getUploadParameters: a PUT with headers, then Sluice's complete makes the file", async () => {
    const bytes = await fixture("image/imagers_progressive_cat.jpg");
    const query = new URLSearchParams({
      filename: "cat.jpg",
      type: "image/jpeg",
      "metadata[size]": String(bytes.byteLength),
    });
    const params = await json<{
      method: string;
      url: string;
      fields: { key?: string };
      headers: Record<string, string>;
      fileId: string;
    }>(await uppy(`s3/params?${query.toString()}`), 200);
    expect(params.method).toBe("PUT");
    // Uppy reports `fields.key` back on success (`response.body.key`): the id to complete.
    expect(params.fields).toEqual({ key: params.fileId });
    expect((await s3Put(params.url, params.headers, bytes)).status).toBe(200);
    const file = await json<{ contentType: string }>(
      await call(DEV_KEY, `/v1/uploads/${params.fields.key ?? ""}/complete`, { method: "POST" }),
      201,
    );
    expect(file.contentType).toBe("image/jpeg");
  });

  it("is described in the OpenAPI document", async () => {
    const doc = await json<{ paths: Record<string, object> }>(await call(null, "/openapi.json"), 200);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/uploads",
        "/v1/uploads/{fileId}/complete",
        "/v1/uploads/s3/params",
        "/v1/uploads/s3/multipart",
        "/v1/uploads/s3/multipart/{uploadId}/{partNumber}",
        "/v1/uploads/s3/multipart/{uploadId}",
        "/v1/uploads/s3/multipart/{uploadId}/complete",
        "/v1/files/import",
      ]),
    );
  });
});
