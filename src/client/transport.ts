/**
 * One HTTP request to the API: URL and query, the API key (or the admin token), JSON bodies, problem
 * documents turned into `SluiceApiError`, and retries of transient failures. A request is retried only
 * when repeating it cannot do anything twice: safe methods, requests carrying an `Idempotency-Key`
 * (the server answers a repeat with the original result), and 429s (refused before any work). Waits
 * grow exponentially with full jitter, or follow the server's `Retry-After`.
 */
import { SluiceApiError, SluiceNetworkError } from "./errors";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** Where Sluice answers, e.g. `https://sluice.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** A tenant's API key, sent as `Authorization: Bearer <key>` to /v1 routes. */
  apiKey?: string | undefined;
  /** The deployment's ADMIN_TOKEN, for the admin routes only. */
  adminToken?: string | undefined;
  /** Another fetch (a test double, a proxy, an instrumented one); defaults to the global fetch. */
  fetch?: FetchLike | undefined;
  /** How often a transient failure is retried (default 4). */
  maxRetries?: number | undefined;
  /** The first retry waits up to this long; every further one up to twice as long (default 250 ms). */
  retryBaseDelayMs?: number | undefined;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Query | undefined;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (bytes, a Blob, a form). */
  body?: BodyInit | undefined;
  headers?: Record<string, string> | undefined;
  /** Makes a POST safe to repeat: the server answers a repeat with the first result. */
  idempotencyKey?: string | undefined;
  /** Which credential to send (default: the API key). */
  auth?: "key" | "admin" | "none" | undefined;
  /** Overrides the retry decision (e.g. a POST the server documents as safe to repeat). */
  retry?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 60_000;

export class Transport {
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    // Called through a closure: some runtimes refuse a fetch detached from globalThis.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.maxRetries = options.maxRetries ?? 4;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 250;
  }

  /** The absolute URL of an API path (output URLs in results are API paths). */
  url(path: string, query?: Query): string {
    const url = new URL(/^https?:/.test(path) ? path : `${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /** Sends the request; answers the successful response or throws what went wrong. */
  async send(spec: RequestSpec): Promise<Response> {
    const retryable =
      spec.retry ?? (spec.method === "GET" || spec.method === "PUT" || spec.method === "DELETE");
    const safeToRepeat = retryable || spec.idempotencyKey !== undefined;
    for (let attempt = 0; ; attempt++) {
      const lastChance = attempt >= this.maxRetries;
      let response: Response;
      try {
        response = await this.fetchImpl(this.url(spec.path, spec.query), this.init(spec));
      } catch (error) {
        if (spec.signal?.aborted) throw spec.signal.reason;
        if (!safeToRepeat || lastChance || !replayable(spec.body)) {
          throw new SluiceNetworkError(`${spec.method} ${spec.path}: ${describe(error)}`, { cause: error });
        }
        await sleep(this.backoff(attempt), spec.signal);
        continue;
      }
      if (response.ok) return response;
      const error = await SluiceApiError.from(response);
      const repeat =
        !lastChance &&
        replayable(spec.body) &&
        (error.status === 429 ||
          (safeToRepeat && TRANSIENT_STATUSES.has(error.status)) ||
          // The first request with this key is still running: its answer is coming.
          (spec.idempotencyKey !== undefined && error.code === "idempotency_key_in_use"));
      if (!repeat) throw error;
      await sleep(retryAfterMs(response) ?? this.backoff(attempt), spec.signal);
    }
  }

  async json<T>(spec: RequestSpec): Promise<T> {
    const response = await this.send(spec);
    const body: unknown = await response.json();
    return body as T;
  }

  /** Exponential backoff with full jitter: up to base x 2^attempt, at most 10 s. */
  backoff(attempt: number): number {
    return Math.random() * Math.min(10_000, this.retryBaseDelayMs * 2 ** attempt);
  }

  private init(spec: RequestSpec): RequestInit {
    const headers = new Headers(spec.headers);
    const credential =
      spec.auth === "admin"
        ? this.options.adminToken
        : spec.auth === "none"
          ? undefined
          : this.options.apiKey;
    if (credential) headers.set("Authorization", `Bearer ${credential}`);
    if (spec.idempotencyKey !== undefined) headers.set("Idempotency-Key", spec.idempotencyKey);
    let body = spec.body;
    if (spec.json !== undefined) {
      headers.set("Content-Type", "application/json");
      body = JSON.stringify(spec.json);
    }
    const init: RequestInit = { method: spec.method, headers };
    if (body !== undefined) init.body = body;
    // A streamed body must say so (fetch sends it as it is produced).
    if (!replayable(body)) Object.assign(init, { duplex: "half" });
    if (spec.signal) init.signal = spec.signal;
    return init;
  }
}

/** A body that can be sent again (a stream is consumed by the first attempt). */
const replayable = (body: BodyInit | undefined): boolean =>
  body === undefined || !(typeof ReadableStream !== "undefined" && body instanceof ReadableStream);

function retryAfterMs(response: Response): number | null {
  const header = response.headers.get("Retry-After");
  if (!header) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : null;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** Waits, or rejects with the signal's reason as soon as it is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A random idempotency key (RFC 4122 v4 shape), also where crypto.randomUUID is unavailable. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
