/**
 * Streams a body of unknown length into R2 while measuring it: size, SHA-256 and the first bytes (for
 * content sniffing) are computed on the way, and memory stays bounded by one part. Bodies that fit in
 * one part are stored with a single PUT; longer ones go up as an R2 multipart upload of equal-sized
 * parts (R2 needs a known length for a streamed PUT, and every part but the last to be the same size).
 */
import { SNIFF_BYTES } from "../pipeline/sniff";

/** 8 MiB: above R2's 5 MiB minimum part size, small enough to hold a few at once in 128 MB. */
export const PART_BYTES = 8 * 1024 * 1024;

export interface StoredObject {
  size: number;
  sha256: string;
  /** The first bytes of the body (up to SNIFF_BYTES). */
  head: Uint8Array;
}

export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
  }
}

interface PutOptions {
  maxBytes: number;
  httpMetadata?: R2HTTPMetadata;
  customMetadata?: Record<string, string>;
}

/** Collects chunks until a part is full, then hands out exactly PART_BYTES at a time. */
class PartBuffer {
  private chunks: Uint8Array[] = [];
  private length = 0;

  get size(): number {
    return this.length;
  }

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.byteLength;
  }

  take(bytes: number): Uint8Array {
    const out = new Uint8Array(Math.min(bytes, this.length));
    let offset = 0;
    while (offset < out.byteLength) {
      const chunk = this.chunks[0];
      if (!chunk) break;
      const needed = out.byteLength - offset;
      if (chunk.byteLength <= needed) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
        this.chunks.shift();
      } else {
        out.set(chunk.subarray(0, needed), offset);
        this.chunks[0] = chunk.subarray(needed);
        offset += needed;
      }
    }
    this.length -= out.byteLength;
    return out;
  }
}

const toHex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * Writes `body` to `key`. Throws BodyTooLargeError (after cleaning up) when the body passes
 * `maxBytes`; any partial multipart upload is aborted on failure, so nothing half-written remains.
 */
export async function putStream(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream<Uint8Array>,
  options: PutOptions,
): Promise<StoredObject> {
  const digest = new crypto.DigestStream("SHA-256");
  // Aborting the writer (on any failure below) rejects `digest.digest`; nobody awaits it then.
  digest.digest.catch(() => undefined);
  const hashWriter = digest.getWriter();
  const buffer = new PartBuffer();
  const head = new Uint8Array(SNIFF_BYTES);
  let headLength = 0;
  let size = 0;
  let upload: R2MultipartUpload | undefined;
  const parts: R2UploadedPart[] = [];
  const reader = body.getReader();

  const putOptions = { httpMetadata: options.httpMetadata, customMetadata: options.customMetadata };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.byteLength === 0) continue;
      size += value.byteLength;
      if (size > options.maxBytes) throw new BodyTooLargeError(options.maxBytes);
      if (headLength < SNIFF_BYTES) {
        const slice = value.subarray(0, SNIFF_BYTES - headLength);
        head.set(slice, headLength);
        headLength += slice.byteLength;
      }
      await hashWriter.write(value);
      buffer.push(value);
      while (buffer.size >= PART_BYTES) {
        upload ??= await bucket.createMultipartUpload(key, putOptions);
        parts.push(await upload.uploadPart(parts.length + 1, buffer.take(PART_BYTES)));
      }
    }
    if (upload) {
      if (buffer.size > 0) parts.push(await upload.uploadPart(parts.length + 1, buffer.take(buffer.size)));
      await upload.complete(parts);
    } else {
      await bucket.put(key, buffer.take(buffer.size), putOptions);
    }
    await hashWriter.close();
    return { size, sha256: toHex(await digest.digest), head: head.slice(0, headLength) };
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    await hashWriter.abort().catch(() => undefined);
    if (upload) await upload.abort().catch(() => undefined);
    throw error;
  }
}
