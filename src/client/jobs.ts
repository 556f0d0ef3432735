/**
 * /v1/jobs for the client: create (with an idempotency key made once per logical create and reused
 * on every retry of it, so a lost answer never creates a second job), read, list, cancel, retry,
 * delete, stage outputs, and following a job to its end.
 */
import { followEvents, type FollowOptions } from "./events";
import { paginate } from "./pagination";
import { newIdempotencyKey, type Transport } from "./transport";
import {
  isTerminalStatus,
  type CreateJobRequest,
  type EventPage,
  type Job,
  type JobEvent,
  type JobFile,
  type JobList,
  type JobStatus,
  type JobSummary,
} from "./types";

export interface WaitOptions extends FollowOptions {
  /** Each event as it arrives. */
  onEvent?: ((event: JobEvent) => void) | undefined;
}

const path = (id: string, rest = ""): string => `/v1/jobs/${encodeURIComponent(id)}${rest}`;

export class JobsApi {
  constructor(private readonly transport: Transport) {}

  /**
   * Starts a job. The `Idempotency-Key` (yours, or one made here) is sent with every attempt of this
   * call, so retries after a timeout or a dropped connection answer the job the first attempt made.
   */
  async create(
    request: CreateJobRequest,
    options: { idempotencyKey?: string; signal?: AbortSignal } = {},
  ): Promise<Job> {
    return this.transport.json<Job>({
      method: "POST",
      path: "/v1/jobs",
      json: request,
      idempotencyKey: options.idempotencyKey ?? newIdempotencyKey(),
      signal: options.signal,
    });
  }

  /** The job with a page of its files (`filesLimit`, default 100; `filesCursor` for the next). */
  get(id: string, options: { filesLimit?: number; filesCursor?: string; signal?: AbortSignal } = {}) {
    return this.transport.json<Job>({
      method: "GET",
      path: path(id),
      query: { filesLimit: options.filesLimit, filesCursor: options.filesCursor },
      signal: options.signal,
    });
  }

  /** The job with every one of its files (as many requests as pages). */
  async getWithAllFiles(id: string, signal?: AbortSignal): Promise<Job> {
    const job = await this.get(id, { filesLimit: 1000, ...(signal ? { signal } : {}) });
    let cursor = job.filesNextCursor;
    while (cursor !== null) {
      const page = await this.get(id, {
        filesLimit: 1000,
        filesCursor: cursor,
        ...(signal ? { signal } : {}),
      });
      job.files.push(...page.files);
      cursor = page.filesNextCursor;
    }
    job.filesNextCursor = null;
    return job;
  }

  list(options: { status?: JobStatus; limit?: number; cursor?: string; signal?: AbortSignal } = {}) {
    return this.transport.json<JobList>({
      method: "GET",
      path: "/v1/jobs",
      query: { status: options.status, limit: options.limit, cursor: options.cursor },
      signal: options.signal,
    });
  }

  /** Every job of the tenant, newest first, page by page. */
  iterate(
    options: { status?: JobStatus; pageSize?: number } = {},
  ): AsyncGenerator<JobSummary, void, undefined> {
    return paginate(async (cursor) => {
      const page = await this.list({
        ...(options.status ? { status: options.status } : {}),
        limit: options.pageSize ?? 100,
        ...(cursor ? { cursor } : {}),
      });
      return { items: page.jobs, next: page.nextCursor };
    });
  }

  /** Every file of a job with its stages, page by page. */
  iterateFiles(id: string, options: { pageSize?: number } = {}): AsyncGenerator<JobFile, void, undefined> {
    return paginate(async (cursor) => {
      const page = await this.get(id, {
        filesLimit: options.pageSize ?? 100,
        ...(cursor ? { filesCursor: cursor } : {}),
      });
      return { items: page.files, next: page.filesNextCursor };
    });
  }

  cancel(id: string, signal?: AbortSignal): Promise<Job> {
    return this.transport.json<Job>({ method: "POST", path: path(id, "/cancel"), signal });
  }

  /** Runs the failed files again (409 `nothing_to_retry` when none failed). */
  retry(id: string, signal?: AbortSignal): Promise<Job> {
    return this.transport.json<Job>({ method: "POST", path: path(id, "/retry"), signal });
  }

  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await this.transport.send({ method: "DELETE", path: path(id), signal });
  }

  /** A page of events after `after` (JSON). */
  events(id: string, options: { after?: number; limit?: number; signal?: AbortSignal } = {}) {
    return this.transport.json<EventPage>({
      method: "GET",
      path: path(id, "/events"),
      query: { after: options.after, limit: options.limit },
      signal: options.signal,
    });
  }

  /** The job's events as they happen, until it ends (SSE, falling back to polling). */
  follow(id: string, options: FollowOptions = {}): AsyncGenerator<JobEvent, void, undefined> {
    return followEvents(this.transport, id, options);
  }

  /** Follows the job until it has ended and answers it as it ended (first page of files). */
  async wait(id: string, options: WaitOptions = {}): Promise<Job> {
    let after = options.after ?? 0;
    for (;;) {
      for await (const event of followEvents(this.transport, id, { ...options, after })) {
        after = event.seq;
        options.onEvent?.(event);
      }
      const job = await this.get(id, options.signal ? { signal: options.signal } : {});
      // A job retried between its end and this read is running again: keep following.
      if (isTerminalStatus(job.status)) return job;
    }
  }

  /** A stage output (`text`, `thumbnail-256.jpeg`, `entities.json`, …) as a Response to read. */
  output(id: string, fileId: string, name: string, signal?: AbortSignal): Promise<Response> {
    return this.transport.send({
      method: "GET",
      path: path(id, `/files/${encodeURIComponent(fileId)}/outputs/${encodeURIComponent(name)}`),
      signal,
    });
  }
}
