/**
 * The PDFium page renderer on real PDFs inside workerd: page sizes agree with pdfinfo (the fixtures'
 * manifest), renders fit the requested box with the page's aspect ratio, the scale and pixel caps hold,
 * pixels are white where the page is blank and dark where it has ink, a filled form shows its values,
 * and bad inputs fail with stable codes. The memory figures are printed.
 */
import { describe, expect, it } from "vitest";
import { MAX_RENDER_PIXELS, openPdfForRendering, pdfiumMemoryBytes } from "../../src/pipeline/pdf/render";
import { StageError } from "../../src/pipeline/stage";
import { fixture, manifest } from "../helpers/fixtures";
import { pdfinfoPageSize } from "./page-size";

const MiB = 1024 * 1024;

/** Pixels clearly darker than the white page (text, lines, pictures). */
function inkedPixels(rgba: Uint8Array): number {
  let dark = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if ((rgba[i] ?? 0) + (rgba[i + 1] ?? 0) + (rgba[i + 2] ?? 0) < 3 * 200) dark++;
  }
  return dark;
}

async function rejection(promise: Promise<unknown>): Promise<StageError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof StageError)) throw new Error(`expected a StageError, got ${String(error)}`);
  return error;
}

describe("openPdfForRendering", () => {
  it.each([
    "pdf/pdfjs_tracemonkey.pdf",
    "pdf/pdfjs_french_diacritics.pdf",
    "pdf/pdfjs_issue12823_chinese.pdf",
    "pdf/pdfjs_ArabicCIDTrueType.pdf",
    "pdf/pdfjs_prefilled_f1040.pdf",
    "pdf/pdfjs_bug900822_rc4_owner_only.pdf",
  ])("renders page 1 of %s inside the box, at pdfinfo's aspect ratio, with ink on it", async (path) => {
    const expected = await pdfinfoPageSize(path);
    const session = await openPdfForRendering(await fixture(path));
    try {
      expect(session.pageCount).toBe((await manifest(path)).expected.pdf?.pages);
      const size = session.pageSize(0);
      expect(size.widthPt).toBeCloseTo(expected.widthPt, 0);
      expect(size.heightPt).toBeCloseTo(expected.heightPt, 0);
      const page = session.renderPage(0, { maxWidth: 300, maxHeight: 300 });
      expect(Math.max(page.width, page.height)).toBe(300);
      expect(page.width / page.height).toBeCloseTo(expected.widthPt / expected.heightPt, 2);
      expect(page.rgba.length).toBe(page.width * page.height * 4);
      expect(inkedPixels(page.rgba)).toBeGreaterThan(20);
    } finally {
      session.close();
    }
  });

  it("renders a blank page all white and opaque", async () => {
    const session = await openPdfForRendering(await fixture("pdf/pdfjs_empty_blank_page.pdf"));
    try {
      const page = session.renderPage(0, { maxWidth: 200, maxHeight: 200 });
      expect(page.rgba.every((value) => value === 255)).toBe(true);
    } finally {
      session.close();
    }
  });

  it("draws the values of a filled AcroForm", async () => {
    // The field's value has no appearance stream (/NeedAppearances): only the form layer draws it.
    const bytes = await fixture("pdf/generated_acroform_filled.pdf");
    const ink = async (drawForms: boolean) => {
      const session = await openPdfForRendering(bytes, { drawForms });
      try {
        const page = session.renderPage(0, { maxWidth: 612, maxHeight: 792, scale: 1 });
        // The text field spans x 140-560, y 680-720 in PDF space (origin bottom-left).
        const field = new Uint8Array(420 * 40 * 4);
        for (let row = 0; row < 40; row++) {
          const y = 792 - 720 + row;
          field.set(page.rgba.subarray((y * 612 + 140) * 4, (y * 612 + 560) * 4), row * 420 * 4);
        }
        return inkedPixels(field);
      } finally {
        session.close();
      }
    };
    const withForms = await ink(true);
    expect(await ink(false)).toBe(0);
    expect(withForms).toBeGreaterThan(500);
  });

  it("keeps to the scale cap and to the pixel cap", async () => {
    const bytes = await fixture("pdf/pdfjs_tracemonkey.pdf");
    const session = await openPdfForRendering(bytes);
    try {
      const atScale = session.renderPage(0, { maxWidth: 10_000, maxHeight: 10_000, scale: 1 });
      expect([atScale.width, atScale.height]).toEqual([612, 792]);
      const capped = session.renderPage(0, { maxWidth: 100_000, maxHeight: 100_000 });
      expect(capped.width * capped.height).toBeLessThanOrEqual(MAX_RENDER_PIXELS);
      expect(capped.width * capped.height).toBeGreaterThan(MAX_RENDER_PIXELS * 0.99);
      expect(capped.width / capped.height).toBeCloseTo(612 / 792, 2);
      console.log(
        `PDFium render memory: ${capped.width}x${capped.height} page (${((capped.width * capped.height) / 1e6).toFixed(1)} MP): ` +
          `wasm memory ${(pdfiumMemoryBytes() / MiB).toFixed(1)} MiB, returned pixels ${(capped.rgba.byteLength / MiB).toFixed(1)} MiB`,
      );
      expect(pdfiumMemoryBytes()).toBeLessThan(96 * MiB);
    } finally {
      session.close();
    }
    const small = await openPdfForRendering(bytes, { maxPixels: 10_000 });
    try {
      const page = small.renderPage(0, { maxWidth: 1000, maxHeight: 1000 });
      expect(page.width * page.height).toBeLessThanOrEqual(10_000);
    } finally {
      small.close();
    }
  });

  it("renders many pages without memory growing", async () => {
    const session = await openPdfForRendering(await fixture("pdf/pdfjs_tracemonkey.pdf"));
    try {
      session.renderPage(0, { maxWidth: 800, maxHeight: 800 });
      const before = pdfiumMemoryBytes();
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < session.pageCount; i++) session.renderPage(i, { maxWidth: 800, maxHeight: 800 });
      }
      expect(pdfiumMemoryBytes()).toBeLessThanOrEqual(before + 8 * MiB);
    } finally {
      session.close();
    }
  });

  it("keeps two open documents apart", async () => {
    // One PDFium instance serves the isolate: sessions of concurrent files must not see each other.
    const paper = await openPdfForRendering(await fixture("pdf/pdfjs_tracemonkey.pdf"));
    const blank = await openPdfForRendering(await fixture("pdf/pdfjs_empty_blank_page.pdf"));
    try {
      const fit = { maxWidth: 200, maxHeight: 200 };
      const first = inkedPixels(paper.renderPage(0, fit).rgba);
      expect(inkedPixels(blank.renderPage(0, fit).rgba)).toBe(0);
      expect(inkedPixels(paper.renderPage(0, fit).rgba)).toBe(first);
      expect([paper.pageCount, blank.pageCount]).toEqual([14, 1]);
    } finally {
      paper.close();
      blank.close();
    }
  });

  it("opens a user-password PDF with its password, and refuses it without", async () => {
    const path = "pdf/pdfjs_issue3371_aes128_userpw.pdf";
    const bytes = await fixture(path);
    expect((await rejection(openPdfForRendering(bytes))).code).toBe("pdf_encrypted");
    expect((await rejection(openPdfForRendering(bytes, { password: "wrong" }))).code).toBe("pdf_encrypted");
    const session = await openPdfForRendering(bytes, { password: (await manifest(path)).password ?? "" });
    try {
      const page = session.renderPage(0, { maxWidth: 400, maxHeight: 400 });
      // A scan: the page is one picture of a printed page.
      expect(inkedPixels(page.rgba)).toBeGreaterThan(20);
    } finally {
      session.close();
    }
    const aes256 = await fixture("pdf/pdfjs_issue6010_1_aes256_userpw.pdf");
    expect((await rejection(openPdfForRendering(aes256))).code).toBe("pdf_encrypted");
  });

  it.each(["malformed/document_actually_html.pdf", "malformed/zero_bytes.pdf"])(
    "fails %s with corrupt_file",
    async (path) => {
      const error = await rejection(openPdfForRendering(await fixture(path)));
      expect(error.code).toBe("corrupt_file");
    },
  );

  it("refuses page indexes outside the document", async () => {
    const session = await openPdfForRendering(await fixture("pdf/pdfjs_french_diacritics.pdf"));
    try {
      expect(() => session.renderPage(1, { maxWidth: 10, maxHeight: 10 })).toThrow(RangeError);
      expect(() => session.pageSize(-1)).toThrow(RangeError);
    } finally {
      session.close();
    }
    expect(() => session.renderPage(0, { maxWidth: 10, maxHeight: 10 })).toThrow(/closed/);
  });
});
