/**
 * Runtime settings, read from the Worker's environment variables (`[vars]` in wrangler.toml, `.dev.vars`
 * locally, test bindings in tests) and validated once, so a bad setting fails loudly at the first request
 * rather than deep inside a stage.
 */
import { z } from "zod";
import type { ProcessingLimits } from "./pipeline/stage";

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const ConfigSchema = z.object({
  /** Largest accepted direct upload, in bytes. */
  MAX_UPLOAD_BYTES: int(100 * 1024 * 1024, 1),
  /** Largest file in one multipart/form-data part (parts are held in memory while stored). */
  MAX_FORM_FILE_BYTES: int(32 * 1024 * 1024, 1),
  /** Largest file a stage loads into memory (a Worker isolate has 128 MB in all). */
  MAX_PROCESS_BYTES: int(48 * 1024 * 1024, 1),
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
