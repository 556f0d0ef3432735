/**
 * Uploading a Blob (a browser File, or a file opened with Node's `fs.openAsBlob`). Small files go up in
 * one request through the API (`POST /v1/files`); big ones go straight to storage as a multipart upload
 * through presigned part URLs (`/v1/uploads/s3/multipart`), several parts at a time, each part retried
 * on its own, and Sluice verifies the assembled object (size, type, SHA-256 when given) before it
 * becomes a file. Progress is reported as bytes sent; with `streamBodies` (Node, where fetch can
 * stream a request body of known length) it moves while a request is under way, otherwise per request.
 */
import { SluiceIntegrityError } from "./errors";
import { sleep, type FetchLike, type Transport } from "./transport";
import type { CompletedUpload, FileObject, MultipartUpload, PresignedRequest } from "./types";

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  total: number;
  method: "direct" | "multipart";
}

export interface UploadOptions {
  /** The file's name (a display name: storage keys never contain it). */
  name: string;
  /** Declared type; the server checks it against the bytes (default: the Blob's type, else none). */
  contentType?: string | undefined;
  /** SHA-256 (hex) of the bytes: the server verifies it, and the client compares its answer. */
  sha256?: string | undefined;
  onProgress?: ((progress: UploadProgress) => void) | undefined;
  /** Force one way; by default files above `multipartThresholdBytes` go multipart. */
  method?: "direct" | "multipart" | undefined;
  /** Part size in bytes (at least 5 MiB; default: what the server suggests). */
  partSize?: number | undefined;
  /** Parts in flight at once (default 4). */
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface UploadSettings {
  multipartThresholdBytes: number;
  streamBodies: boolean;
  fetch: FetchLike;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;
const PART_ATTEMPTS = 4;

export async function uploadBlob(
  transport: Transport,
  settings: UploadSettings,
  data: Blob,
  options: UploadOptions,
): Promise<FileObject> {
  const method = options.method ?? (data.size > settings.multipartThresholdBytes ? "multipart" : "direct");
  const progress = new ProgressCounter(data.size, method, options.onProgress);
  const file =
    method === "direct"
      ? await uploadDirect(transport, settings, data, options, progress)
      : await uploadMultipart(transport, settings, data, options, progress);
  if (options.sha256 && file.sha256 !== options.sha256.toLowerCase()) {
    throw new SluiceIntegrityError(
      `${options.name}: the server stored SHA-256 ${file.sha256}, not ${options.sha256}`,
    );
  }
  return file;
}

async function uploadDirect(
  transport: Transport,
  settings: UploadSettings,
  data: Blob,
  options: UploadOptions,
  progress: ProgressCounter,
): Promise<FileObject> {
  const contentType = options.contentType ?? (data.type || "application/octet-stream");
  const part = progress.part(data.size);
  const response = await transport.send({
    method: "POST",
    path: "/v1/files",
    query: { name: options.name },
    headers: { "Content-Type": contentType, ...lengthHeader(settings, data) },
    body: body(settings, data, part),
    // Re-sending a plain upload would store a second file; only a refusal before any work is retried.
    retry: false,
    signal: options.signal,
  });
  part.done();
  const file: unknown = await response.json();
  return file as FileObject;
}

async function uploadMultipart(
  transport: Transport,
  settings: UploadSettings,
  data: Blob,
  options: UploadOptions,
  progress: ProgressCounter,
): Promise<FileObject> {
  const upload = await transport.json<MultipartUpload>({
    method: "POST",
    path: "/v1/uploads/s3/multipart",
    json: {
      name: options.name,
      contentType: options.contentType ?? (data.type || "application/octet-stream"),
      size: data.size,
      ...(options.sha256 ? { sha256: options.sha256 } : {}),
    },
    signal: options.signal,
  });
  const base = `/v1/uploads/s3/multipart/${encodeURIComponent(upload.uploadId)}`;
  const partSize = Math.max(MIN_PART_BYTES, options.partSize ?? upload.partSize);
  const count = Math.max(1, Math.ceil(data.size / partSize));
  const etags: string[] = new Array<string>(count);
  try {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const bytes = data.slice(index * partSize, Math.min(data.size, (index + 1) * partSize));
        etags[index] = await sendPart(transport, settings, `${base}/${index + 1}`, bytes, progress, options);
      }
    };
    await Promise.all(Array.from({ length: Math.min(count, options.concurrency ?? 4) }, worker));
    const file = await transport.json<CompletedUpload>({
      method: "POST",
      path: `${base}/complete`,
      json: { parts: etags.map((ETag, index) => ({ PartNumber: index + 1, ETag })) },
      // Completing again answers the same file, so a lost answer can be asked for again.
      retry: true,
      signal: options.signal,
    });
    return file;
  } catch (error) {
    await transport.send({ method: "DELETE", path: base }).catch(() => undefined);
    throw error;
  }
}

