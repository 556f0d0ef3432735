import { describe, expect, it } from "vitest";
import { extractStage } from "../../src/pipeline/extract";
import { StageError, type JsonObject, type StageErrorCode, type StageInput } from "../../src/pipeline/stage";
import { fixture, manifest } from "../helpers/fixtures";
import { MemoryOutputs, stageInput, type InputOverrides } from "../helpers/memory-outputs";

async function extract(bytes: Uint8Array, overrides: InputOverrides = {}) {
  const outputs = new MemoryOutputs("extract");
  const input = stageInput(bytes, outputs, overrides);
  const outcome = await extractStage.run(input);
  if (outcome.status !== "completed") throw new Error(`expected completed, got ${JSON.stringify(outcome)}`);
  return { result: outcome.result, outputs, input };
}

async function extractError(bytes: Uint8Array, overrides: InputOverrides = {}): Promise<StageError> {
  const outputs = new MemoryOutputs("extract");
  const error: unknown = await extractStage.run(stageInput(bytes, outputs, overrides)).then(
    (outcome) => new Error(`expected a StageError, got ${JSON.stringify(outcome)}`),
    (e: unknown) => e,
  );
  if (!(error instanceof StageError)) throw error;
  return error;
}

async function expectStageError(bytes: Uint8Array, code: StageErrorCode, overrides: InputOverrides = {}) {
  const error = await extractError(bytes, overrides);
  expect(error.code).toBe(code);
  return error;
}

/** NFKC, one space for any run of whitespace: how pdf.js and poppler texts are compared. */
const normalise = (text: string) => text.normalize("NFKC").replace(/\s+/g, " ").trim();

/** Whether `words` occur in `text` in this order (each after the previous one). */
function wordsInOrder(text: string, words: string[]): boolean {
  let from = 0;
  for (const word of words) {
    const at = text.indexOf(word, from);
    if (at < 0) return false;
    from = at + word.length;
  }
  return true;
}

