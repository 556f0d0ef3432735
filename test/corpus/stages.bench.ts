/**
 * The measuring half of `npm run bench:stages` (scripts/bench-stages.mjs runs it inside workerd and adds
 * the native reference tools): every stage over every corpus file, timed (best of two runs, after a
 * warm-up), with pages/s for PDFs, megapixels/s for thumbnails and photon's wasm memory. Wasm memory only
 * grows, so images run from the least to the most memory-hungry decode and the figure after each is
 * that file's peak (an upper bound when it did not grow the memory). Not part of `npm test`.
 */
import { env } from "cloudflare:workers";
import { it } from "vitest";
import { localEnrichment } from "../../src/pipeline/enrich/local";
import { readImageHeader } from "../../src/pipeline/extract/image-header";
import { runInline, type InlineFileResult } from "../../src/pipeline/inline/run-inline";
import { DEFAULT_JOB_OPTIONS } from "../../src/pipeline/options";
import { sniff } from "../../src/pipeline/sniff";
import { STAGE_NAMES, type StageName } from "../../src/pipeline/stage-names";
import { decodeJpegEighth } from "../../src/pipeline/thumbnail/jpeg/dc-decode";
import { photonMemoryBytes } from "../../src/pipeline/thumbnail/photon";
import { D1SearchIndex } from "../../src/search/d1-search-index";
import { DEFAULT_LIMITS } from "../helpers/memory-outputs";
import { listFileRow } from "../helpers/seed";
import { openSource, type CorpusEntry } from "./sources";

interface Row {
  path: string;
  kind: string;
  bytes: number;
  pages: number | null;
  megapixels: number | null;
  ms: Partial<Record<StageName, number>>;
  outcome: Partial<Record<StageName, string>>;
  decode: string | null;
  wasmMiB: number | null;
  jsDecodeMiB: number | null;
}

const MiB = 1024 * 1024;

/** Images in order of the wasm memory their thumbnail needs: reduced-scale JPEGs first, then by pixels. */
function memoryOrder(entry: CorpusEntry, bytes: Uint8Array): number {
  const sniffed = sniff(bytes);
  if (sniffed.kind !== "image" || !sniffed.image) return 0;
  const header = readImageHeader(bytes, sniffed.image);
  const reduced = header.format === "jpeg" && Math.max(header.width, header.height) / 8 >= 256;
  return reduced ? 1 : 1e12 + header.width * header.height + (entry.kind === "malformed" ? 1e15 : 0);
}

it("bench: every stage over every corpus file", { timeout: 1_800_000 }, async () => {
  const source = await openSource();
  const files = await Promise.all(
    source.entries
      .filter((entry) => entry.bytes > 0)
      .map(async (entry) => ({ entry, bytes: await source.read(entry.path) })),
  );
  const images = files
    .filter(({ entry }) => entry.kind === "image")
    .sort((a, b) => memoryOrder(a.entry, a.bytes) - memoryOrder(b.entry, b.bytes));
  const others = files.filter(({ entry }) => entry.kind === "pdf" || entry.kind === "text");
  // The index accepts entries only for listed files: list each one, so `index` times real inserts.
  const run = async (path: string, bytes: Uint8Array, index: number): Promise<InlineFileResult> => {
    await listFileRow("bench", `file_${index}`, path);
    return runInline(
      { name: path.split("/").pop() ?? path, contentType: "application/octet-stream", bytes },
      STAGE_NAMES,
      DEFAULT_JOB_OPTIONS,
      DEFAULT_LIMITS,
      {
        searchIndex: new D1SearchIndex(env.DB, {
          tenantId: "bench",
          jobId: "job_bench",
          fileId: `file_${index}`,
          fileName: path,
        }),
        enrichment: localEnrichment,
      },
    );
  };
  // Warm-up: the first PDF and image pay for module start-up and JIT.
  for (const warm of [others[0], images[0]]) if (warm) await run(warm.entry.path, warm.bytes, 9999);

  const rows: Row[] = [];
  for (const [index, { entry, bytes }] of [...images, ...others].entries()) {
    const first = await run(entry.path, bytes, index);
    const wasm = await photonMemoryBytes();
    const second = await run(entry.path, bytes, index);
    const ms: Row["ms"] = {};
    const outcome: Row["outcome"] = {};
    for (const stage of STAGE_NAMES) {
      const a = first.stages[stage];
      const b = second.stages[stage];
      if (!a || !b) continue;
      ms[stage] = Math.min(a.durationMs, b.durationMs);
      outcome[stage] =
        a.status === "failed"
          ? `failed:${a.error.code}`
          : a.status === "skipped"
            ? `skipped:${a.reason.code}`
            : "ok";
    }
    const extract = first.stages.extract?.status === "completed" ? first.stages.extract.result : {};
    const thumb = first.stages.thumbnail?.status === "completed" ? first.stages.thumbnail.result : {};
    const thumbSource = (thumb["source"] ?? {}) as { width?: number; height?: number; decode?: string };
    const decode = thumbSource.decode ?? null;
    rows.push({
      path: entry.path,
      kind: entry.kind,
      bytes: bytes.byteLength,
      pages: typeof extract["pageCount"] === "number" ? extract["pageCount"] : null,
      megapixels: thumbSource.width ? (thumbSource.width * (thumbSource.height ?? 0)) / 1e6 : null,
      ms,
      outcome,
      decode,
      wasmMiB: entry.kind === "image" && decode ? wasm / MiB : null,
      jsDecodeMiB: decode === "dct-1/8" ? decodeJpegEighth(bytes, 512).allocatedBytes / MiB : null,
    });
  }
  console.log(`BENCH_JSON ${JSON.stringify({ source: source.name, rows })}`);
});