/** Signs, sends and records one part; answers its ETag. A failed attempt signs a fresh URL. */
async function sendPart(
  transport: Transport,
  settings: UploadSettings,
  partPath: string,
  bytes: Blob,
  progress: ProgressCounter,
  options: UploadOptions,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const signed = await transport.json<PresignedRequest>({
      method: "GET",
      path: partPath,
      signal: options.signal,
    });
    const part = progress.part(bytes.size);
    try {
      const init: RequestInit = {
        method: signed.method,
        headers: { ...signed.headers, ...lengthHeader(settings, bytes) },
        body: body(settings, bytes, part),
      };
      if (options.signal) init.signal = options.signal;
      // A streamed body must say so (fetch sends it as it is produced).
      if (settings.streamBodies) Object.assign(init, { duplex: "half" });
      const response = await settings.fetch(signed.url, init);
      await response.body?.cancel();
      const etag = response.headers.get("ETag");
      if (!response.ok || !etag) throw new Error(`storage answered HTTP ${response.status} for ${partPath}`);
      part.done();
      // Where storage cannot list parts (local development), Sluice learns them from the client.
      await transport.send({
        method: "PUT",
        path: partPath,
        json: { ETag: etag, Size: bytes.size },
        signal: options.signal,
      });
      return etag;
    } catch (error) {
      part.reset();
      if (options.signal?.aborted || attempt >= PART_ATTEMPTS) throw error;
      await sleep(transport.backoff(attempt), options.signal);
    }
  }
}

const lengthHeader = (settings: UploadSettings, data: Blob): Record<string, string> =>
  settings.streamBodies ? { "Content-Length": String(data.size) } : {};

/** The request body: the Blob itself, or a stream of it that counts what fetch has taken. */
function body(settings: UploadSettings, data: Blob, part: PartProgress): BodyInit {
  if (!settings.streamBodies) return data;
  return data.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        part.add(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
}

interface PartProgress {
  add(bytes: number): void;
  done(): void;
  reset(): void;
}

/** Sums the bytes of the requests in flight and the finished ones. */
class ProgressCounter {
  private finished = 0;
  private readonly inFlight = new Set<{ bytes: number }>();

  constructor(
    private readonly total: number,
    private readonly method: UploadProgress["method"],
    private readonly listener: UploadOptions["onProgress"],
  ) {
    this.report();
  }

  /** A request carrying `size` bytes: counted as they stream, and in full once it succeeded. */
  part(size: number): PartProgress {
    const entry = { bytes: 0 };
    this.inFlight.add(entry);
    return {
      add: (bytes) => {
        entry.bytes += bytes;
        this.report();
      },
      done: () => {
        this.inFlight.delete(entry);
        this.finished += size;
        this.report();
      },
      reset: () => {
        this.inFlight.delete(entry);
        this.report();
      },
    };
  }

  private report(): void {
    let loaded = this.finished;
    for (const entry of this.inFlight) loaded += entry.bytes;
    this.listener?.({ loaded: Math.min(loaded, this.total), total: this.total, method: this.method });
  }
}
