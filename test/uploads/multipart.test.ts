/**
 * Multipart uploads: create → sign parts on demand → PUT parts straight to R2 (wrangler's S3 endpoint)
 * → list parts to resume → complete (verified like a single upload) → abort. R2's part rules are
 * enforced when the parts are assembled.
 */
import { describe, expect, it } from "vitest";
import { api, json } from "../helpers/api";
import { postJson, s3ErrorCode, s3Put, sha256Hex, storedKeys, type FileBody } from "./helpers";

const MiB = 1024 * 1024;

/** `bytes` of readable text (so the declared text/plain holds), different per `seed`. */
function text(bytes: number, seed = "sluice"): Uint8Array {
  const line = new TextEncoder().encode(`${seed}: the quick brown fox jumps over the lazy dog 0123456789\n`);
  const out = new Uint8Array(bytes);
  for (let offset = 0; offset < bytes; offset += line.byteLength)
    out.set(line.subarray(0, bytes - offset), offset);
  return out;
}

interface Created {
  uploadId: string;
  key: string;
  fileId: string;
  partSize: number;
  partCount: number | null;
}
interface Part {
  PartNumber: number;
  Size: number;
  ETag: string;
}

async function create(body: Record<string, unknown>): Promise<Created> {
  return json<Created>(await postJson("/v1/uploads/s3/multipart", body), 201);
}

/** Signs part n, PUTs it, returns its ETag (as a browser reads it from the answer). */
async function uploadPart(upload: Created, partNumber: number, bytes: Uint8Array): Promise<string> {
  const signed = await json<{ url: string; headers: Record<string, string> }>(
    await api(`/v1/uploads/s3/multipart/${upload.uploadId}/${partNumber}?key=${upload.key}`),
    200,
  );
  const response = await s3Put(signed.url, signed.headers, bytes);
  expect(response.status, await response.clone().text()).toBe(200);
  return response.headers.get("ETag") ?? "";
}

const completeParts = (upload: Created, parts: { PartNumber: number; ETag: string }[]) =>
  postJson(`/v1/uploads/s3/multipart/${upload.uploadId}/complete?key=${upload.key}`, { parts });

