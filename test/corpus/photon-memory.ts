/**
 * Photon's memory against the pixel count, for `npm run bench:stages`: synthetic photos of 1-12 MP
 * (scripts/bench-stages.synthetic.mjs) thumbnailed by a full decode, smallest first, in a fresh isolate
 * (one bench file per format). Wasm memory never shrinks, so the size after each photo is the peak that
 * photo needed (or the earlier peak when it needed less).
 */
import { corpusFile } from "../helpers/fixtures";
import { photonMemoryBytes, renderThumbnails } from "../../src/pipeline/thumbnail/photon";
import { planThumbnails } from "../../src/pipeline/thumbnail/plan";
import { readImageHeader } from "../../src/pipeline/extract/image-header";

const MEGAPIXELS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12];

export async function measurePhotonMemory(format: "jpeg" | "png"): Promise<void> {
  const rows: { megapixels: number; wasmMiB: number; ms: number }[] = [];
  for (const megapixels of MEGAPIXELS) {
    const name = `synthetic/${format}_${megapixels}mp.${format === "jpeg" ? "jpg" : "png"}`;
    const bytes = await corpusFile(name);
    if (!bytes) {
      console.log(`BENCH_MEMORY_MISSING ${name}`);
      return;
    }
    const header = readImageHeader(bytes, format);
    const started = Date.now();
    renderThumbnails({
      source: { kind: "encoded", bytes },
      plan: planThumbnails(header, 1, [256], "inside"),
      orientation: 1,
      hasAlpha: false,
      format: "jpeg",
      quality: 80,
    });
    const ms = Date.now() - started;
    rows.push({
      megapixels: (header.width * header.height) / 1e6,
      wasmMiB: (await photonMemoryBytes()) / 2 ** 20,
      ms,
    });
  }
  console.log(`BENCH_MEMORY ${JSON.stringify({ format, rows })}`);
}
