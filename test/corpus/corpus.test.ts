/**
 * Every stage over every file of the shared corpus (../shared/corpus; the repository's fixtures when it
 * is absent, said so on the console), checked against the manifest's independently established facts:
 * PDF page counts, text agreement with pdftotext (word-level Jaccard: median and worst reported), image
 * dimensions and frame counts, EXIF-rotated thumbnails upright, text encodings, the expected error code
 * of every malformed file, and nothing crashing (a transient error here is a crash: the input is fixed).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { localEnrichment } from "../../src/pipeline/enrich/local";
import { runInline, type InlineFileResult } from "../../src/pipeline/inline/run-inline";
import { DEFAULT_JOB_OPTIONS } from "../../src/pipeline/options";
import { STAGE_NAMES } from "../../src/pipeline/stage-names";
import { D1SearchIndex } from "../../src/search/d1-search-index";
import { DEFAULT_LIMITS } from "../helpers/memory-outputs";
import { jaccard, openSource, type CorpusEntry, type Source } from "./sources";

const SLOW = 300_000;

/** What each malformed file must do, stage by stage ("completed", "skipped:<reason>", "failed:<code>"). */
const MALFORMED: Record<string, { extract: string; thumbnail: string }> = {
  // Damaged xref: pdf.js rebuilds it, as poppler and qpdf do.
  "malformed/pdfjs_helloworld-bad.pdf": { extract: "completed", thumbnail: "completed" },
  // JBIG2 bomb: its text is read, and PDFium renders the page without decoding the bomb.
  "malformed/pdfjs_bomb_giant.pdf": { extract: "completed", thumbnail: "completed" },
  "malformed/freeculture_truncated.pdf": { extract: "failed:corrupt_file", thumbnail: "failed:corrupt_file" },
  "malformed/zero_bytes.pdf": { extract: "failed:empty_file", thumbnail: "failed:empty_file" },
  // The extension lies: it is an HTML page, extracted as text.
  "malformed/document_actually_html.pdf": { extract: "completed", thumbnail: "skipped:not_an_image" },
  // Header intact (its facts are read), data cut short.
  "malformed/sharp_truncated.jpg": { extract: "completed", thumbnail: "failed:corrupt_file" },
  "malformed/sharp_65536x65536_bomb.png": { extract: "completed", thumbnail: "failed:image_too_large" },
  "malformed/zero_bytes.jpg": { extract: "failed:empty_file", thumbnail: "failed:empty_file" },
  // The extension lies: it is a PNG, sniffed as one.
  "malformed/photo_actually_png.jpg": { extract: "completed", thumbnail: "completed" },
};

/**
 * PDFs where pdf.js and poppler legitimately disagree on words, the cause of each, and the lowest score
 * accepted for them (every other PDF must reach 0.85).
 */
const KNOWN_TEXT_DIFFERENCES: Record<string, { floor: number; cause: string }> = {
  "pdf/pdfjs_french_diacritics.pdf": {
    floor: 0.05,
    cause:
      "a table of 28 accented letters, each placed on its own: pdf.js puts a space between them, pdftotext " +
      "joins them into one word; letter for letter the texts are identical",
  },
  "pdf/pdfjs_ArabicCIDTrueType.pdf": {
    floor: 0.45,
    cause:
      "a lam-khah ligature glyph: pdf.js maps it in visual order (اخلطوط), pdftotext in logical order " +
      "(الخطوط), so one of the three words differs",
  },
  "pdf/pdfjs_bug900822_rc4_owner_only.pdf": {
    floor: 0.6,
    cause:
      "a line of 'fake bold' drawn four times over itself: pdf.js repeats each letter (TTTTeeeesssstttt), " +
      "pdftotext splits the overprint into fragments (T es t)",
  },
};
const MIN_AGREEMENT = 0.85;

const ENCODINGS: Record<string, string> = {
  "UTF-8": "utf-8",
  "UTF-16LE": "utf-16le",
  Shift_JIS: "shift_jis",
};

let source: Source;
const results = new Map<string, InlineFileResult>();

