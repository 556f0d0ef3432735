/**
 * Runtime settings, read from the Worker's environment variables (`[vars]` in wrangler.toml, `.dev.vars`
 * locally, test bindings in tests) and validated once, so a bad setting fails loudly at the first request
 * rather than deep inside a stage.
 */
import { z } from "zod";
import { LogLevelSchema } from "./observability/log";
import type { ProcessingLimits } from "./pipeline/stage";
import { splitCommas } from "./util/comma-list";

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/**
 * Largest object an upload completion verifies, which it does by streaming every byte through SHA-256
 * inside the completion request. 5 GiB (R2's single-PUT limit) keeps that hash within a request's CPU
 * budget (figures in docs/uploads.md); upload limits cannot be set above it.
 */
export const MAX_VERIFIED_UPLOAD_BYTES = 5 * 1024 ** 3;
const verifiedUploadBytes = () =>
  z.coerce.number().int().min(1).max(MAX_VERIFIED_UPLOAD_BYTES).default(MAX_VERIFIED_UPLOAD_BYTES);

const ConfigSchema = z.object({
  /** Largest accepted direct upload, in bytes. */
  MAX_UPLOAD_BYTES: int(100 * 1024 * 1024, 1),
  /** Largest file in one multipart/form-data part (parts are held in memory while stored). */
  MAX_FORM_FILE_BYTES: int(32 * 1024 * 1024, 1),
  /** Largest file a stage loads into memory (a Worker isolate has 128 MB in all). */
  MAX_PROCESS_BYTES: int(48 * 1024 * 1024, 1),
  /**
   * Largest image photon decodes in full (bigger JPEGs are decoded at 1/8 scale when that suffices).
   * Measured with `npm run bench:stages`: up to 6 MP photon peaks at ~79 MiB of wasm memory; 7 MP PNG
   * needs 102 MiB and 12 MP 155-186 MiB, which a 128 MB isolate cannot give.
   */
  MAX_IMAGE_PIXELS: int(6_000_000, 1),
  MAX_PDF_PAGES: int(2000, 1),
  /** How long a consumer's claim on a file lasts before the Job DO's alarm hands it to another. */
  LEASE_MS: int(10 * 60_000, 1),
  /** How long a dispatched but never claimed file waits before the alarm sends it again. */
  REDRIVE_AFTER_MS: int(5 * 60_000, 1),
  /** Claims of one file before the Job DO gives up on it (the queue's own retries end sooner). */
  MAX_ATTEMPTS: int(8, 1),
  /** Exponential backoff for transient failures: base * 2^(attempt-1), capped, with full jitter. */
  RETRY_BASE_DELAY_SECONDS: int(2),
  RETRY_MAX_DELAY_SECONDS: int(300),
  /** Delay before a job's D1 listing row catches up with count-only changes. */
  PROJECTION_DEBOUNCE_MS: int(1000),
  /** Key of the local development tenant; only ever set in `.dev.vars`. */
  DEV_API_KEY: z.string().min(16).optional(),
  /** Deliveries of one webhook event before it is marked failed (retried with backoff in between). */
  WEBHOOK_MAX_ATTEMPTS: int(8, 1),
  WEBHOOK_RETRY_BASE_DELAY_SECONDS: int(5),
  WEBHOOK_RETRY_MAX_DELAY_SECONDS: int(3600),
  /** How long a receiver has to answer one delivery. */
  WEBHOOK_TIMEOUT_MS: int(10_000, 1),
  /**
   * Default cap on a tenant's files in flight (dispatched to the queue or processing) across all its
   * jobs, so one tenant's flood does not fill the queue ahead of everyone else.
   */
  MAX_CONCURRENT_FILES: int(100, 1),
  /** How often a live event stream checks that its API key is still valid (it ends once revoked). */
  SSE_KEY_CHECK_MS: int(15_000, 10),
  /** Default fair-use limit per tenant: sustained requests per second and burst size. */
  RATE_LIMIT_PER_SECOND: int(50, 1),
  RATE_LIMIT_BURST: int(200, 1),
  /**
   * Default per-tenant quotas (a tenant's settings override each). They keep one tenant from filling the
   * shared D1 database or R2 listing for everyone: bytes of text in the search index, multipart uploads
   * started and not finished, webhook endpoints, and files stored. See docs/tenants.md.
   */
  QUOTA_INDEXED_BYTES: int(512 * 1024 * 1024),
  QUOTA_PENDING_UPLOADS: int(100),
  QUOTA_WEBHOOK_ENDPOINTS: int(20),
  QUOTA_FILES: int(100_000),
  /**
   * `enforce` creates EU tenants' Job DOs in the EU jurisdiction (production). `simulate` is for local
   * workerd, which does not implement jurisdictions: the same routing, in the plain namespace.
   */
  JURISDICTION_MODE: z.enum(["enforce", "simulate"]).default("enforce"),
  /** Days files and jobs are kept (a tenant's `retentionDays` overrides it); 0 keeps them forever. */
  RETENTION_DAYS: int(30),
  /** Token of the admin API (tenants and keys); a secret. The admin API is off without it. */
  ADMIN_TOKEN: z.string().min(16).optional(),
  // --- Presigned and multipart uploads, import by URL ---
  /** R2 S3 API credentials the Worker signs upload URLs with (secrets in production, `.dev.vars` locally). */
  R2_ACCESS_KEY_ID: z.string().min(1).optional(),
  R2_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Account whose R2 S3 endpoint (`https://<id>.r2.cloudflarestorage.com`, `.eu.` for EU) signed URLs name. */
  R2_ACCOUNT_ID: z
    .string()
    .regex(/^[0-9a-f]{32}$/, "must be a 32-character hex account id")
    .optional(),
  /** Explicit S3 endpoint bases (override R2_ACCOUNT_ID); unset locally: the request's own origin + `/cdn-cgi/local/r2/s3`. */
  R2_S3_ENDPOINT: z.url().optional(),
  R2_S3_ENDPOINT_EU: z.url().optional(),
  /** Bucket names behind FILES and FILES_EU (a binding does not know its bucket's name). */
  R2_BUCKET_NAME: z.string().min(3).default("sluice-files"),
  R2_BUCKET_NAME_EU: z.string().min(3).default("sluice-files-eu"),
  /** Lifetime of a presigned upload URL (R2 allows 1 s to 7 days). */
  UPLOAD_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(15 * 60),
  /** How long a presigned or multipart upload may stay pending before it can no longer be completed. */
  UPLOAD_PENDING_TTL_SECONDS: int(7 * 24 * 3600, 60),
  /** Largest presigned single PUT (R2's limit for one PUT is 5 GiB). */
  MAX_PRESIGNED_UPLOAD_BYTES: verifiedUploadBytes(),
  /**
   * Largest multipart upload. R2 would take 5 TiB, but completion hashes every byte inside its request,
   * so it is capped at MAX_VERIFIED_UPLOAD_BYTES (docs/uploads.md).
   */
  MAX_MULTIPART_UPLOAD_BYTES: verifiedUploadBytes(),
  /** Part size suggested to multipart clients (R2: 5 MiB to 5 GiB, all parts equal but the last). */
  MULTIPART_PART_BYTES: int(16 * 1024 * 1024, 5 * 1024 * 1024),
  /** Largest file imported by URL, how long an import may take, and how many redirects it follows. */
  IMPORT_MAX_BYTES: int(100 * 1024 * 1024, 1),
  IMPORT_TIMEOUT_MS: int(30_000, 1),
  IMPORT_MAX_REDIRECTS: int(5),
  /**
   * Hosts (`host` or `host:port`, comma-separated) an import may reach although they are private or
   * loopback. For tests only: production configuration never sets it.
   */
  IMPORT_ALLOW_PRIVATE_HOSTS: z
    .string()
    .default("")
    .transform((value) => splitCommas(value.toLowerCase())),
  /**
   * Web origins (`https://app.example.com`, comma-separated, or `*`) whose browser pages may call the
   * API: preflights are answered and the answers carry CORS headers. Empty: no CORS (the default).
   */
  CORS_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform(splitCommas)
    .pipe(
      z.array(
        z.union([
          z.literal("*"),
          z.url().refine((url) => new URL(url).origin === url, "must be an origin (scheme://host[:port])"),
        ]),
      ),
    ),
  /** Optional DNS-over-HTTPS resolver (JSON API) used to refuse names that resolve to private addresses. */
  IMPORT_DOH_URL: z.url().optional(),
  // --- Enrichment, synchronous processing ---
  /** `auto`: Workers AI when an `AI` binding exists, else local; `local`: always the local provider. */
  ENRICH_PROVIDER: z.enum(["auto", "local", "workers-ai"]).default("auto"),
  /** The Workers AI model the enrich stage asks when it uses Workers AI. */
  ENRICH_AI_MODEL: z.string().min(1).default("@cf/meta/llama-3.1-8b-instruct"),
  /** POST /v1/process: most files, total bytes and total PDF pages in one synchronous request. */
  SYNC_MAX_FILES: int(5, 1),
  SYNC_MAX_BYTES: int(10 * 1024 * 1024, 1),
  SYNC_MAX_PAGES: int(50, 1),
  // --- Reliability testing ---
  /**
   * Least severe log level written. Every line costs: in production Workers Logs volume, under
   * `wrangler dev` a trip through the inspector (about 0.7 ms per line, measured with
   * `npm run bench:e2e -- --profile`).
   */
  LOG_LEVEL: LogLevelSchema.default("info"),
  /** Fault injection for tests and the load harness (JSON, see src/faults.ts); never set in production. */
  FAULT_INJECTION: z.string().optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

const cache = new WeakMap<object, Config>();

export function getConfig(env: object): Config {
  let config = cache.get(env);
  if (!config) {
    config = ConfigSchema.parse(env);
    cache.set(env, config);
  }
  return config;
}

export function processingLimits(config: Config): ProcessingLimits {
  return {
    maxFileBytes: config.MAX_PROCESS_BYTES,
    maxImagePixels: config.MAX_IMAGE_PIXELS,
    maxPdfPages: config.MAX_PDF_PAGES,
  };
}
