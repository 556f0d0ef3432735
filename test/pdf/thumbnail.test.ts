/**
 * PDF thumbnails are the rendered first page: for real PDFs (a text paper, a scan, a filled form, a
 * blank page, Chinese and Arabic text) the produced files decode again (photon, independently of the
 * stage), have the page's aspect ratio as pdfinfo states it, follow the size/fit/format options, and
 * bad PDFs fail with stable codes.
 */
import { describe, expect, it } from "vitest";
import { corpusFile } from "../helpers/fixtures";
import { fixture } from "../helpers/fixtures";
import { expectThumbnailError, thumbnails } from "../helpers/thumbnails";
import { pdfinfoPageSize } from "./page-size";

/** Pixels clearly darker than the white page (print, lines, pictures). */
function inkedPixels(d: { rgba: Uint8Array }): number {
  let dark = 0;
  for (let i = 0; i < d.rgba.length; i += 4) {
    if ((d.rgba[i] ?? 0) + (d.rgba[i + 1] ?? 0) + (d.rgba[i + 2] ?? 0) < 3 * 200) dark++;
  }
  return dark;
}

const CASES = [
  { path: "pdf/pdfjs_tracemonkey.pdf", what: "text paper", inked: true },
  { path: "pdf/generated_scan_page.pdf", what: "scan", inked: true },
  { path: "pdf/generated_acroform_filled.pdf", what: "filled form", inked: true },
  { path: "pdf/pdfjs_prefilled_f1040.pdf", what: "tax form", inked: true },
  { path: "pdf/pdfjs_empty_blank_page.pdf", what: "blank page", inked: false },
  { path: "pdf/pdfjs_issue12823_chinese.pdf", what: "Chinese", inked: true },
  { path: "pdf/pdfjs_ArabicCIDTrueType.pdf", what: "Arabic", inked: true },
];

describe("thumbnail: PDFs (rendered first page)", () => {
  it.each(CASES)("$what ($path): decodes, at the page's aspect ratio", async ({ path, inked }) => {
    const page = await pdfinfoPageSize(path);
    const { thumbs, result, decoded } = await thumbnails(await fixture(path));
    const [thumb] = thumbs;
    if (!thumb) throw new Error("no thumbnail");
    const image = decoded(thumb);
    expect(image).toMatchObject({ width: thumb.width, height: thumb.height });
    expect(Math.max(image.width, image.height)).toBe(256);
    // Rounding to whole pixels moves the ratio by at most half a pixel on the shorter side.
    const shorter = Math.min(image.width, image.height);
    expect(Math.abs(image.width / image.height - page.widthPt / page.heightPt)).toBeLessThan(
      (0.5 / shorter) * (page.widthPt / page.heightPt) + 1e-9,
    );
    expect(result["source"]).toMatchObject({ imageFormat: "pdf", decode: "pdfium", page: { number: 1 } });
    const stated = (result["source"] as { page: { widthPt: number; heightPt: number } }).page;
    expect(stated.widthPt).toBeCloseTo(page.widthPt, 1);
    expect(stated.heightPt).toBeCloseTo(page.heightPt, 1);
    if (inked) expect(inkedPixels(image)).toBeGreaterThan(20);
    else expect(inkedPixels(image)).toBe(0);
  });

  it("makes several sizes, inside and cover, in PNG", async () => {
    const bytes = await fixture("pdf/pdfjs_tracemonkey.pdf");
    const inside = await thumbnails(bytes, { options: { thumbnail: { sizes: [512, 128], format: "png" } } });
    expect(inside.thumbs.map((t) => [t.size, t.width, t.height])).toEqual([
      [128, 99, 128],
      [512, 396, 512],
    ]);
    expect(inside.result["source"]).toMatchObject({ width: 396, height: 512 });
    for (const thumb of inside.thumbs) {
      expect(inside.output(thumb).contentType).toBe("image/png");
      expect(inside.decoded(thumb)).toMatchObject({ width: thumb.width, height: thumb.height });
    }
    const cover = await thumbnails(bytes, { options: { thumbnail: { size: 256, fit: "cover" } } });
    const [square] = cover.thumbs;
    if (!square) throw new Error("no thumbnail");
    expect(square).toMatchObject({ width: 256, height: 256, fit: "cover" });
    expect(cover.decoded(square)).toMatchObject({ width: 256, height: 256 });
    // Cover renders the page so that its shorter side has the size: 256 x 331 for a Letter page.
    expect(cover.result["source"]).toMatchObject({ width: 256, height: 331 });
  });

  it("thumbnails the corpus's full-size scan", async ({ skip }) => {
    const bytes = await corpusFile("pdf/pdfjs_issue7229_scanned_form.pdf");
    if (!bytes) skip("the shared corpus is not on this machine (SLUICE_CORPUS_DIR)");
    const { thumbs, decoded } = await thumbnails(bytes ?? new Uint8Array());
    const [thumb] = thumbs;
    if (!thumb) throw new Error("no thumbnail");
    // pdfinfo: 596 x 842 pts.
    expect(decoded(thumb)).toMatchObject({ width: 181, height: 256 });
    expect(inkedPixels(decoded(thumb))).toBeGreaterThan(1000);
  });

  it("fails an encrypted PDF as pdf_encrypted and a damaged one as corrupt_file", async () => {
    await expectThumbnailError(await fixture("pdf/pdfjs_issue6010_1_aes256_userpw.pdf"), "pdf_encrypted");
    await expectThumbnailError(await fixture("pdf/pdfjs_issue3371_aes128_userpw.pdf"), "pdf_encrypted");
    await expectThumbnailError(await fixture("malformed/freeculture_truncated.pdf"), "corrupt_file");
    const garbage = new TextEncoder().encode("%PDF-1.7\n" + "this is not a PDF body ".repeat(40));
    await expectThumbnailError(garbage, "corrupt_file");
  });

  it("renders a JBIG2 bomb's page without decoding the bomb into memory", async () => {
    const { thumbs } = await thumbnails(await fixture("malformed/pdfjs_bomb_giant.pdf"));
    expect(thumbs[0]).toMatchObject({ width: 198, height: 256 });
  });
});
