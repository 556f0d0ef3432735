/**
 * Test doubles for running a stage directly: an in-memory `OutputStore` that keeps what a stage wrote
 * (so tests can read the bytes back), and a builder for `StageInput` with the default options and
 * limits. Neither is a platform binding; the real store writes to R2.
 */
import { getConfig, processingLimits } from "../../src/config";
import { DEFAULT_JOB_OPTIONS, JobOptionsSchema, type JobOptions } from "../../src/pipeline/options";
import { sniff, SNIFF_BYTES } from "../../src/pipeline/sniff";
import { localEnrichment } from "../../src/pipeline/enrich/local";
import type {
  OutputRef,
  OutputStore,
  ProcessingLimits,
  StageInput,
  StageServices,
} from "../../src/pipeline/stage";
import type { StageName } from "../../src/pipeline/stage-names";

export interface StoredOutput {
  body: Uint8Array;
  contentType: string;
}

export class MemoryOutputs implements OutputStore {
  /** Outputs by stage, then by name. */
  readonly stored = new Map<StageName, Map<string, StoredOutput>>();

  constructor(
    private readonly stage: StageName,
    private readonly fileId = "file_test",
    private readonly jobId = "job_test",
  ) {}

  write(name: string, body: Uint8Array | string, contentType: string): Promise<OutputRef> {
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body.slice();
    let outputs = this.stored.get(this.stage);
    if (!outputs) this.stored.set(this.stage, (outputs = new Map<string, StoredOutput>()));
    outputs.set(name, { body: bytes, contentType });
    return Promise.resolve({
      name,
      url: `/v1/jobs/${this.jobId}/files/${this.fileId}/outputs/${encodeURIComponent(name)}`,
      contentType,
      bytes: bytes.byteLength,
    });
  }

  read(stage: StageName, name: string): Promise<Uint8Array | null> {
    return Promise.resolve(this.stored.get(stage)?.get(name)?.body ?? null);
  }

  /** What the running stage wrote under `name`; throws when it wrote nothing. */
  get(name: string): StoredOutput {
    const output = this.stored.get(this.stage)?.get(name);
    if (!output) throw new Error(`the ${this.stage} stage wrote no output '${name}'`);
    return output;
  }

  /** The running stage's output `name` decoded as UTF-8 text. */
  text(name: string): string {
    return new TextDecoder().decode(this.get(name).body);
  }
}

/** The limits of the default configuration. */
export const DEFAULT_LIMITS: ProcessingLimits = processingLimits(getConfig({}));

export interface InputOverrides {
  name?: string;
  options?: Partial<{ thumbnail: Partial<JobOptions["thumbnail"]> }>;
  limits?: Partial<ProcessingLimits>;
  services?: Partial<StageServices>;
}

/** Stages that need no search index get one that refuses to be used (tests of `index` pass a real one). */
const NO_SEARCH_INDEX: StageServices["searchIndex"] = {
  replace: () => Promise.reject(new Error("this test gave the stage no search index")),
  usage: () => Promise.reject(new Error("this test gave the stage no search index")),
};

/** A `StageInput` for `bytes`, sniffed the way the pipeline does (from the first SNIFF_BYTES). */
export function stageInput(
  bytes: Uint8Array,
  outputs: OutputStore,
  overrides: InputOverrides = {},
): StageInput {
  const options = overrides.options ? JobOptionsSchema.parse(overrides.options) : DEFAULT_JOB_OPTIONS;
  return {
    file: {
      id: "file_test",
      name: overrides.name ?? "upload",
      size: bytes.byteLength,
      contentType: "application/octet-stream",
    },
    bytes,
    sniffed: sniff(bytes.subarray(0, SNIFF_BYTES)),
    options,
    limits: { ...DEFAULT_LIMITS, ...overrides.limits },
    previous: {},
    outputs,
    services: { searchIndex: NO_SEARCH_INDEX, enrichment: localEnrichment, ...overrides.services },
  };
}