describe("extract: PDF", () => {
  it("reads tracemonkey page by page, matching poppler's page count and first words", async () => {
    const path = "pdf/pdfjs_tracemonkey.pdf";
    const facts = (await manifest(path)).expected.pdf;
    const bytes = await fixture(path);
    const { result, outputs, input } = await extract(bytes);

    expect(result).toMatchObject({
      format: "pdf",
      pageCount: facts?.pages,
      hasTextLayer: true,
      pagesWithText: 14,
      metadata: { creator: "TeX", producer: "pdfeTeX-1.21a" },
    });
    expect(facts?.pages).toBe(14);
    // The manifest says there is no title: absent fields are left out, not null.
    expect(result["metadata"]).not.toHaveProperty("title");
    expect((result["metadata"] as JsonObject)["creationDate"]).toMatch(/^2009-\d\d-\d\dT[\d:.]+Z$/);

    const text = outputs.text("text");
    expect(outputs.get("text").contentType).toBe("text/plain; charset=utf-8");
    expect(result["outputs"]).toEqual({ text: "/v1/jobs/job_test/files/file_test/outputs/text" });
    expect(result["characters"]).toBe(Array.from(text).length);
    // Pages are separated by form feeds.
    expect(text.split("\f")).toHaveLength(14);
    const firstWords = normalise(facts?.text_head_200 ?? "")
      .split(" ")
      .slice(0, 8);
    expect(firstWords).toHaveLength(8);
    expect(wordsInOrder(normalise(text), firstWords)).toBe(true);
    // The caller's bytes are not detached by pdf.js.
    expect(input.bytes.byteLength).toBe(bytes.byteLength);
  });

  it("reads a 36-page manual", async () => {
    const path = "pdf/libtasn1-doc_libtasn1.pdf";
    const facts = (await manifest(path)).expected.pdf;
    const { result, outputs } = await extract(await fixture(path));
    expect(result).toMatchObject({ pageCount: facts?.pages, pagesWithText: 36, hasTextLayer: true });
    const firstWords = normalise(facts?.text_head_200 ?? "")
      .split(" ")
      .slice(0, 8);
    expect(wordsInOrder(normalise(outputs.text("text")), firstWords)).toBe(true);
  });

  it("keeps accented characters", async () => {
    const path = "pdf/pdfjs_french_diacritics.pdf";
    const facts = (await manifest(path)).expected.pdf;
    const { outputs } = await extract(await fixture(path));
    const letters = (s: string) => normalise(s).replace(/\s/g, "");
    expect(letters(outputs.text("text"))).toBe(letters(facts?.text_head_200 ?? "-"));
  });

  it("fails a password-protected (AES-128) PDF as pdf_encrypted", async () => {
    const path = "pdf/pdfjs_issue3371_aes128_userpw.pdf";
    expect((await manifest(path)).expected.pdf?.encrypted).toMatch(/^yes/);
    const error = await expectStageError(await fixture(path), "pdf_encrypted");
    expect(error.message).toMatch(/password/);
  });

  it("repairs a PDF whose xref is broken, as poppler and qpdf do", async () => {
    // helloworld-bad.pdf is damaged (startxref points nowhere) but pdf.js rebuilds the xref table and
    // reads it, so it is not a corrupt_file case; a truncated PDF is (next test).
    const path = "malformed/pdfjs_helloworld-bad.pdf";
    const { result, outputs } = await extract(await fixture(path));
    expect(result).toMatchObject({ format: "pdf", pageCount: 1, hasTextLayer: true });
    expect(normalise(outputs.text("text"))).toBe((await manifest(path)).expected.pdf?.text_head_200);
  });

  it("fails a truncated PDF as corrupt_file", async () => {
    // The first half of tracemonkey: what an interrupted download leaves.
    const bytes = await fixture("pdf/pdfjs_tracemonkey.pdf");
    const error = await expectStageError(bytes.slice(0, 500_000), "corrupt_file");
    expect(error.message).toMatch(/cannot be read/);
  });

  it("refuses more pages than the limit before reading text", async () => {
    const outputs = new MemoryOutputs("extract");
    const input: StageInput = stageInput(await fixture("pdf/pdfjs_tracemonkey.pdf"), outputs, {
      limits: { maxPdfPages: 10 },
    });
    const error = await extractStage.run(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageError);
    expect(error).toMatchObject({ code: "too_many_pages" });
    expect((error as StageError).message).toMatch(/14 pages.*at most 10/);
    expect(outputs.stored.size).toBe(0);
  });
});

describe("extract: text", () => {
  it("decodes UTF-16LE with a BOM", async () => {
    const path = "text/wikipedia_mars_esperanto.utf16le.txt";
    const facts = (await manifest(path)).expected.text as { head_200: string; chars: number; lines: number };
    const { result, outputs } = await extract(await fixture(path));
    expect(result).toEqual({
      format: "text",
      textKind: "plain",
      encoding: "utf-16le",
      bom: true,
      encodingDetection: "bom",
      mime: "text/plain",
      characters: facts.chars,
      lines: facts.lines,
      outputs: { text: "/v1/jobs/job_test/files/file_test/outputs/text" },
    });
    const text = outputs.text("text");
    expect(text.charCodeAt(0)).not.toBe(0xfeff); // the BOM is not part of the text
    expect(Array.from(text).slice(0, 200).join("")).toBe(facts.head_200);
    expect(text).toContain("ĉ");
  });

  it("decodes UTF-8 Markdown", async () => {
    const path = "text/libjpeg-turbo_README.md";
    const facts = (await manifest(path)).expected.text as { head_200: string; chars: number; lines: number };
    const { result, outputs } = await extract(await fixture(path));
    expect(result).toMatchObject({
      format: "text",
      encoding: "utf-8",
      characters: facts.chars,
      lines: facts.lines,
    });
    expect(outputs.text("text").startsWith(facts.head_200)).toBe(true);
  });

  it("extracts an HTML page named .pdf as its readable text", async () => {
    const { result, outputs } = await extract(await fixture("malformed/document_actually_html.pdf"));
    expect(result).toMatchObject({ format: "text", textKind: "html", mime: "text/html", encoding: "utf-8" });
    const text = outputs.text("text");
    expect(text).not.toMatch(/<\?xml|<\/?(?:html|head|body|div|p|span|a|meta|h\d)[\s>/]/);
    // Text that was escaped markup in the page (&lt;…&gt;) is text now.
    expect(text).toContain("Osamu Aoki <osamu at debian dot org>");
    expect(text.length).toBeGreaterThan(1000);
  });

  it("strips a UTF-8 BOM and counts lines with any line ending", async () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...new TextEncoder().encode("one\r\ntwo\rthree\nfour 😀"),
    ]);
    const { result, outputs } = await extract(bytes);
    expect(outputs.text("text")).toBe("one\r\ntwo\rthree\nfour 😀");
    // 21 code points: the emoji is one character (two UTF-16 units).
    expect(result).toMatchObject({ encoding: "utf-8", bom: true, lines: 4, characters: 21 });
  });

  it("decodes a file that is ASCII in its sniffed prefix and Latin-1 after it", async () => {
    const ascii = "a plain ASCII line\n".repeat(500);
    const tail = "Noël à l'hôtel: déjà payé, merci beaucoup. Où est la forêt? Crème brûlée.\n";
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(ascii),
      ...Array.from(tail, (c) => c.charCodeAt(0)),
    ]);
    const { result, outputs } = await extract(bytes);
    expect(result).toMatchObject({ encoding: "windows-1252", encodingDetection: "detected" });
    expect(outputs.text("text").endsWith(tail)).toBe(true);
  });
});

