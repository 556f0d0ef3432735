// Large-photo part of `npm run bench:stages`: prints the BENCH_PHOTOS rows of test/corpus/photos.bench.ts
// (Sluice inside workerd) next to ImageMagick (`convert X -thumbnail 256x256`) and libvips
// (`vipsthumbnail X -s 256`) on the same files. The generated PNGs are made again here with the same
// size and construction (scripts/fixtures/blocky-png.py, from the Wood photo reduced by ImageMagick).
// A missing tool is said plainly; a tool that takes over 5 minutes is stopped and reported.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const root = path.resolve(import.meta.dirname, "..", "..");
const TIMEOUT_MS = 300_000;

/**
 * @param {string} output the vitest run's stdout and stderr
 * @param {string} corpusDir the shared corpus
 */
export function report(output, corpusDir) {
  const rows = output
    .split("\n")
    .filter((l) => l.includes("BENCH_PHOTOS "))
    .map((l) => JSON.parse(l.slice(l.indexOf("BENCH_PHOTOS ") + "BENCH_PHOTOS ".length)));
  console.log("\nLarge photos: 256 px thumbnail (fit inside), best of 2 inside workerd:\n");
  if (rows.length === 0) {
    console.log("no BENCH_PHOTOS rows: test/corpus/photos.bench.ts did not run");
    return;
  }
  const convert = which("convert");
  const vips = which("vipsthumbnail");
  const work = mkdtempSync(path.join(os.tmpdir(), "sluice-photos-"));
  try {
    const header = [
      "file",
      "MP",
      "route",
      "ms",
      "ms/MP",
      "MP/s",
      "JS MiB",
      "photon MiB",
      "libwebp MiB",
      "convert ms",
      "vips ms",
    ];
    const table = [header];
    for (const row of rows) {
      const file = fileFor(row, work, corpusDir, convert);
      table.push([
        row.name,
        fmt(row.megapixels, 1),
        row.route,
        fmt(row.ms, 0),
        fmt(row.msPerMegapixel, 1),
        fmt(row.megapixelsPerSecond, 1),
        fmt(row.jsMiB, 2),
        fmt(row.photonMiB, 1),
        fmt(row.libwebpMiB, 1),
        file && convert ? timed(convert, [file, "-thumbnail", "256x256", path.join(work, "im.jpg")]) : "-",
        file && vips ? timed(vips, [file, "-s", "256", "-o", path.join(work, "vips.jpg")]) : "-",
      ]);
    }
    const widths = header.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
    for (const r of table)
      console.log(
        r
          .map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0)))
          .join("  "),
      );
    console.log(
      "\nJS MiB = typed arrays of the reduced decode; photon/libwebp MiB = their wasm memory after the row " +
        "(it only grows: the peak so far). convert/vips ms = one wall-clock run, with process start.",
    );
    if (!convert)
      console.log("ImageMagick's convert not found: apt-get install -y imagemagick for its column.");
    if (!vips) console.log("vipsthumbnail not found: apt-get install -y libvips-tools for its column.");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The file a row measured, on disk (generated PNGs are made again), or null when it cannot be had.
 * @param {{ name: string, width: number, height: number }} row
 * @param {string} work
 * @param {string} corpusDir
 * @param {string | null} convert
 * @returns {string | null}
 */
function fileFor(row, work, corpusDir, convert) {
  if (row.name.startsWith("fixture 108"))
    return path.join(root, "test/fixtures/image/large/photo_108mp_orient6.png");
  if (row.name.startsWith("fixture 16.8"))
    return path.join(root, "test/fixtures/image/large/photo_16mp_orient6.webp");
  if (row.name.startsWith("corpus")) {
    const jpeg = path.join(corpusDir, "image/mate-backgrounds_Elephants_4032x3024_orient6.jpg");
    return existsSync(jpeg) ? jpeg : null;
  }
  const python = which("python3");
  const block = [4, 8, 12].find((k) => row.width % k === 0 && row.height % k === 0 && row.width / k < 1000);
  if (!convert || !python || !block) return null;
  const small = path.join(work, "small.rgb");
  const out = path.join(work, `${row.width}x${row.height}.png`);
  const wood = path.join(root, "test/fixtures/image/mate-backgrounds_Wood_2560x1920.jpg");
  spawnSync(convert, [
    wood,
    "-resize",
    `${row.width / block}x${row.height / block}!`,
    "-depth",
    "8",
    `rgb:${small}`,
  ]);
  const made = spawnSync(python, [
    path.join(root, "scripts/fixtures/blocky-png.py"),
    small,
    String(row.width / block),
    String(row.height / block),
    String(block),
    "-",
    out,
  ]);
  return made.status === 0 ? out : null;
}

/**
 * @param {string} command
 * @param {string[]} args
 */
function timed(command, args) {
  const started = performance.now();
  const run = spawnSync(command, args, { timeout: TIMEOUT_MS, stdio: "ignore" });
  const ms = performance.now() - started;
  if (/** @type {NodeJS.ErrnoException | undefined} */ (run.error)?.code === "ETIMEDOUT" || run.signal)
    return `>${TIMEOUT_MS / 1000}s`;
  return run.status === 0 ? fmt(ms, 0) : "failed";
}

/** @param {string} tool */
function which(tool) {
  return spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim() || null;
}

/**
 * @param {unknown} n
 * @param {number} digits
 */
function fmt(n, digits) {
  return typeof n === "number" && Number.isFinite(n) ? n.toFixed(digits) : "-";
}