describe("multipart upload", () => {
  it("uploads parts, is interrupted, resumes from the listed parts and completes with the right SHA-256", async () => {
    const size = 3 * 5 * MiB + MiB;
    const data = text(size);
    const sha256 = await sha256Hex(data);
    const upload = await create({ name: "big.txt", contentType: "text/plain", size, sha256 });
    expect(upload.uploadId).toBe(upload.fileId);
    const partSize = 5 * MiB; // the client's choice (R2: >= 5 MiB, all equal but the last)
    const slice = (n: number) => data.subarray((n - 1) * partSize, Math.min(n * partSize, size));

    // The first client uploads two parts and records them, then "crashes".
    for (const n of [1, 2]) {
      const etag = await uploadPart(upload, n, slice(n));
      await json(
        await postJson(
          `/v1/uploads/s3/multipart/${upload.uploadId}/${n}`,
          { ETag: etag, Size: partSize },
          "PUT",
        ),
        200,
      );
    }

    // A new client knows only the upload id: it asks which parts are there and uploads the rest.
    const listed = await api(`/v1/uploads/s3/multipart/${upload.uploadId}?key=${upload.key}`);
    const done = await json<Part[]>(listed, 200);
    expect(listed.headers.get("Sluice-Parts-Source")).toBe("recorded");
    expect(done.map((part) => [part.PartNumber, part.Size])).toEqual([
      [1, partSize],
      [2, partSize],
    ]);
    const parts = done.map(({ PartNumber, ETag }) => ({ PartNumber, ETag }));
    for (const n of [3, 4]) parts.push({ PartNumber: n, ETag: await uploadPart(upload, n, slice(n)) });

    const response = await completeParts(upload, parts);
    const file = await json<FileBody>(response, 201);
    expect(file).toMatchObject({
      id: upload.fileId,
      size,
      sha256,
      contentType: "text/plain",
      location: `/v1/files/${upload.fileId}`,
    });
    const tail = await api(`/v1/files/${file.id}/content`, { headers: { Range: `bytes=${size - 100}-` } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(data.subarray(size - 100));
    // Completing again answers the same file.
    expect(await json(await completeParts(upload, parts), 200)).toEqual(file);
  });

  it("enforces R2's part rules at completion and keeps the upload open to fix them", async () => {
    const upload = await create({ filename: "rules.txt", type: "text/plain" });
    const first = await uploadPart(upload, 1, text(5 * MiB));
    const longer = await uploadPart(upload, 2, text(6 * MiB));
    const last = await uploadPart(upload, 3, text(MiB));
    const unequal = await json(
      await completeParts(upload, [
        { PartNumber: 1, ETag: first },
        { PartNumber: 2, ETag: longer },
        { PartNumber: 3, ETag: last },
      ]),
      422,
    );
    expect(unequal["code"]).toBe("upload_parts_invalid");

    const wrongEtag = await json(
      await completeParts(upload, [{ PartNumber: 1, ETag: '"0123456789abcdef"' }]),
      422,
    );
    expect(wrongEtag["code"]).toBe("upload_parts_invalid");
    const duplicate = await json(
      await completeParts(upload, [
        { PartNumber: 1, ETag: first },
        { PartNumber: 1, ETag: first },
      ]),
      422,
    );
    expect(duplicate["detail"]).toBe("part 1 is listed twice");
    expect((await json(await completeParts(upload, []), 422))["code"]).toBe("upload_parts_invalid");

    // Part 2 again, at the right size: now R2 assembles it.
    const fixed = await uploadPart(upload, 2, text(5 * MiB));
    const file = await json<FileBody>(
      await completeParts(upload, [
        { PartNumber: 1, ETag: first },
        { PartNumber: 2, ETag: fixed },
        { PartNumber: 3, ETag: last },
      ]),
      201,
    );
    expect(file.size).toBe(11 * MiB);
  });

  it("refuses parts below 5 MiB (except the last) and part numbers outside the upload", async () => {
    const upload = await create({ name: "small-parts.txt", contentType: "text/plain", size: 12 * MiB });
    expect(upload.partCount).toBe(1); // 12 MiB fits one 16 MiB part
    const one = await uploadPart(upload, 1, text(MiB));
    const two = await uploadPart(upload, 2, text(MiB));
    const tooSmall = await json(
      await completeParts(upload, [
        { PartNumber: 1, ETag: one },
        { PartNumber: 2, ETag: two },
      ]),
      422,
    );
    expect(tooSmall["code"]).toBe("upload_parts_invalid");
    // 12 MiB in parts of at least 5 MiB is at most 3 parts.
    expect((await json(await api(`/v1/uploads/s3/multipart/${upload.uploadId}/4`), 400))["code"]).toBe(
      "validation_failed",
    );
    expect((await json(await api(`/v1/uploads/s3/multipart/${upload.uploadId}/0`), 400))["code"]).toBe(
      "validation_failed",
    );
    expect(
      (await json(await api(`/v1/uploads/s3/multipart/${upload.uploadId}/1?key=file_other`), 404))["code"],
    ).toBe("not_found");
  });

  it("verifies the assembled object like a single upload (declared size and SHA-256)", async () => {
    const data = text(6 * MiB);
    const upload = await create({
      name: "liar.txt",
      contentType: "text/plain",
      size: 5 * MiB,
      sha256: await sha256Hex(data),
    });
    const etag = await uploadPart(upload, 1, data);
    const problem = await json(await completeParts(upload, [{ PartNumber: 1, ETag: etag }]), 422);
    expect(problem).toMatchObject({ code: "upload_size_mismatch" });
    expect(await storedKeys(`t/dev/f/${upload.fileId}/`)).toEqual([]);
  });

  it("aborts: the parts are gone, part URLs stop working, and the upload answers 409", async () => {
    const upload = await create({ name: "gone.txt", contentType: "text/plain" });
    await uploadPart(upload, 1, text(5 * MiB));
    const signed = await json<{ url: string; headers: Record<string, string> }>(
      await api(`/v1/uploads/s3/multipart/${upload.uploadId}/2`),
      200,
    );
    const aborted = await api(`/v1/uploads/s3/multipart/${upload.uploadId}?key=${upload.key}`, {
      method: "DELETE",
    });
    expect(await json(aborted, 200)).toEqual({});
    const late = await s3Put(signed.url, signed.headers, text(5 * MiB));
    expect([late.status, await s3ErrorCode(late)]).toEqual([404, "NoSuchUpload"]);
    expect((await json(await api(`/v1/uploads/s3/multipart/${upload.uploadId}`), 409))["code"]).toBe(
      "upload_aborted",
    );
    expect(
      await json(await api(`/v1/uploads/s3/multipart/${upload.uploadId}`, { method: "DELETE" }), 200),
    ).toEqual({});
  });

  it("refuses multipart operations on a single-PUT upload and sizes beyond the verified-upload cap", async () => {
    const single = await json<{ fileId: string }>(
      await postJson("/v1/uploads", { name: "a.txt", size: 3, contentType: "text/plain" }),
      201,
    );
    expect((await json(await api(`/v1/uploads/s3/multipart/${single.fileId}/1`), 409))["code"]).toBe(
      "upload_not_multipart",
    );
    const huge = await json(
      await postJson("/v1/uploads/s3/multipart", { name: "x", size: 5 * 1024 ** 3 + 1 }),
      422,
    );
    // Completion hashes every byte inside its request, so no upload may be larger than that can cover.
    expect(huge).toMatchObject({ code: "upload_too_large", limit: 5 * 1024 ** 3 });
    const largest = await create({ name: "5gib.bin", size: 5 * 1024 ** 3 });
    expect(largest.partCount).toBeLessThanOrEqual(10_000);
    expect(largest.partSize % MiB).toBe(0);
  });
});
