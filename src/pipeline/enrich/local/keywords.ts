/**
 * Keyword extraction without a model: the words and two-word phrases a document repeats, once stop
 * words, numbers and fragments are left out. A phrase is two neighbouring content words (no stop word or
 * punctuation between them) that occur together at least twice; it outranks its parts, and a word that
 * only ever occurs inside a chosen phrase is not listed again on its own. Ties break alphabetically, so
 * the same text always gives the same keywords.
 */
import { isCjkWord, words } from "../../text/words";
import type { Keyword } from "../provider";
import { stopwordsFor } from "./stopwords";

/** Text beyond this many characters is not read for keywords (it rarely changes the top ten). */
const MAX_CHARS = 400_000;
const PHRASE_WEIGHT = 2;

interface Tally {
  count: number;
  /** How the term is most often written (case kept for display). */
  forms: Map<string, number>;
}

export function rankKeywords(text: string, language: string | null, max = 10): Keyword[] {
  const stop = stopwordsFor(language);
  const singles = new Map<string, Tally>();
  const pairs = new Map<string, Tally>();
  let previous: { key: string; form: string } | null = null;
  let lastEnd = -1;

  // Addresses and paths (URLs, e-mail, Markdown link targets) are not topics: blank them out.
  const prose = text.slice(0, MAX_CHARS).replace(/\S*(?:\/|@)\S*/gu, (match) => " ".repeat(match.length));
  for (const word of words(prose, language ?? "en")) {
    const form = word.text.normalize("NFKC");
    const key = form.toLowerCase();
    // Anything but spaces between two words (punctuation, a line break) ends a phrase.
    const adjacent = previous !== null && /^[ \t]+$/u.test(prose.slice(lastEnd, word.index));
    lastEnd = word.index + word.text.length;
    if (!isContentWord(key, stop)) {
      previous = null;
      continue;
    }
    tally(singles, key, form);
    if (previous && adjacent) tally(pairs, `${previous.key} ${key}`, `${previous.form} ${form}`);
    previous = { key, form };
  }

  const candidates: { key: string; form: string; score: number; parts?: string[] }[] = [];
  for (const [key, entry] of pairs) {
    if (entry.count < 2) continue;
    candidates.push({
      key,
      form: usualForm(entry),
      score: entry.count * PHRASE_WEIGHT,
      parts: key.split(" "),
    });
  }
  const phraseCount = new Map<string, number>();
  const chosen = [...candidates].sort(byScore).slice(0, max);
  for (const phrase of chosen)
    for (const part of phrase.parts ?? [])
      phraseCount.set(part, (phraseCount.get(part) ?? 0) + phrase.score / PHRASE_WEIGHT);
  for (const [key, entry] of singles) {
    // A word seen only inside chosen phrases adds nothing of its own.
    const alone = entry.count - (phraseCount.get(key) ?? 0);
    if (alone <= 0 || entry.count < 2) continue;
    candidates.push({ key, form: usualForm(entry), score: entry.count });
  }
  const ranked = candidates
    .filter((candidate) => !candidate.parts || chosen.includes(candidate))
    .sort(byScore)
    .slice(0, max);
  const best = ranked[0]?.score ?? 1;
  return ranked.map((candidate) => ({ term: candidate.form, score: round(candidate.score / best) }));
}

function isContentWord(key: string, stop: ReadonlySet<string>): boolean {
  if (stop.has(key)) return false;
  const letters = key.match(/\p{L}/gu)?.length ?? 0;
  if (letters * 2 < key.length) return false; // numbers, codes, "2009"
  // Japanese function words and inflections are written in hiragana; a topic word has kanji or katakana.
  if (isCjkWord(key)) return key.length >= 2 && !/^\p{Script=Hiragana}+$/u.test(key);
  return letters >= 3;
}

function tally(map: Map<string, Tally>, key: string, form: string): void {
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = { count: 0, forms: new Map() }));
  entry.count += 1;
  entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
}

function usualForm(entry: Tally): string {
  let best = "";
  let bestCount = -1;
  for (const [form, count] of entry.forms) {
    if (count > bestCount || (count === bestCount && form < best)) {
      best = form;
      bestCount = count;
    }
  }
  return best;
}

const byScore = (a: { key: string; score: number }, b: { key: string; score: number }) =>
  b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const round = (n: number) => Math.round(n * 1000) / 1000;
