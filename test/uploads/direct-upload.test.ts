/**
 * Hardening of direct uploads (POST /v1/files): the size limit with and without Content-Length, the
 * declared type checked against the bytes, empty bodies, and hostile file names. Each case states the
 * status and the problem+json `code` a client sees, and that nothing is left behind in R2.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { api, json } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { storedKeys, type FileBody } from "./helpers";

const rawUpload = (
  name: string,
  body: BodyInit,
  headers: Record<string, string> = {},
  init: RequestInit = {},
) => api(`/v1/files?name=${encodeURIComponent(name)}`, { method: "POST", headers, body, ...init });

/** A body of `total` bytes that announces no length (sent chunked), produced lazily. */
function chunked(total: number, first?: Uint8Array): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(1024 * 1024).fill(0x61);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const next = sent === 0 && first ? first : chunk.subarray(0, Math.min(chunk.byteLength, total - sent));
      sent += next.byteLength;
      controller.enqueue(next);
    },
  });
}
const streamed = { duplex: "half" } as RequestInit;

/** An empty ZIP archive: just the end-of-central-directory record. */
const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

describe("size limit", () => {
  it("answers 413 from Content-Length alone, before reading the body", async () => {
    const before = await storedKeys("t/dev/");
    const limit = getConfig(env).MAX_UPLOAD_BYTES;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const response = await rawUpload("big.bin", body, { "Content-Length": String(limit + 1) }, streamed);
    expect(await json(response, 413)).toMatchObject({ code: "payload_too_large", limit });
    // Streams pre-fill a chunk or two; reading the body would have pulled ~100,000 of them.
    expect(pulled).toBeLessThan(16);
    expect(await storedKeys("t/dev/")).toEqual(before);
  });

  it("enforces the limit while streaming when there is no Content-Length, leaving nothing behind", async () => {
    const before = await storedKeys("t/dev/");
    const limit = getConfig(env).MAX_UPLOAD_BYTES;
    const response = await rawUpload(
      "endless.txt",
      chunked(limit + 1),
      { "Content-Type": "text/plain" },
      streamed,
    );
    expect(await json(response, 413)).toMatchObject({ code: "payload_too_large", limit });
    expect(await storedKeys("t/dev/")).toEqual(before);
  });
});

describe("declared type against the bytes", () => {
  it("refuses a declared image/png that is really HTML, or a ZIP archive, with 415", async () => {
    const before = await storedKeys("t/dev/");
    const html = await fixture("malformed/document_actually_html.pdf");
    for (const [bytes, declared, shows] of [
      [html, "image/png", "text/html"],
      [EMPTY_ZIP, "image/png", "bytes of no recognised type"],
      [html, "application/pdf", "text/html"],
    ] as const) {
      const response = await rawUpload("x.png", bytes, { "Content-Type": declared });
      const problem = await json(response, 415);
      expect(response.headers.get("Content-Type")).toBe("application/problem+json");
      expect(problem).toMatchObject({ code: "content_type_mismatch" });
      expect(problem["detail"]).toBe(
        `declared ${declared}, but the content is ${shows}${shows.startsWith("bytes") ? "" : " bytes"}`,
      );
    }
    expect(await storedKeys("t/dev/")).toEqual(before);
  });

  it("stops a long mismatching body at its first bytes, before storing it", async () => {
    const before = await storedKeys("t/dev/");
    const html = new TextEncoder().encode("<!doctype html><html><body>not a picture</body></html>\n");
    const response = await rawUpload(
      "fake.png",
      chunked(20 * 1024 * 1024, html),
      { "Content-Type": "image/png" },
      streamed,
    );
    expect((await json(response, 415))["code"]).toBe("content_type_mismatch");
    expect(await storedKeys("t/dev/")).toEqual(before);
  });

  it("accepts the same family and claims that say nothing, recording what the bytes are", async () => {
    const jpeg = await fixture("image/imagers_progressive_cat.jpg");
    const asPng = await json<FileBody>(
      await rawUpload("cat.png", jpeg, { "Content-Type": "image/png" }),
      201,
    );
    expect(asPng.contentType).toBe("image/jpeg");
    const unknown = await json<FileBody>(
      await rawUpload("a.zip", EMPTY_ZIP, { "Content-Type": "application/zip" }),
      201,
    );
    expect(unknown.contentType).toBe("application/zip");
    const untyped = await json<FileBody>(
      await rawUpload("b.bin", jpeg, { "Content-Type": "application/octet-stream" }),
      201,
    );
    expect(untyped.contentType).toBe("image/jpeg");
  });

  it("checks each part of a form upload too, and keeps none of the form when one part lies", async () => {
    const before = await storedKeys("t/dev/");
    const form = new FormData();
    form.append(
      "file",
      new File([await fixture("text/libjpeg-turbo_README.md")], "README.md", { type: "text/markdown" }),
    );
    form.append(
      "file",
      new File([await fixture("malformed/document_actually_html.pdf")], "paper.pdf", {
        type: "application/pdf",
      }),
    );
    expect((await json(await api("/v1/files", { method: "POST", body: form }), 415))["code"]).toBe(
      "content_type_mismatch",
    );
    expect(await storedKeys("t/dev/")).toEqual(before);
  });
});

describe("empty bodies", () => {
  it("answers 422 empty_body with or without Content-Length", async () => {
    const before = await storedKeys("t/dev/");
    expect((await json(await rawUpload("e.txt", new Uint8Array(0)), 422))["code"]).toBe("empty_body");
    expect((await json(await rawUpload("e.txt", chunked(0), {}, streamed), 422))["code"]).toBe("empty_body");
    expect(await storedKeys("t/dev/")).toEqual(before);
  });
});

describe("hostile file names", () => {
  const cases: [string, string][] = [
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\victim\\Desktop\\report.pdf", "report.pdf"],
    ["/absolute/path/notes.txt", "notes.txt"],
    ["bell\u0007and\u0000nul\u001b.txt", "bellandnul.txt"],
    ["invoice\u202Efdp.exe", "invoicefdp.exe"],
    ["\u2066isolated\u2069\u200F.txt", "isolated.txt"],
    ["..", "upload"],
    ["\u202E\u202C", "upload"],
    ["caf\u0065\u0301.txt", "caf\u00e9.txt"],
    ["  spaced out.txt  ", "spaced out.txt"],
  ];

  it.each(cases)("%j is stored as %j, under a key of Sluice's choosing", async (raw, expected) => {
    const file = await json<FileBody>(await rawUpload(raw, "hello"), 201);
    expect(file.name).toBe(expected);
    expect(await storedKeys(`t/dev/f/${file.id}/`)).toEqual([`t/dev/f/${file.id}/source`]);
  });

  it("caps over-long names at 255 characters and keeps the extension", async () => {
    const file = await json<FileBody>(
      await rawUpload(`${"é".repeat(400)}.pdf`, "%PDF-1.4\n", { "Content-Type": "application/pdf" }),
      201,
    );
    expect(Array.from(file.name)).toHaveLength(255);
    expect(file.name.endsWith("é.pdf")).toBe(true);
  });
});
