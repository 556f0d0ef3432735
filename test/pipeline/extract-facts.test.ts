import { describe, expect, it } from "vitest";
import { extractStage } from "../../src/pipeline/extract";
import { StageError, type JsonObject } from "../../src/pipeline/stage";
import { fixture, manifest } from "../helpers/fixtures";
import { MemoryOutputs, stageInput } from "../helpers/memory-outputs";

async function extract(path: string) {
  const outputs = new MemoryOutputs("extract");
  const outcome = await extractStage.run(stageInput(await fixture(path), outputs));
  if (outcome.status !== "completed") throw new Error(`expected completed, got ${JSON.stringify(outcome)}`);
  return { result: outcome.result, text: outputs.text.bind(outputs) };
}

describe("extract: PDF facts", () => {
  it("says a page-less-text PDF has no text layer instead of returning empty text silently", async () => {
    const path = "pdf/pdfjs_empty_blank_page.pdf";
    const facts = (await manifest(path)).expected.pdf;
    expect(facts?.has_text_layer).toBe(false);
    const { result } = await extract(path);
    expect(result).toMatchObject({
      pageCount: 1,
      hasTextLayer: false,
      textLayer: "none",
      pagesWithText: 0,
      pagesWithoutText: [1],
    });
    expect(result["note"]).toMatch(/no text layer.*OCR/);
  });

  it("reads metadata, the PDF version and link targets", async () => {
    const { result } = await extract("pdf/libtasn1-doc_libtasn1.pdf");
    expect(result).toMatchObject({
      textLayer: "full",
      form: null,
      metadata: { producer: "pdfTeX-1.40.24", creator: "TeX", pdfVersion: "1.5" },
    });
    expect(result["links"]).toEqual(
      expect.arrayContaining(["mailto:help-libtasn1@gnu.org", "http://www.gnu.org/copyleft/"]),
    );
    expect(result["linkCount"]).toBe((result["links"] as string[]).length);
  });

  it("opens an owner-password-only (RC4) PDF without a password and reads its title", async () => {
    const path = "pdf/pdfjs_bug900822_rc4_owner_only.pdf";
    const { result, text } = await extract(path);
    expect(result["metadata"]).toMatchObject({ title: "PDF Browser test", producer: "ReportBuilder" });
    expect(text("text")).toContain("Test test test");
  });

  it("fails an AES-256 PDF that needs a user password as pdf_encrypted", async () => {
    const error = await extractStage
      .run(stageInput(await fixture("pdf/pdfjs_issue6010_1_aes256_userpw.pdf"), new MemoryOutputs("extract")))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageError);
    expect(error).toMatchObject({ code: "pdf_encrypted" });
  });

  it("reads the text of the JBIG2 decompression bomb without decoding its image", async () => {
    // poppler needs minutes and GBs for this file; text extraction never touches the image.
    const { result, text } = await extract("malformed/pdfjs_bomb_giant.pdf");
    expect(result).toMatchObject({ pageCount: 1, hasTextLayer: true });
    expect(text("text").replace(/\s+/g, " ")).toBe("GIANT JBIG2 BOMB 100000x100000 = 1.16GB each");
  });

  it("keeps the text of a Chinese PDF, word for word as pdftotext reads it", async () => {
    const path = "pdf/pdfjs_issue12823_chinese.pdf";
    const head = (await manifest(path)).expected.pdf?.text_head_200 ?? "-";
    const { text } = await extract(path);
    // The manifest's words (pdftotext) all appear in order; pdf.js leaves out the two emoji glyphs.
    const extracted = text("text").replace(/\s+/g, "");
    let from = 0;
    for (const word of head
      .replace(/[⛳⭐]/gu, "")
      .split(/\s+/)
      .filter(Boolean)) {
      const at = extracted.indexOf(word, from);
      expect(at, word).toBeGreaterThanOrEqual(0);
      from = at + word.length;
    }
  });
});

describe("extract: image facts", () => {
  it("reads when and with which camera a photo was taken", async () => {
    const { result } = await extract("image/mate-backgrounds_Wood_2560x1920.jpg");
    expect(result).toMatchObject({ width: 2560, height: 1920, orientation: 1, animated: false, frames: 1 });
    expect(result["exif"]).toEqual({
      capturedAt: "2008-04-19T13:43:16",
      cameraMake: "KONICA MINOLTA",
      cameraModel: "DiMAGE Z5",
    });
  });

  it("gives the upright size of a rotated photo", async () => {
    const path = "image/exif_Landscape_6.jpg";
    const facts = (await manifest(path)).expected.image;
    const { result } = await extract(path);
    expect(result).toMatchObject({
      width: facts?.width,
      height: facts?.height,
      orientation: 6,
      displayWidth: facts?.display_width,
      displayHeight: facts?.display_height,
    });
  });

  it.each([
    ["image/sharp_rotating-squares_anim.gif", 30],
    ["image/sharp_rotating-squares_anim.webp", 9],
    ["image/imagers_apng_ball.png", 20],
    ["image/sharp_webp_gallery3_5_alpha.webp", 1],
    ["image/sharp_Flag_of_the_Netherlands_palette.png", 1],
  ])("counts the frames of %s", async (path, frames) => {
    const entry = await manifest(path);
    const expected = (entry.expected.image as { frames?: number } | undefined)?.frames;
    expect(expected).toBe(frames);
    const { result } = await extract(path);
    expect(result).toMatchObject({ frames, animated: frames > 1 } satisfies JsonObject);
  });
});
