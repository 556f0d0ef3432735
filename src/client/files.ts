/**
 * /v1/files and /v1/uploads for the client: uploading (direct or multipart, chosen by size, see
 * uploads.ts), listing, metadata, content (with ranges), deletion, import by URL, and the presigned
 * single-PUT flow for callers that send the bytes themselves.
 */
import { paginate } from "./pagination";
import type { Transport } from "./transport";
import { uploadBlob, type UploadOptions, type UploadSettings } from "./uploads";
import type {
  CompletedUpload,
  CreateUploadRequest,
  FileList,
  FileObject,
  PresignedUpload,
  UploadStatus,
} from "./types";

const path = (id: string, rest = ""): string => `/v1/files/${encodeURIComponent(id)}${rest}`;

export class FilesApi {
  constructor(
    private readonly transport: Transport,
    private readonly settings: UploadSettings,
  ) {}

  /** Uploads the bytes and answers the new file (multipart straight to storage for big files). */
  upload(data: Blob, options: UploadOptions): Promise<FileObject> {
    return uploadBlob(this.transport, this.settings, data, options);
  }

  /** Fetches a public http(s) URL into a new file. */
  import(url: string, options: { name?: string; signal?: AbortSignal } = {}): Promise<FileObject> {
    return this.transport.json<FileObject>({
      method: "POST",
      path: "/v1/files/import",
      json: { url, ...(options.name ? { name: options.name } : {}) },
      signal: options.signal,
    });
  }

  get(id: string, signal?: AbortSignal): Promise<FileObject> {
    return this.transport.json<FileObject>({ method: "GET", path: path(id), signal });
  }

  list(options: { limit?: number; cursor?: string; signal?: AbortSignal } = {}): Promise<FileList> {
    return this.transport.json<FileList>({
      method: "GET",
      path: "/v1/files",
      query: { limit: options.limit, cursor: options.cursor },
      signal: options.signal,
    });
  }

  /** Every file of the tenant, newest first, page by page. */
  iterate(options: { pageSize?: number } = {}): AsyncGenerator<FileObject, void, undefined> {
    return paginate(async (cursor) => {
      const page = await this.list({ limit: options.pageSize ?? 100, ...(cursor ? { cursor } : {}) });
      return { items: page.files, next: page.nextCursor };
    });
  }

  /** The bytes, or a range of them (`{start, end}` inclusive, as in HTTP). */
  content(id: string, options: { range?: { start: number; end?: number }; signal?: AbortSignal } = {}) {
    const range = options.range;
    return this.transport.send({
      method: "GET",
      path: path(id, "/content"),
      headers: range ? { Range: `bytes=${range.start}-${range.end ?? ""}` } : {},
      signal: options.signal,
    });
  }

  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await this.transport.send({ method: "DELETE", path: path(id), signal });
  }
}

/** Presigned single uploads: the caller PUTs the bytes to `url` with `headers`, then completes. */
export class UploadsApi {
  constructor(private readonly transport: Transport) {}

  presign(request: CreateUploadRequest, signal?: AbortSignal): Promise<PresignedUpload> {
    return this.transport.json<PresignedUpload>({
      method: "POST",
      path: "/v1/uploads",
      json: request,
      signal,
    });
  }

  /** Verifies what arrived and makes it a file; completing again answers the same file. */
  complete(fileId: string, signal?: AbortSignal): Promise<CompletedUpload> {
    return this.transport.json<CompletedUpload>({
      method: "POST",
      path: `/v1/uploads/${encodeURIComponent(fileId)}/complete`,
      json: {},
      retry: true,
      signal,
    });
  }

  status(fileId: string, signal?: AbortSignal): Promise<UploadStatus> {
    return this.transport.json<UploadStatus>({
      method: "GET",
      path: `/v1/uploads/${encodeURIComponent(fileId)}`,
      signal,
    });
  }

  async abort(fileId: string, signal?: AbortSignal): Promise<void> {
    await this.transport.send({
      method: "DELETE",
      path: `/v1/uploads/${encodeURIComponent(fileId)}`,
      signal,
    });
  }
}
