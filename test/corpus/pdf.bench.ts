/**
 * The measuring half of the PDF rows of `npm run bench:stages` (scripts/bench-stages/pdf.mjs prints them
 * next to poppler's pdftotext and pdftoppm): per corpus PDF, text pages/s with pdf.js and with PDFium,
 * PDFium's peak wasm memory (a fresh PDFium instance per file, so the memory after the file is that
 * file's peak), word agreement of each text with pdftotext's, page-1 render time and rendering pages/s
 * at 72 dpi (the pdftoppm -r 72 comparison). Times are the best of two runs after a warm-up. One
 * `BENCH_PDF {json}` line per file. Not part of `npm test`.
 */
import { it } from "vitest";
import { discardPdfium, pdfiumMemoryBytes } from "../../src/pipeline/pdf/pdfium";
import { openPdfForRendering } from "../../src/pipeline/pdf/render";
import { pdfiumText, pdfjsText } from "./pdf-text-readers";
import { jaccard, openSource } from "./sources";

const MiB = 1024 * 1024;

async function best<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  let ms = Infinity;
  let value: T | undefined;
  for (let run = 0; run < 2; run++) {
    const started = performance.now();
    value = await work();
    ms = Math.min(ms, performance.now() - started);
  }
  return { value: value as T, ms };
}

async function renderAll(bytes: Uint8Array, password?: string) {
  const session = await openPdfForRendering(bytes, { password });
  try {
    const started = performance.now();
    session.renderPage(0, { maxWidth: 10_000, maxHeight: 10_000, scale: 1 });
    const firstMs = performance.now() - started;
    for (let i = 1; i < session.pageCount; i++)
      session.renderPage(i, { maxWidth: 10_000, maxHeight: 10_000, scale: 1 });
    return { firstMs, allMs: performance.now() - started, pages: session.pageCount };
  } finally {
    session.close();
  }
}

it("bench: PDF text (pdf.js vs PDFium) and rendering", { timeout: 1_800_000 }, async () => {
  const source = await openSource();
  const pdfs = source.entries.filter((entry) => entry.kind === "pdf" && entry.bytes > 0);
  const warm = pdfs[0];
  if (warm) {
    const bytes = await source.read(warm.path);
    await pdfjsText(bytes);
    await pdfiumText(bytes);
  }
  for (const entry of pdfs) {
    const bytes = await source.read(entry.path);
    const password = entry.password;
    // The password (a public test password of the corpus) lets the report run poppler on the same file.
    const row: Record<string, unknown> = { path: entry.path, bytes: bytes.byteLength, password };
    try {
      discardPdfium();
      const pdfium = await best(() => pdfiumText(bytes, password));
      row["pdfiumWasmMiB"] = pdfiumMemoryBytes() / MiB;
      row["pages"] = pdfium.value.length;
      row["pdfiumTextMs"] = pdfium.ms;
      discardPdfium();
      const render = await renderAll(bytes, password);
      const again = await renderAll(bytes, password);
      row["renderFirstMs"] = Math.min(render.firstMs, again.firstMs);
      row["renderAllMs"] = Math.min(render.allMs, again.allMs);
      row["renderWasmMiB"] = pdfiumMemoryBytes() / MiB;
      const reference = await source.reference(entry.path);
      if (reference !== null) row["pdfiumAgreement"] = jaccard(pdfium.value.join("\f"), reference);
      if (!password) {
        // pdf.js is given no password by the extract stage either: encrypted files fail there.
        const pdfjs = await best(() => pdfjsText(bytes));
        row["pdfjsTextMs"] = pdfjs.ms;
        if (reference !== null) row["pdfjsAgreement"] = jaccard(pdfjs.value.join("\f"), reference);
      }
    } catch (error) {
      row["error"] = String(error);
    }
    console.log(`BENCH_PDF ${JSON.stringify(row)}`);
  }
});
