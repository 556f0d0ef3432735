/**
 * The typed client's uploads against a running Sluice: direct uploads and multipart uploads straight
 * to storage through presigned part URLs, with progress, verified by SHA-256 on both sides.
 */
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isApiError, SluiceApiError, SluiceIntegrityError, type UploadProgress } from "sluice-client";
import { blobOf, fixturePath, realFile, sha256, testClient } from "./helpers";

const MIB = 1024 * 1024;

/** 12 MiB of bytes that are not all alike (three 5 MiB parts: 5 + 5 + 2). */
async function bigFile(): Promise<string> {
  const bytes = new Uint8Array(12 * MIB);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  const file = path.join(tmpdir(), `sluice-e2e-big-${process.pid}.bin`);
  await writeFile(file, bytes);
  return file;
}

describe("client uploads", () => {
  it("uploads a small file directly, streaming the body so progress moves during the request", async () => {
    const client = testClient({ streamUploads: true });
    const file = realFile("pdf/pdfjs_tracemonkey.pdf", "pdf/pdfjs_tracemonkey.pdf");
    const progress: UploadProgress[] = [];
    const stored = await client.files.upload(await blobOf(file, "application/pdf"), {
      name: "tracemonkey.pdf",
      sha256: await sha256(file),
      onProgress: (update) => progress.push(update),
    });
    expect(stored).toMatchObject({ name: "tracemonkey.pdf", size: 1016315, contentType: "application/pdf" });
    expect(stored.sha256).toBe(await sha256(file));
    expect(progress.every((update) => update.method === "direct" && update.total === 1016315)).toBe(true);
    const loaded = progress.map((update) => update.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    // Intermediate values: the bytes were counted as fetch took them, not only at the end.
    expect(new Set(loaded.filter((value) => value > 0 && value < 1016315)).size).toBeGreaterThan(2);
    expect(loaded.at(-1)).toBe(1016315);
  });

  it("uploads a file above the threshold in parts straight to storage; the stored bytes are the local bytes", async () => {
    const client = testClient({ streamUploads: true, multipartThresholdBytes: 8 * MIB });
    const file = await bigFile();
    const progress: UploadProgress[] = [];
    const stored = await client.files.upload(await blobOf(file), {
      name: "big.bin",
      sha256: await sha256(file),
      partSize: 5 * MIB,
      onProgress: (update) => progress.push(update),
    });
    expect(progress[0]?.method).toBe("multipart");
    expect(stored.size).toBe(12 * MIB);
    expect(stored.sha256).toBe(await sha256(file));
    expect(progress.at(-1)?.loaded).toBe(12 * MIB);
    // A range of the stored file, across the boundary of parts 1 and 2, equals the local bytes.
    const range = await client.files.content(stored.id, { range: { start: 5 * MIB - 8, end: 5 * MIB + 7 } });
    expect(range.status).toBe(206);
    const local = (await blobOf(file)).slice(5 * MIB - 8, 5 * MIB + 8);
    expect(new Uint8Array(await range.arrayBuffer())).toEqual(new Uint8Array(await local.arrayBuffer()));
  });

  it("processes a file that arrived by multipart like any other (a real PDF, one part)", async () => {
    const client = testClient();
    const file = realFile("pdf/pdfjs_tracemonkey.pdf", "pdf/pdfjs_tracemonkey.pdf");
    const stored = await client.files.upload(await blobOf(file, "application/pdf"), {
      name: "tracemonkey-multipart.pdf",
      method: "multipart",
    });
    const job = await client.jobs.create({ files: [stored.id], stages: ["extract"] });
    const done = await client.jobs.wait(job.id);
    expect(done.status).toBe("completed");
    expect(done.files[0]?.stages.extract?.result).toMatchObject({ pageCount: 14 });
  });

  it("refuses a multipart upload whose bytes do not match the declared SHA-256, with a typed error", async () => {
    const client = testClient();
    const file = fixturePath("text/libjpeg-turbo_README.md");
    const error = await client.files
      .upload(await blobOf(file, "text/markdown"), {
        name: "README.md",
        method: "multipart",
        sha256: "0".repeat(64),
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SluiceApiError);
    expect(isApiError(error, "upload_checksum_mismatch")).toBe(true);
    expect(error).toMatchObject({ status: 422, code: "upload_checksum_mismatch" });
    expect((error as SluiceApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("notices when a direct upload was stored with another SHA-256 than the caller's", async () => {
    const client = testClient();
    const file = fixturePath("text/libjpeg-turbo_README.md");
    await expect(
      client.files.upload(await blobOf(file), { name: "README.md", sha256: "f".repeat(64) }),
    ).rejects.toBeInstanceOf(SluiceIntegrityError);
  });
});