async function sweep(entry: CorpusEntry, index: number): Promise<InlineFileResult> {
  const name = entry.path.split("/").pop() ?? entry.path;
  const result = await runInline(
    { name, contentType: "application/octet-stream", bytes: await source.read(entry.path) },
    STAGE_NAMES.filter((stage) => stage !== "enrich" || entry.kind !== "image"),
    DEFAULT_JOB_OPTIONS,
    DEFAULT_LIMITS,
    {
      searchIndex: new D1SearchIndex(env.DB, {
        tenantId: "corpus",
        jobId: "job_corpus",
        fileId: `file_${index}`,
        fileName: name,
      }),
      enrichment: localEnrichment,
    },
  );
  results.set(entry.path, result);
  // Nothing crashes: every stage completed, was skipped, or failed with a stable input error.
  for (const [stage, state] of Object.entries(result.stages)) {
    expect
      .soft(
        state.status === "failed" && state.error.code === "transient_error",
        `${entry.path} ${stage}: ${JSON.stringify(state)}`,
      )
      .toBe(false);
  }
  return result;
}

const entriesOf = (kind: string) => source.entries.filter((entry) => entry.kind === kind);

describe(`corpus sweep`, () => {
  beforeAll(async () => {
    source = await openSource();
  });

  it("PDFs: page counts, text layers and text agreement with pdftotext", { timeout: SLOW }, async () => {
    const agreements: { path: string; score: number }[] = [];
    for (const [i, entry] of entriesOf("pdf").entries()) {
      const result = await sweep(entry, i);
      const facts = entry.expected.pdf ?? {};
      if (facts.pdfinfo_without_password_ok === false) {
        expect.soft(outcomeOf(result, "extract"), entry.path).toBe("failed:pdf_encrypted");
        continue;
      }
      expect.soft(outcomeOf(result, "extract"), entry.path).toBe("completed");
      const extract = result.stages.extract?.status === "completed" ? result.stages.extract.result : {};
      expect.soft(extract["pageCount"], `${entry.path} pages`).toBe(facts.pages);
      expect.soft(extract["hasTextLayer"], `${entry.path} text layer`).toBe(facts.has_text_layer);
      // Every readable PDF gets its rendered first page as thumbnail.
      expect.soft(outcomeOf(result, "thumbnail"), `${entry.path} thumbnail`).toBe("completed");
      const reference = await source.reference(entry.path);
      const text = result.outputs["text"];
      if (reference !== null && text && "text" in text && facts.has_text_layer) {
        agreements.push({ path: entry.path, score: jaccard(text.text, reference) });
      }
    }
    if (agreements.length === 0) return;
    agreements.sort((a, b) => a.score - b.score);
    const median = agreements[Math.floor(agreements.length / 2)]?.score ?? 0;
    const worst = agreements[0];
    const causeOf = (path: string) => KNOWN_TEXT_DIFFERENCES[path]?.cause ?? "no known cause";
    console.log(
      `Text agreement with pdftotext (word Jaccard) over ${agreements.length} PDFs: median ${median.toFixed(3)}, ` +
        `worst ${worst?.score.toFixed(3)} (${worst?.path}: ${causeOf(worst?.path ?? "")})\n` +
        agreements.map((a) => `  ${a.score.toFixed(3)}  ${a.path}`).join("\n"),
    );
    expect(median).toBeGreaterThanOrEqual(0.9);
    for (const agreement of agreements) {
      const floor = KNOWN_TEXT_DIFFERENCES[agreement.path]?.floor ?? MIN_AGREEMENT;
      expect.soft(agreement.score, agreement.path).toBeGreaterThanOrEqual(floor);
    }
  });

  it("images: dimensions, frames, and thumbnails upright", { timeout: SLOW }, async () => {
    for (const [i, entry] of entriesOf("image").entries()) {
      const result = await sweep(entry, 100 + i);
      const facts = entry.expected.image ?? {};
      expect.soft(outcomeOf(result, "extract"), entry.path).toBe("completed");
      const extract = result.stages.extract?.status === "completed" ? result.stages.extract.result : {};
      expect
        .soft([extract["width"], extract["height"]], `${entry.path} size`)
        .toEqual([facts.width, facts.height]);
      expect
        .soft([extract["displayWidth"], extract["displayHeight"]], `${entry.path} display size`)
        .toEqual([facts.display_width, facts.display_height]);
      if (typeof facts.frames === "number")
        expect.soft(extract["frames"], `${entry.path} frames`).toBe(facts.frames);
      if (entry.path.includes("arithmetic")) {
        expect.soft(outcomeOf(result, "thumbnail"), entry.path).toBe("failed:unsupported_type");
        continue;
      }
      expect.soft(outcomeOf(result, "thumbnail"), entry.path).toBe("completed");
      const thumbnail = result.stages.thumbnail;
      if (thumbnail?.status !== "completed") continue;
      const [thumb] = thumbnail.result["thumbnails"] as { width: number; height: number }[];
      // Above the full-decode pixel limit (a 12 MP phone photo, a 280 MP scan) a JPEG decodes at 1/8.
      if ((facts.width ?? 0) * (facts.height ?? 0) > DEFAULT_LIMITS.maxImagePixels) {
        expect.soft(thumbnail.result["source"], `${entry.path} decode`).toMatchObject({ decode: "dct-1/8" });
      }
      // Upright: the thumbnail has the displayed (EXIF-rotated) aspect ratio, to a pixel.
      const displayRatio = (facts.display_width ?? 1) / (facts.display_height ?? 1);
      expect
        .soft(Math.abs((thumb?.width ?? 0) - (thumb?.height ?? 0) * displayRatio), `${entry.path} aspect`)
        .toBeLessThanOrEqual(1.5);
    }
  });

  it("texts: encodings, counts and first characters", { timeout: SLOW }, async () => {
    for (const [i, entry] of entriesOf("text").entries()) {
      const result = await sweep(entry, 200 + i);
      const facts = entry.expected.text ?? {};
      expect.soft(outcomeOf(result, "extract"), entry.path).toBe("completed");
      const extract = result.stages.extract?.status === "completed" ? result.stages.extract.result : {};
      expect.soft(extract["encoding"], `${entry.path} encoding`).toBe(ENCODINGS[facts.encoding ?? ""]);
      if (extract["textKind"] === "html") continue; // HTML is reduced to readable text: counts differ by design
      expect.soft(extract["characters"], `${entry.path} characters`).toBe(facts.chars);
      const text = result.outputs["text"];
      const head = text && "text" in text ? Array.from(text.text).slice(0, 200).join("") : "";
      expect.soft(head, `${entry.path} head`).toBe(facts.head_200);
    }
  });

  it(
    "malformed files: each fails with its expected code, or is read as what it really is",
    { timeout: SLOW },
    async () => {
      for (const [i, entry] of entriesOf("malformed").entries()) {
        const result = await sweep(entry, 300 + i);
        const expected = MALFORMED[entry.path];
        expect.soft(expected, `${entry.path} has an expectation`).toBeDefined();
        expect.soft(outcomeOf(result, "extract"), `${entry.path} extract`).toBe(expected?.extract);
        expect.soft(outcomeOf(result, "thumbnail"), `${entry.path} thumbnail`).toBe(expected?.thumbnail);
      }
      const table = [...results].map(
        ([path, result]) =>
          `  ${path.padEnd(58)} ${STAGE_NAMES.map((stage) => outcomeOf(result, stage).padEnd(28)).join("")}`,
      );
      console.log(
        `Corpus sweep (${source.name}), stage outcomes:\n  ${"".padEnd(58)} ${STAGE_NAMES.map((s) => s.padEnd(28)).join("")}\n${table.join("\n")}`,
      );
    },
  );
});

function outcomeOf(result: InlineFileResult, stage: (typeof STAGE_NAMES)[number]): string {
  const state = result.stages[stage];
  if (!state) return "-";
  if (state.status === "failed") return `failed:${state.error.code}`;
  if (state.status === "skipped") return `skipped:${state.reason.code}`;
  return "completed";
}
