/**
 * Why the index uses unicode61 (remove_diacritics 2) with ICU word segmentation for Chinese and Japanese:
 * the same texts and queries run against three FTS5 set-ups, side by side, in this test's own D1.
 *   - unicode61 alone finds Latin-script words regardless of case and accents, but a Chinese or Japanese
 *     sentence is one token to it, so words inside it are never found;
 *   - trigram finds substrings in any script, but not terms shorter than three characters (most Chinese
 *     and many Japanese words have two) and not "deja" for "déjà";
 *   - unicode61 over segmented text (what src/search does) finds all of them.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { extractStage } from "../../src/pipeline/extract";
import { parseQuery } from "../../src/search/query";
import { segmentWords } from "../../src/search/segment";
import { fixture } from "../helpers/fixtures";
import { MemoryOutputs, stageInput } from "../helpers/memory-outputs";

async function extractedText(path: string): Promise<string> {
  const outputs = new MemoryOutputs("extract");
  await extractStage.run(stageInput(await fixture(path), outputs));
  return outputs.text("text");
}

const SETUPS = {
  unicode61: { tokenize: "unicode61 remove_diacritics 2", segment: false },
  trigram: { tokenize: "trigram", segment: false },
  segmented: { tokenize: "unicode61 remove_diacritics 2", segment: true },
} as const;
type Setup = keyof typeof SETUPS;

/** query → the document it must find (by language). */
const QUERIES: [string, string][] = [
  ["图片", "zh"],
  ["目标", "zh"],
  ["团队成员", "zh"],
  ["羅生門", "ja"],
  ["下人", "ja"],
  ["老婆", "ja"],
  ["Gebietsschema", "de"],
  ["Unterstutzung", "de"],
  ["deja", "fr"],
  ["hôtel", "fr"],
  ["TRACES", "en"],
  ["interpreter", "en"],
];

async function found(setup: Setup, query: string): Promise<string[]> {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(parsed.reason);
  // The trigram table gets the query as a plain FTS5 string (our parser's CJK segmentation is for unicode61).
  const match = setup === "trigram" ? `"${query.normalize("NFKC")}"` : parsed.expression;
  const { results } = await env.DB.prepare(`SELECT lang FROM fts_${setup} WHERE fts_${setup} MATCH ?`)
    .bind(match)
    .all<{ lang: string }>();
  return results.map((row) => row.lang);
}

describe("the search tokenizer, justified on the corpus's languages", () => {
  beforeAll(async () => {
    const docs: Record<string, string> = {
      zh: await extractedText("pdf/pdfjs_issue12823_chinese.pdf"),
      ja: await extractedText("text/golang_rashomon-shift-jis.txt"),
      de: await extractedText("text/debian-reference-de_ch08.html"),
      fr: "Il était déjà là, devant l'hôtel de la forêt, quand la bergère arriva.",
      en: (await extractedText("pdf/pdfjs_tracemonkey.pdf")).split("\f").slice(0, 2).join("\n"),
    };
    for (const [setup, { tokenize, segment }] of Object.entries(SETUPS)) {
      await env.DB.prepare(
        `CREATE VIRTUAL TABLE fts_${setup} USING fts5(body, lang UNINDEXED, tokenize = '${tokenize}')`,
      ).run();
      await env.DB.batch(
        Object.entries(docs).map(([lang, text]) =>
          env.DB.prepare(`INSERT INTO fts_${setup} (body, lang) VALUES (?, ?)`).bind(
            segment ? segmentWords(text.normalize("NFKC")) : text.normalize("NFKC"),
            lang,
          ),
        ),
      );
    }
  });

  it("segmented unicode61 (the index's set-up) finds every query in its document only", async () => {
    for (const [query, lang] of QUERIES) expect(await found("segmented", query), query).toEqual([lang]);
  });

  it("unicode61 alone misses words inside Chinese and Japanese sentences", async () => {
    const missed: string[] = [];
    for (const [query, lang] of QUERIES)
      if (!(await found("unicode61", query)).includes(lang)) missed.push(query);
    expect(missed).toEqual(["图片", "目标", "团队成员", "下人", "老婆"]);
  });

  it("trigram misses two-character words and accent-free spellings", async () => {
    const missed: string[] = [];
    for (const [query, lang] of QUERIES)
      if (!(await found("trigram", query)).includes(lang)) missed.push(query);
    expect(missed).toEqual(["图片", "目标", "下人", "老婆", "Unterstutzung", "deja"]);
  });
});
