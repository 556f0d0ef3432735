import { describe, expect, it } from "vitest";
import { extractStage } from "../../src/pipeline/extract";
import { StageError } from "../../src/pipeline/stage";
import { htmlToText } from "../../src/pipeline/text/html";
import { fixture, manifest } from "../helpers/fixtures";
import { MemoryOutputs, stageInput, type InputOverrides } from "../helpers/memory-outputs";

async function extract(bytes: Uint8Array, overrides: InputOverrides = {}) {
  const outputs = new MemoryOutputs("extract");
  const input = stageInput(bytes, outputs, overrides);
  const outcome = await extractStage.run(input);
  if (outcome.status !== "completed") throw new Error(`expected completed, got ${JSON.stringify(outcome)}`);
  return { result: outcome.result, text: outputs.text("text") };
}

const latin1 = (text: string) =>
  Uint8Array.from(text, (char) => {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0xff) throw new Error(`${char} is not Latin-1`);
    return code;
  });

interface TextFacts {
  head_200: string;
  chars: number;
  lines: number;
  encoding: string;
}

describe("extract: text encodings", () => {
  it("decodes the Shift_JIS Rashomon text, detected and checked (not guessed)", async () => {
    const path = "text/golang_rashomon-shift-jis.txt";
    const facts = (await manifest(path)).expected.text as TextFacts;
    expect(facts.encoding).toBe("Shift_JIS");
    const { result, text } = await extract(await fixture(path));
    expect(result).toMatchObject({
      format: "text",
      encoding: "shift_jis",
      encodingDetection: "detected",
      characters: facts.chars,
      lines: facts.lines,
    });
    expect(result["encodingConfidence"]).toBeGreaterThanOrEqual(0.5);
    expect(Array.from(text).slice(0, 200).join("")).toBe(facts.head_200);
    expect(text).toContain("羅生門");
  });

  it("detects Windows-1252 text (French, German) and keeps every accented letter", async () => {
    const french =
      "Le cœur a ses raisons que la raison ne connaît point. Noël à l'hôtel, déjà payé: 12,50 € — merci ! " +
      "Où se trouve la forêt ? Il était une fois une bergère qui gardait ses moutons près du château.";
    const german =
      "Grüße aus München: Größe, Maß und Übergröße für die Straßenbahn. Äpfel, Öl und Käse kosten 5 €.";
    for (const sample of [french, german]) {
      const bytes = Uint8Array.from(
        sample,
        (char) => ({ œ: 0x9c, "€": 0x80, "—": 0x97 })[char] ?? char.charCodeAt(0),
      );
      const { result, text } = await extract(bytes);
      expect(result).toMatchObject({ encoding: "windows-1252", encodingDetection: "detected" });
      expect(text).toBe(sample);
    }
  });

  it("uses the charset an HTML page declares", async () => {
    const page =
      '<html><head><meta charset="iso-8859-1"><title>Café</title></head><body><p>Crème brûlée</p></body></html>';
    const { result, text } = await extract(latin1(page));
    expect(result).toMatchObject({
      encoding: "windows-1252",
      encodingDetection: "declared",
      textKind: "html",
    });
    expect(result["metadata"]).toEqual({ title: "Café" });
    expect(text).toBe("Crème brûlée");
  });

  it("decodes UTF-16LE and UTF-16BE without a byte order mark", async () => {
    const sample = "Ĉiu homo rajtas je libereco. Mars estas la kvara planedo.\n";
    const le = new Uint8Array(new Uint16Array(Array.from(sample, (c) => c.charCodeAt(0))).buffer);
    const be = le.slice();
    for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1] ?? 0, be[i] ?? 0];
    for (const [bytes, encoding] of [
      [le, "utf-16le"],
      [be, "utf-16be"],
    ] as const) {
      const { result, text } = await extract(bytes);
      expect(result).toMatchObject({ encoding, bom: false, encodingDetection: "utf-16-pattern" });
      expect(text).toBe(sample);
    }
  });

  it("fails text whose encoding cannot be determined with unsupported_encoding", async () => {
    // Bytes that are text-like (no NULs, no controls) but valid in no encoding we can vouch for:
    // Shift_JIS lead bytes without valid trail bytes, and C1 bytes undefined in Windows-1252.
    const bytes = Uint8Array.from({ length: 400 }, (_, i) => [0x81, 0x20, 0x8d, 0x9d, 0x41][i % 5] ?? 0x41);
    const error = await extractStage
      .run(stageInput(bytes, new MemoryOutputs("extract")))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageError);
    expect(error).toMatchObject({ code: "unsupported_encoding" });
    expect((error as StageError).message).toMatch(/could not be determined/);
  });
});

describe("extract: HTML, CSV and Markdown", () => {
  it("reduces the German DocBook page to its readable text", async () => {
    const path = "text/debian-reference-de_ch08.html";
    const { result, text } = await extract(await fixture(path), { name: "ch08.de.html" });
    expect(result).toMatchObject({ textKind: "html", mime: "text/html", encoding: "utf-8" });
    expect(result["metadata"]).toEqual({ title: "Kapitel 8. I18N und L10N" });
    expect(text).toContain("Kapitel 8. I18N und L10N");
    expect(text).toMatch(/Übersetzung|Zeichensatz|Gebietsschema/);
    // No markup, no entities left, and nothing from <head>.
    expect(text).not.toMatch(/<[a-z/!?]|&[a-z]+;|&#\d+;/i);
    expect(text.split("\n").length).toBeGreaterThan(50);
  });

  it("drops scripts and styles, breaks lines at blocks and separates table cells", () => {
    const { text, title, lang } = htmlToText(
      '<!doctype html><html lang="fr"><head><title> Le  titre </title><style>p{color:red}</style></head>' +
        "<body><script>alert(1)</script><h1>Bonjour &amp; bienvenue</h1><p>Un   texte\n  sur deux lignes.<br>Suite</p>" +
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table><pre>  x = 1\n  y = 2</pre></body></html>",
    );
    expect(title).toBe("Le titre");
    expect(lang).toBe("fr");
    expect(text).toBe("Bonjour & bienvenue\nUn texte sur deux lignes.\nSuite\na\tb\nc\td\n  x = 1\n  y = 2");
  });

  it("keeps CSV and Markdown as written, labelled by name or declared type", async () => {
    const csvPath = "text/matplotlib_Stocks.csv";
    const csv = await fixture(csvPath);
    const facts = (await manifest(csvPath)).expected.text as TextFacts;
    const { result, text } = await extract(csv, { name: "Stocks.csv" });
    expect(result).toMatchObject({
      textKind: "csv",
      mime: "text/csv",
      characters: facts.chars,
      lines: facts.lines,
    });
    expect(text).toBe(new TextDecoder().decode(csv));
    const md = await extract(await fixture("text/libjpeg-turbo_README.md"), { name: "README.md" });
    expect(md.result).toMatchObject({ textKind: "markdown", mime: "text/markdown" });
    expect(md.text).toMatch(/^Background\n==========/);
  });
});
