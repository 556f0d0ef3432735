/**
 * The OutputStore a stage writes through: outputs go to their deterministic R2 key (a retry overwrites
 * its own earlier output), and what a stage wrote in this run is kept in memory for the stages after
 * it, so a dependent stage does not read back from R2 what was just written.
 */
import { injectFault } from "../faults";
import type { FileClaim, OutputRecord } from "../jobs/contracts";
import type { OutputRef, OutputStore } from "../pipeline/stage";
import type { StageName } from "../pipeline/stage-names";
import { outputKey, outputUrl } from "../storage/r2-layout";

export class R2OutputStore {
  private readonly written = new Map<StageName, OutputRecord[]>();
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    private readonly bucket: R2Bucket,
    private readonly claim: FileClaim,
  ) {}

  /** The view of this store for one stage: where its writes go and which outputs it may read. */
  forStage(stage: StageName): OutputStore {
    return {
      write: (name, body, contentType) => this.write(stage, name, body, contentType),
      read: (fromStage, name) => this.read(fromStage, name),
    };
  }

  outputsOf(stage: StageName): OutputRecord[] {
    return this.written.get(stage) ?? [];
  }

  /** R2 keys this run wrote for stages other than `kept` (what the job will not serve). */
  writtenKeysExcept(kept: ReadonlySet<StageName>): string[] {
    return [...this.written].flatMap(([stage, records]) =>
      kept.has(stage) ? [] : records.map((record) => this.key(stage, record.name)),
    );
  }

  private key(stage: StageName, name: string): string {
    return outputKey(this.claim.tenantId, this.claim.fileId, this.claim.jobId, stage, name);
  }

  private async write(
    stage: StageName,
    name: string,
    body: Uint8Array | string,
    contentType: string,
  ): Promise<OutputRef> {
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    await this.bucket.put(this.key(stage, name), bytes, { httpMetadata: { contentType } });
    injectFault("output.after_write");
    this.cache.set(`${stage}/${name}`, bytes);
    const records = (this.written.get(stage) ?? []).filter((record) => record.name !== name);
    records.push({ name, contentType, bytes: bytes.byteLength });
    this.written.set(stage, records);
    return {
      name,
      contentType,
      bytes: bytes.byteLength,
      url: outputUrl(this.claim.jobId, this.claim.fileId, name),
    };
  }

  private async read(stage: StageName, name: string): Promise<Uint8Array | null> {
    const cached = this.cache.get(`${stage}/${name}`);
    if (cached) return cached;
    const object = await this.bucket.get(this.key(stage, name));
    return object ? new Uint8Array(await object.arrayBuffer()) : null;
  }
}
