// The PDF table of `npm run bench:stages`: reads the `BENCH_PDF {json}` lines of test/corpus/pdf.bench.ts
// (text pages/s with pdf.js and with PDFium, PDFium's peak wasm memory, word agreement with pdftotext,
// page-1 render time and rendering pages/s at 72 dpi) and times poppler on the same files in this
// process: `pdftotext -enc UTF-8` for text and `pdftoppm -r 72 -singlefile -f 1 -l 1 -png` for page 1.
// Wall times of the native tools include their process start. Missing tools are said, not failed.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fmt, timeCommand, which } from "./native-tools.mjs";

/**
 * @typedef {object} PdfRow
 * @property {string} path
 * @property {number} bytes
 * @property {string} [password]
 * @property {number} [pages]
 * @property {number} [pdfjsTextMs]
 * @property {number} [pdfiumTextMs]
 * @property {number} [pdfiumWasmMiB]
 * @property {number} [renderWasmMiB]
 * @property {number} [pdfjsAgreement]
 * @property {number} [pdfiumAgreement]
 * @property {number} [renderFirstMs]
 * @property {number} [renderAllMs]
 * @property {string} [error]
 */

const MARKER = "BENCH_PDF ";

/**
 * @param {number | undefined} pages
 * @param {number | null | undefined} ms
 */
const rate = (pages, ms) =>
  pages && ms !== null && ms !== undefined ? (pages * 1000) / Math.max(ms, 1) : null;

/**
 * @param {string} output the bench run's combined stdout and stderr
 * @param {string} corpusDir where the corpus files are (the fixtures are tried when a file is not there)
 */
export function report(output, corpusDir) {
  /** @type {PdfRow[]} */
  const rows = output
    .split("\n")
    .filter((line) => line.includes(MARKER))
    .map((line) => /** @type {PdfRow} */ (JSON.parse(line.slice(line.indexOf(MARKER) + MARKER.length))));
  console.log(
    "\nPDF text and rendering: pdf.js vs PDFium inside workerd, poppler natively (best of 2 after a warm-up)\n",
  );
  if (rows.length === 0) {
    console.log("no BENCH_PDF rows: the PDF bench did not run");
    return;
  }
  const pdftotext = which("pdftotext");
  const pdftoppm = which("pdftoppm");
  const fixturesDir = path.resolve(import.meta.dirname, "..", "..", "test", "fixtures");
  const outDir = mkdtempSync(path.join(os.tmpdir(), "sluice-pdftoppm-"));
  const header = [
    "file",
    "pages",
    "pdf.js p/s",
    "PDFium p/s",
    "pdftotext p/s",
    "agree pdf.js",
    "agree PDFium",
    "PDFium MiB",
    "render p1 ms",
    "pdftoppm p1 ms",
    "render p/s",
    "render MiB",
  ];
  const table = [header];
  for (const row of rows) {
    const candidate = path.join(corpusDir, row.path);
    const file = existsSync(candidate) ? candidate : path.join(fixturesDir, row.path);
    const passwordArgs = row.password ? ["-upw", row.password] : [];
    const textMs = pdftotext ? timeCommand(pdftotext, [...passwordArgs, "-enc", "UTF-8", file, "-"]) : null;
    const ppmMs = pdftoppm
      ? timeCommand(pdftoppm, [
          ...passwordArgs,
          "-r",
          "72",
          "-singlefile",
          "-f",
          "1",
          "-l",
          "1",
          "-png",
          file,
          path.join(outDir, "page"),
        ])
      : null;
    table.push([
      row.path.replace(/^pdf\//, "") + (row.error ? ` (error: ${row.error})` : ""),
      fmt(row.pages),
      row.password ? "pw" : fmt(rate(row.pages, row.pdfjsTextMs)),
      fmt(rate(row.pages, row.pdfiumTextMs)),
      fmt(rate(row.pages, textMs)),
      fmt(row.pdfjsAgreement, 3),
      fmt(row.pdfiumAgreement, 3),
      fmt(row.pdfiumWasmMiB, 1),
      fmt(row.renderFirstMs),
      fmt(ppmMs),
      fmt(rate(row.pages, row.renderAllMs)),
      fmt(row.renderWasmMiB, 1),
    ]);
  }
  rmSync(outDir, { recursive: true, force: true });
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
  for (const row of table) {
    console.log(
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  "),
    );
  }
  console.log(
    "\np/s = pages per second (a time under 1 ms counts as 1 ms); agree = word Jaccard (NFKC, case-folded) with pdftotext's reference text;" +
      "\nPDFium MiB = its wasm memory after reading the file's text with a fresh instance (the file's peak);" +
      "\nrender = every page at 72 dpi (scale 1), render MiB = wasm memory after it; pw = pdf.js gets no" +
      "\npassword in the extract stage, so it is not timed on encrypted files.",
  );
  if (!pdftotext || !pdftoppm)
    console.log("pdftotext/pdftoppm not found: install poppler-utils for the native reference.");
}
