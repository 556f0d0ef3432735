/**
 * Language identification with ELD (Efficient Language Detector, the `eld` package, its smallest
 * n-gram database: 60 languages). Chosen over tinyld and franc after trying them on this project's
 * samples and corpus: ELD got English, German, French, Spanish, Japanese, Chinese, Czech and short
 * phrases right where tinyld took Czech for Hindi and franc-min short English for French; it answers in
 * ISO 639-1 with scores and a reliability flag, and runs anywhere (plain JavaScript, no I/O).
 * Long texts are sampled from the start, middle and end, so a front page in another language does
 * not decide alone and the cost stays flat.
 */
import { eld } from "eld/extrasmall";

export interface LanguageGuess {
  /** ISO 639-1 code, or null when no language could be identified. */
  code: string | null;
  /** ELD's score for the language (0-1). */
  confidence: number;
  /** ELD's verdict on whether the text was long and clear enough to trust the answer. */
  reliable: boolean;
}

const SAMPLE_CHARS = 4000;

export function detectLanguage(text: string): LanguageGuess {
  const sample = sampleOf(text);
  const result = eld.detect(sample);
  if (!result.language) return { code: null, confidence: 0, reliable: false };
  const score = result.getScores()[result.language] ?? 0;
  return {
    code: result.language,
    confidence: Math.round(score * 1000) / 1000,
    reliable: result.isReliable(),
  };
}

function sampleOf(text: string): string {
  if (text.length <= SAMPLE_CHARS * 3) return text;
  const middle = Math.floor(text.length / 2 - SAMPLE_CHARS / 2);
  return [
    text.slice(0, SAMPLE_CHARS),
    text.slice(middle, middle + SAMPLE_CHARS),
    text.slice(text.length - SAMPLE_CHARS),
  ].join("\n");
}
