/**
 * `SluiceClient`: the whole API behind one object, for Node 20+ and browsers alike (it needs only
 * fetch, streams and Web Crypto; no Node built-ins). Resource groups hang off it (`files`, `uploads`,
 * `jobs`, `webhooks`, `deadLetters`, `admin`) next to `search`, `process` and `download`.
 *
 * ```ts
 * const sluice = new SluiceClient({ baseUrl: "http://127.0.0.1:8787", apiKey });
 * const file = await sluice.files.upload(blob, { name: "report.pdf" });
 * const job = await sluice.jobs.create({ files: [file.id], stages: ["extract"] });
 * const done = await sluice.jobs.wait(job.id, { onEvent: (event) => console.log(event.type) });
 * ```
 */
import { FilesApi, UploadsApi } from "./files";
import { JobsApi } from "./jobs";
import { AdminApi, DeadLettersApi, WebhooksApi } from "./operators";
import { paginate } from "./pagination";
import { Transport, type TransportOptions } from "./transport";
import type { ProcessResult, SearchResult, SearchResults, StageName } from "./types";

export interface ClientOptions extends TransportOptions {
  /** Files larger than this go up as multipart uploads straight to storage (default 16 MiB). */
  multipartThresholdBytes?: number | undefined;
  /**
   * Stream upload bodies so progress moves during each request. Works in Node (fetch streams a body of
   * declared length); browsers need HTTP/2 for it, so it is off by default.
   */
  streamUploads?: boolean | undefined;
}

export class SluiceClient {
  readonly files: FilesApi;
  readonly uploads: UploadsApi;
  readonly jobs: JobsApi;
  readonly webhooks: WebhooksApi;
  readonly deadLetters: DeadLettersApi;
  readonly admin: AdminApi;
  private readonly transport: Transport;

  constructor(options: ClientOptions) {
    this.transport = new Transport(options);
    const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.files = new FilesApi(this.transport, {
      multipartThresholdBytes: options.multipartThresholdBytes ?? 16 * 1024 * 1024,
      streamBodies: options.streamUploads ?? false,
      fetch: fetchImpl,
    });
    this.uploads = new UploadsApi(this.transport);
    this.jobs = new JobsApi(this.transport);
    this.webhooks = new WebhooksApi(this.transport);
    this.deadLetters = new DeadLettersApi(this.transport);
    this.admin = new AdminApi(this.transport);
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /** Full-text search over the tenant's indexed documents (a page; see `searchAll`). */
  search(
    q: string,
    options: { limit?: number; cursor?: string; signal?: AbortSignal } = {},
  ): Promise<SearchResults> {
    return this.transport.json<SearchResults>({
      method: "GET",
      path: "/v1/search",
      query: { q, limit: options.limit, cursor: options.cursor },
      signal: options.signal,
    });
  }

  /** Every result of a search, best first, page by page. */
  searchAll(q: string, options: { pageSize?: number } = {}): AsyncGenerator<SearchResult, void, undefined> {
    return paginate(async (cursor) => {
      const page = await this.search(q, { limit: options.pageSize ?? 50, ...(cursor ? { cursor } : {}) });
      return { items: page.results, next: page.nextCursor };
    });
  }

  /** Runs stages over a few small files synchronously; results and outputs come back inline. */
  process(
    files: { data: Blob; name: string }[],
    options: { stages?: StageName[]; options?: Record<string, unknown>; signal?: AbortSignal } = {},
  ): Promise<ProcessResult> {
    const form = new FormData();
    for (const file of files) form.append("file", file.data, file.name);
    return this.transport.json<ProcessResult>({
      method: "POST",
      path: "/v1/process",
      query: {
        stages: options.stages?.join(","),
        options: options.options ? JSON.stringify(options.options) : undefined,
      },
      body: form,
      signal: options.signal,
    });
  }

  /** GETs an API path the server handed out (output URLs in stage results), with the API key. */
  download(path: string, signal?: AbortSignal): Promise<Response> {
    return this.transport.send({ method: "GET", path, signal });
  }

  /** Whether the service answers (no key needed). */
  async health(signal?: AbortSignal): Promise<boolean> {
    const answer = await this.transport.json<{ status: string }>({
      method: "GET",
      path: "/healthz",
      auth: "none",
      signal,
    });
    return answer.status === "ok";
  }
}
