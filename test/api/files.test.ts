import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture, manifest } from "../helpers/fixtures";

type FileBody = {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  createdAt: string;
};

describe("POST /v1/files", () => {
  it("streams a raw body to storage and reports its size, type (sniffed) and SHA-256", async () => {
    const path = "image/sharp_webp_gallery_4_lossy.webp";
    const bytes = await fixture(path);
    // The declared type is wrong on purpose: the bytes decide.
    const response = await api("/v1/files?name=photo.webp", {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: bytes,
    });
    const file = await json<FileBody>(response, 201);
    expect(file).toMatchObject({ name: "photo.webp", size: bytes.byteLength, contentType: "image/webp" });
    expect(file.sha256).toBe((await manifest(path)).sha256);
    expect(response.headers.get("Location")).toBe(`/v1/files/${file.id}`);
    const stored = await env.FILES.head(`t/dev/f/${file.id}/source`);
    expect(stored?.size).toBe(bytes.byteLength);
  });

  it("stores a body without Content-Length (chunked) larger than one part as a multipart object", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x61);
    const total = 9;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < total; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await api("/v1/files?name=big.txt", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body,
      // @ts-expect-error -- `duplex` is required by fetch for streamed request bodies.
      duplex: "half",
    });
    const file = await json<FileBody>(response, 201);
    expect(file.size).toBe(total * chunk.byteLength);
    const expected = new Uint8Array(total * chunk.byteLength).fill(0x61);
    const digest = await crypto.subtle.digest("SHA-256", expected);
    expect(file.sha256).toBe(
      Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(""),
    );
    const stored = await env.FILES.get(`t/dev/f/${file.id}/source`);
    expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(expected);
  });

  it("accepts multipart/form-data with several file parts", async () => {
    const form = new FormData();
    form.append(
      "file",
      new File([await fixture("text/libjpeg-turbo_README.md")], "README.md", { type: "text/markdown" }),
    );
    form.append("file", new File([await fixture("image/imagers_progressive_cat.jpg")], "../../etc/cat.jpg"));
    const body = await json<{ files: FileBody[] }>(
      await api("/v1/files", { method: "POST", body: form }),
      201,
    );
    expect(body.files.map((file) => [file.name, file.contentType])).toEqual([
      ["README.md", "text/markdown"],
      ["cat.jpg", "image/jpeg"],
    ]);
  });

  it("refuses an empty body (422) and a body over the limit (413) with problem+json", async () => {
    const empty = await json(await api("/v1/files?name=x", { method: "POST", body: new Uint8Array(0) }), 422);
    expect(empty["code"]).toBe("empty_body");
    const tooBig = await api("/v1/files?name=x", {
      method: "POST",
      headers: { "Content-Length": String(200 * 1024 * 1024) },
      body: new Uint8Array(10),
    });
    expect(tooBig.headers.get("Content-Type")).toBe("application/problem+json");
    expect((await json(tooBig, 413))["code"]).toBe("payload_too_large");
  });

  it("normalises hostile file names and never uses them as storage keys", async () => {
    const name = encodeURIComponent("..\\..\\evil\u202Egnp.exe\u0000");
    const file = await json<FileBody>(
      await api(`/v1/files?name=${name}`, { method: "POST", body: "hello world" }),
      201,
    );
    expect(file.name).toBe("evilgnp.exe");
    const listed = await env.FILES.list({ prefix: "t/dev/f/" + file.id });
    expect(listed.objects.map((object) => object.key)).toEqual([`t/dev/f/${file.id}/source`]);
  });
});

describe("GET /v1/files", () => {
  it("lists newest first with a cursor, and rejects a tampered cursor", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await upload(new TextEncoder().encode(`file ${i}`), `f${i}.txt`)).id);
    const first = await json<{ files: FileBody[]; nextCursor: string | null }>(
      await api("/v1/files?limit=2"),
      200,
    );
    expect(first.files).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const all: string[] = first.files.map((file) => file.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await json<{ files: FileBody[]; nextCursor: string | null }>(
        await api(`/v1/files?limit=2&cursor=${cursor}`),
        200,
      );
      all.push(...page.files.map((file) => file.id));
      cursor = page.nextCursor;
    }
    expect(all.slice(0, 3)).toEqual([...ids].reverse());
    expect(new Set(all).size).toBe(all.length);

    expect((await json(await api("/v1/files?cursor=not-a-cursor"), 400))["code"]).toBe("invalid_cursor");
    expect((await json(await api("/v1/files?limit=100000"), 400))["code"]).toBe("validation_failed");
  });
});

describe("file content and deletion", () => {
  it("serves the bytes, with Range support", async () => {
    const bytes = await fixture("text/libjpeg-turbo_README.md");
    const file = await upload(bytes, "README.md", "text/markdown");
    const whole = await api(`/v1/files/${file.id}/content`);
    expect(whole.headers.get("Content-Type")).toBe("text/markdown");
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(bytes);

    const part = await api(`/v1/files/${file.id}/content`, { headers: { Range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe(`bytes 10-19/${bytes.byteLength}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(10, 20));

    const suffix = await api(`/v1/files/${file.id}/content`, { headers: { Range: "bytes=-5" } });
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(bytes.slice(-5));

    const outside = await api(`/v1/files/${file.id}/content`, {
      headers: { Range: `bytes=${bytes.byteLength}-` },
    });
    expect(outside.status).toBe(416);
    expect(outside.headers.get("Content-Range")).toBe(`bytes */${bytes.byteLength}`);
  });

  it("deletes the bytes and every output derived from them", async () => {
    const file = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg");
    const job = await json<JobObject>(
      await createJob({ files: [file.id], stages: ["extract", "thumbnail"] }),
      202,
    );
    const done = await waitForJob(job.id);
    const thumbnail = (done.files[0]?.stages.thumbnail?.result as { thumbnails: { url: string }[] })
      .thumbnails[0];
    expect((await api(thumbnail?.url ?? "")).status).toBe(200);
    expect((await env.FILES.list({ prefix: `t/dev/f/${file.id}/` })).objects.length).toBeGreaterThan(1);

    expect((await api(`/v1/files/${file.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await env.FILES.list({ prefix: `t/dev/f/${file.id}/` })).objects).toEqual([]);
    expect((await json(await api(`/v1/files/${file.id}`), 404))["code"]).toBe("not_found");
    expect((await api(thumbnail?.url ?? "")).status).toBe(404);
    expect((await api(`/v1/files/${file.id}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("the rest of the surface", () => {
  it("answers /healthz without a key, publishes the OpenAPI document and 404s unknown routes", async () => {
    expect(await json(await api("/healthz"), 200)).toEqual({ status: "ok" });
    const doc = await json<{ openapi: string; paths: Record<string, unknown> }>(
      await api("/openapi.json"),
      200,
    );
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/files",
        "/v1/jobs",
        "/v1/jobs/{id}/events",
        "/v1/jobs/{id}/files/{fileId}/outputs/{name}",
      ]),
    );
    const missing = await api("/v1/nothing-here");
    expect(missing.headers.get("Content-Type")).toBe("application/problem+json");
    expect((await json(missing, 404))["code"]).toBe("route_not_found");
  });
});
