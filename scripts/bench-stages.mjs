// `npm run bench:stages`: the time of every stage over every corpus file, measured inside workerd
// (test/corpus/stages.bench.ts through scripts/bench-stages.config.ts), with pages/s for PDFs,
// megapixels/s and photon's wasm memory for thumbnails, next to native tools where they are installed
// (poppler's pdftotext for extract, ImageMagick's convert for thumbnails) as a ratio (Sluice / native).
// Reads ../shared/corpus (or SLUICE_CORPUS_DIR); without it, the repository's fixtures. Also measures
// photon's wasm memory against the pixel count, on synthetic 1-12 MP photos made for the run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SYNTHETIC_MEGAPIXELS, writeSyntheticPhotos } from "./bench-stages.synthetic.mjs";
import { report as reportGuards } from "./bench-stages/guards.mjs";
import { fmt, timeCommand, which } from "./bench-stages/native-tools.mjs";
import { report as reportPdf } from "./bench-stages/pdf.mjs";
import { report as reportPhotos } from "./bench-stages/photos.mjs";

/**
 * @typedef {object} Row
 * @property {string} path
 * @property {string} kind
 * @property {number} bytes
 * @property {number | null} pages
 * @property {number | null} megapixels
 * @property {Record<string, number>} ms
 * @property {Record<string, string>} outcome
 * @property {string | null} decode
 * @property {number | null} wasmMiB
 * @property {number | null} jsDecodeMiB
 */

const root = path.resolve(import.meta.dirname, "..");
const corpusDir = path.resolve(process.env["SLUICE_CORPUS_DIR"] ?? path.join(root, "..", "shared", "corpus"));
// The Worker reads files through the test configuration's corpus directory: a temporary one holding the
// corpus (linked, when present) and the synthetic photos.
const workDir = mkdtempSync(path.join(os.tmpdir(), "sluice-bench-"));
if (existsSync(path.join(corpusDir, "manifest.jsonl"))) {
  for (const entry of readdirSync(corpusDir))
    symlinkSync(path.join(corpusDir, entry), path.join(workDir, entry));
}
console.log("Making synthetic 1-12 MP photos for the memory measurement...");
writeSyntheticPhotos(root, workDir);

const env = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  NO_COLOR: "1",
  SLUICE_CORPUS_DIR: workDir,
};

