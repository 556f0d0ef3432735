/**
 * Words and sentences of a text, as the ICU segmenter in the runtime (`Intl.Segmenter`) sees them: it
 * knows word boundaries for scripts without spaces (Chinese, Japanese, Thai) and sentence boundaries
 * with abbreviations ("Dr. Smith" is one sentence). Shared by analyze (counts, reading time) and the
 * local enrichment provider (keywords, summary), so both count the same words.
 */

export interface Word {
  text: string;
  /** Offset of the word in the text (a JavaScript string index). */
  index: number;
}

export interface Sentence {
  text: string;
  index: number;
}

const wordSegmenters = new Map<string, Intl.Segmenter>();
const sentenceSegmenters = new Map<string, Intl.Segmenter>();

function segmenter(cache: Map<string, Intl.Segmenter>, locale: string, granularity: "word" | "sentence") {
  let found = cache.get(locale);
  if (!found) {
    found = new Intl.Segmenter(locale, { granularity });
    cache.set(locale, found);
  }
  return found;
}

/** The word-like segments of `text` (no spaces or punctuation), in order. */
export function* words(text: string, locale = "en"): Generator<Word> {
  for (const part of segmenter(wordSegmenters, locale, "word").segment(text)) {
    if (part.isWordLike) yield { text: part.segment, index: part.index };
  }
}

/**
 * Abbreviations after which ICU's sentence segmenter wrongly ends a sentence ("Dr. | Smith"); the
 * runtime's Intl.Segmenter does not offer ICU's own suppression lists. Single capital letters
 * (initials: "J. R. R. Tolkien") are handled too.
 */
const ABBREVIATIONS = new Set(
  (
    "mr mrs ms dr prof st jr sr vs etc e.g i.e no nr fig figs approx ca cf al inc ltd co corp dept " +
    "z.b bzw usw ggf evtl vgl hr fr frau nr. s mme mlle m sra srta sres p.ej av pp vol ed eds"
  ).split(" "),
);

function endsWithAbbreviation(sentence: string): boolean {
  const last = /(\S+)\.\s*$/u.exec(sentence)?.[1]?.toLowerCase();
  if (last === undefined) return false;
  return ABBREVIATIONS.has(last) || (/^\p{Lu}$/u.test(last.toUpperCase()) && last.length === 1);
}

/** The sentences of `text`, trimmed, without empty ones. */
export function* sentences(text: string, locale = "en"): Generator<Sentence> {
  let pending: { text: string; index: number } | null = null;
  for (const part of segmenter(sentenceSegmenters, locale, "sentence").segment(text)) {
    if (pending) pending.text += part.segment;
    else pending = { text: part.segment, index: part.index };
    if (endsWithAbbreviation(pending.text)) continue;
    const trimmed = pending.text.trim();
    if (trimmed !== "") yield { text: trimmed, index: pending.index + pending.text.indexOf(trimmed) };
    pending = null;
  }
  const rest = pending?.text.trim();
  if (pending && rest) yield { text: rest, index: pending.index + pending.text.indexOf(rest) };
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Whether a word is written in a script where one word is usually one or two characters. */
export function isCjkWord(word: string): boolean {
  return CJK.test(word);
}
