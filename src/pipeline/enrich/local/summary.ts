/**
 * An extractive summary: the few sentences of the document that carry most of its keywords, in the
 * order they appear. Sentences are found by the ICU sentence segmenter after line breaks inside
 * paragraphs are joined (PDF text breaks every line) and words hyphenated across lines are rejoined.
 * Very short sentences (headings, captions) and very long ones (tables, run-on lists) are passed over.
 */
import { isCjkWord, sentences, words } from "../../text/words";
import type { Keyword } from "../provider";

const MAX_CHARS = 200_000;
const MAX_SENTENCES = 3;
const MAX_SUMMARY_CHARS = 600;

/** Text as running prose: words split across lines rejoined, every run of white space one space. */
export function asProse(text: string): string {
  return text
    .slice(0, MAX_CHARS)
    .replace(/(\p{L})-\n(\p{Ll})/gu, "$1$2")
    .replace(/\s+/gu, " ")
    .trim();
}

export function summarize(text: string, language: string | null, keywords: Keyword[]): string {
  const locale = language ?? "en";
  const weights = new Map<string, number>();
  for (const { term, score } of keywords)
    for (const part of term.toLowerCase().split(" "))
      weights.set(part, Math.max(weights.get(part) ?? 0, score));

  const scored: { text: string; index: number; score: number }[] = [];
  let position = 0;
  for (const sentence of sentences(asProse(text), locale)) {
    position += 1;
    const tokens = [...words(sentence.text, locale)].map((word) => word.text);
    if (!plausibleSentence(sentence.text, tokens)) continue;
    const weight = tokens.reduce((sum, token) => sum + (weights.get(token.toLowerCase()) ?? 0), 0);
    // Early sentences introduce the document: a small bonus that fades over the first ten.
    const lead = position <= 10 ? (11 - position) / 20 : 0;
    scored.push({
      text: sentence.text,
      index: sentence.index,
      score: weight / Math.sqrt(tokens.length) + lead,
    });
  }
  const picked = scored
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, MAX_SENTENCES)
    .sort((a, b) => a.index - b.index);
  let summary = "";
  for (const sentence of picked) {
    const next = summary === "" ? sentence.text : `${summary} ${sentence.text}`;
    if (next.length > MAX_SUMMARY_CHARS) continue;
    summary = next;
  }
  return summary;
}

/**
 * Whether a "sentence" is prose: it ends like a sentence, is neither a heading nor a run-on table, is
 * mostly letters (not numbers, code, markup or symbols), and is not a string of capitalised labels (the
 * glyphs of a figure, which PDF text extraction runs together).
 */
function plausibleSentence(text: string, tokens: string[]): boolean {
  if (!/[.!?。！？]["'”’)]?$/u.test(text)) return false;
  // Code, markup and addresses: underscores, braces, "=", links, more than two parentheses.
  if (/[_{}=;<>|\\]|:\/\/|\]\(|@/u.test(text) || (text.match(/\(/gu)?.length ?? 0) > 2) return false;
  if (tokens.some(isCjkWord)) return text.length >= 10 && text.length <= 200;
  if (tokens.length < 6 || tokens.length > 60) return false;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const spaces = text.match(/\s/gu)?.length ?? 0;
  if (letters / (text.length - spaces) < 0.85) return false;
  const capitalised = tokens.filter((token, i) => i > 0 && /^\p{Lu}/u.test(token)).length;
  return capitalised / tokens.length <= 0.3;
}