describe("extract: images", () => {
  it.each([
    "image/mate-backgrounds_Wood_2560x1920.jpg",
    "image/imagers_progressive_cat.jpg",
    "image/exif_Landscape_6.jpg",
    "image/ljt_testimgari_arithmetic.jpg",
    "image/sharp_alpha-premultiply-1024x768-paper_rgba.png",
    "image/sharp_webp_gallery_4_lossy.webp",
    // The header of this truncated JPEG is intact: its stated size can be read.
    "malformed/sharp_truncated.jpg",
  ])("reads the stored size of %s from its header", async (path) => {
    const facts = (await manifest(path)).expected.image;
    const { result } = await extract(await fixture(path));
    expect(result).toMatchObject({
      format: "image",
      width: facts?.width,
      height: facts?.height,
      characters: 0,
    });
    expect(result["imageFormat"]).toBe(path.split(".").pop() === "jpg" ? "jpeg" : path.split(".").pop());
  });

  it("reports the EXIF orientation", async () => {
    const path = "image/exif_Landscape_6.jpg";
    const { result } = await extract(await fixture(path));
    expect(result["orientation"]).toBe((await manifest(path)).expected.image?.exif_orientation);
  });

  it("reads a GIF header", async () => {
    // The classic 1x1 transparent GIF (43 bytes).
    const gif = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (c) =>
      c.charCodeAt(0),
    );
    expect((await extract(gif)).result).toMatchObject({ imageFormat: "gif", width: 1, height: 1 });
  });

  it("fails a cut-off header as corrupt_file", async () => {
    const png = await fixture("image/sharp_alpha-premultiply-1024x768-paper_rgba.png");
    await expectStageError(png.slice(0, 20), "corrupt_file");
    const jpeg = await fixture("image/mate-backgrounds_Wood_2560x1920.jpg");
    const error = await expectStageError(jpeg.slice(0, 12), "corrupt_file");
    expect(error.message).toMatch(/JPEG header/);
    const webp = await fixture("image/sharp_webp_gallery_4_lossy.webp");
    await expectStageError(webp.slice(0, 24), "corrupt_file");
  });
});

describe("extract: what it cannot read", () => {
  it("fails an empty file as empty_file", async () => {
    await expectStageError(await fixture("malformed/zero_bytes.pdf"), "empty_file");
    await expectStageError(await fixture("malformed/zero_bytes.jpg"), "empty_file");
  });

  it("fails unrecognised binary content as unsupported_type", async () => {
    const error = await expectStageError(
      Uint8Array.from({ length: 512 }, (_, i) => i % 256),
      "unsupported_type",
    );
    expect(error.message).toMatch(/application\/octet-stream/);
  });
});