console.log("Running every stage over the corpus inside workerd (a few minutes)...");
const vitest = spawnSync(
  process.execPath,
  [
    path.join(root, "node_modules", "vitest", "vitest.mjs"),
    "run",
    "--config",
    "scripts/bench-stages.config.ts",
    "--reporter=dot",
  ],
  { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
rmSync(workDir, { recursive: true, force: true });
const output = `${vitest.stdout}\n${vitest.stderr}`;
const marker = "BENCH_JSON ";
const line = output.split("\n").find((l) => l.includes(marker));
if (vitest.status !== 0 || !line) {
  console.error(output);
  console.error("the benchmark run failed");
  process.exit(1);
}
/** @type {{ source: string, rows: Row[] }} */
const measured = JSON.parse(line.slice(line.indexOf(marker) + marker.length));
const { rows } = measured;
const sourceName = measured.source;
const baseDir = sourceName === "corpus" ? corpusDir : path.join(root, "test", "fixtures");

// /usr/bin/convert when installed (a `convert` earlier on PATH may be a stand-in for it).
const convert = existsSync("/usr/bin/convert") ? "/usr/bin/convert" : which("convert");
const pdftotext = which("pdftotext");

const header = [
  "file",
  "size KB",
  "pages",
  "MP",
  "extract",
  "analyze",
  "enrich",
  "thumbnail",
  "index",
  "pages/s",
  "MP/s",
  "decode",
  "wasm MiB",
  "native ms",
  "ratio",
];
/** @type {string[][]} */
const table = [header];
for (const row of rows) {
  const file = path.join(baseDir, row.path);
  /** @type {number | null} */
  let native = null;
  let tool = "";
  if (row.kind === "pdf" && row.outcome["extract"] === "ok" && pdftotext) {
    native = timeCommand(pdftotext, ["-enc", "UTF-8", file, "-"]);
    tool = "pdftotext";
  } else if (row.kind === "image" && row.outcome["thumbnail"] === "ok" && convert) {
    native = timeCommand(convert, [`${file}[0]`, "-auto-orient", "-thumbnail", "256x256", "jpg:-"]);
    tool = "convert";
  }
  const ours =
    row.kind === "pdf" ? row.ms["extract"] : row.kind === "image" ? row.ms["thumbnail"] : undefined;
  /** @param {string} stage */
  const cell = (stage) => {
    const outcome = row.outcome[stage] ?? "-";
    if (outcome === "ok") return fmt(row.ms[stage]);
    return outcome.startsWith("skipped:") ? "skip" : outcome;
  };
  const extractMs = Math.max(1, row.ms["extract"] ?? 1);
  const thumbnailMs = Math.max(1, row.ms["thumbnail"] ?? 1);
  table.push([
    row.path,
    fmt(row.bytes / 1024),
    String(row.pages ?? "-"),
    fmt(row.megapixels, 2),
    cell("extract"),
    cell("analyze"),
    cell("enrich"),
    cell("thumbnail"),
    cell("index"),
    row.pages && row.outcome["extract"] === "ok" ? fmt(row.pages / (extractMs / 1000)) : "-",
    row.megapixels && row.outcome["thumbnail"] === "ok" ? fmt(row.megapixels / (thumbnailMs / 1000), 1) : "-",
    row.decode ?? "-",
    row.wasmMiB === null
      ? "-"
      : fmt(row.wasmMiB, 1) + (row.jsDecodeMiB === null ? "" : ` (+${fmt(row.jsDecodeMiB, 1)} JS)`),
    native === null ? (tool ? `${tool}: failed` : "-") : `${fmt(native)} ${tool}`,
    native !== null && ours !== undefined ? `${fmt(ours / Math.max(native, 0.001), 1)}x` : "-",
  ]);
}
const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
console.log(
  `\nSource: ${sourceName === "corpus" ? corpusDir : "test/fixtures (corpus absent)"}; ` +
    "times in ms, best of 2 after a warm-up.",
);
console.log(
  "ratio = Sluice's extract (PDF) or thumbnail (image) time / the native tool's wall time (with its process start).",
);
console.log(
  "wasm MiB = photon's wasm memory after the file's thumbnail (it only grows; files run in order of need);",
);
console.log("(+x JS) = typed arrays the 1/8-scale JPEG decode allocated.\n");
for (const row of table) {
  console.log(
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "),
  );
}
if (!pdftotext) console.log("\npdftotext not found: install poppler-utils for the PDF reference.");
if (!convert) console.log("ImageMagick's convert not found: install imagemagick for the image reference.");

/** @type {{ format: string, rows: { megapixels: number, wasmMiB: number, ms: number }[] }[]} */
const memory = output
  .split("\n")
  .filter((l) => l.includes("BENCH_MEMORY "))
  .map((l) => JSON.parse(l.slice(l.indexOf("BENCH_MEMORY ") + "BENCH_MEMORY ".length)));
console.log(
  "\nPhoton's wasm memory after a full-decode thumbnail (fresh isolate per format, smallest first):\n",
);
console.log(
  ["MP", ...memory.flatMap((m) => [`${m.format} MiB`, `${m.format} ms`])].map((c) => c.padStart(9)).join(" "),
);
for (const [i, megapixels] of SYNTHETIC_MEGAPIXELS.entries()) {
  const cells = memory.flatMap((m) => [fmt(m.rows[i]?.wasmMiB, 1), fmt(m.rows[i]?.ms)]);
  console.log([String(megapixels), ...cells].map((c) => c.padStart(9)).join(" "));
}

reportPdf(output, corpusDir);
reportGuards(output, corpusDir);
reportPhotos(output, corpusDir);
