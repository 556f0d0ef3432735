/**
 * The contract between the pipeline and a stage. A stage is a pure-ish function: the file's bytes,
 * the job's options and the results of the stages it depends on go in; a small JSON result and named
 * outputs (written through `outputs`) come out. It knows nothing about queues, leases or HTTP.
 *
 * A stage reports bad input by throwing a `StageError` (the file's stage fails at once with that
 * code). Any other exception is treated as transient: the task is retried with backoff and, when the
 * retries run out, fails with `retries_exhausted`.
 */
import type { EnrichmentProvider } from "./enrich/provider";
import type { SearchIndexPort } from "./indexing/search-port";
import type { JobOptions } from "./options";
import type { Sniffed } from "./sniff";
import type { StageName } from "./stage-names";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Stable codes for a file's stage that failed because of its input (never retried). */
export const STAGE_ERROR_CODES = [
  "empty_file",
  "unsupported_type",
  "corrupt_file",
  "pdf_encrypted",
  "too_many_pages",
  "image_too_large",
  "file_too_large",
  "source_missing",
  "unsupported_encoding",
  "retries_exhausted",
  "index_quota_exceeded",
  "index_not_allowed_in_jurisdiction",
] as const;
export type StageErrorCode = (typeof STAGE_ERROR_CODES)[number];

/** A permanent, input-caused failure of one stage for one file. */
export class StageError extends Error {
  override readonly name = "StageError";
  constructor(
    readonly code: StageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Limits that keep one file's processing inside a Worker isolate's memory. */
export interface ProcessingLimits {
  /** Largest source file a stage loads into memory, in bytes. */
  maxFileBytes: number;
  /** Largest image (width x height) decoded for a thumbnail. */
  maxImagePixels: number;
  /** Most pages read from one PDF. */
  maxPdfPages: number;
}

export interface OutputRef {
  name: string;
  /** API path that serves the output with the job owner's key. */
  url: string;
  contentType: string;
  bytes: number;
}

export interface OutputStore {
  /** Stores a named output of the running stage under its deterministic key (overwriting a retry's). */
  write(name: string, body: Uint8Array | string, contentType: string): Promise<OutputRef>;
  /** Reads an output an earlier stage of this file wrote in this job, or null when there is none. */
  read(stage: StageName, name: string): Promise<Uint8Array | null>;
}

export interface StageInput {
  file: { id: string; name: string; size: number; contentType: string };
  /** The whole source file (already checked against `limits.maxFileBytes`). */
  bytes: Uint8Array;
  /** What the bytes are, sniffed once per file from their content. */
  sniffed: Sniffed;
  options: JobOptions;
  limits: ProcessingLimits;
  /** Results of the stages this one depends on (completed in this run or an earlier one). */
  previous: Partial<Record<StageName, JsonObject>>;
  outputs: OutputStore;
  /** What some stages need from outside the pipeline, handed in as small ports (no bindings). */
  services: StageServices;
}

export interface StageServices {
  /** Where the index stage writes this file's searchable text (already scoped to tenant, job and file). */
  searchIndex: SearchIndexPort;
  /** Keywords, summary and document type for the enrich stage. */
  enrichment: EnrichmentProvider;
}

export type StageOutcome =
  | { status: "completed"; result: JsonObject }
  | { status: "skipped"; reason: { code: string; message: string } };

export interface Stage {
  readonly name: StageName;
  run(input: StageInput): Promise<StageOutcome>;
}
