/**
 * Counts a reader would make: characters (Unicode code points), words and sentences (as the ICU
 * segmenter finds them, which also works for Chinese and Japanese), and a reading time. Reading time
 * uses about 230 words a minute for alphabetic text and about 400 characters a minute for Chinese and
 * Japanese, where a "word" is a much smaller unit.
 */
import { countCharacters } from "../extract/text-stats";
import { isCjkWord, sentences, words } from "../text/words";

export interface TextCounts {
  characters: number;
  words: number;
  sentences: number;
  readingTimeMinutes: number;
}

const WORDS_PER_MINUTE = 230;
const CJK_CHARACTERS_PER_MINUTE = 400;

export function countText(text: string, language: string | null): TextCounts {
  const locale = language ?? "en";
  let wordCount = 0;
  let cjkWords = 0;
  let cjkCharacters = 0;
  for (const word of words(text, locale)) {
    wordCount++;
    if (isCjkWord(word.text)) {
      cjkWords++;
      cjkCharacters += word.text.length;
    }
  }
  let sentenceCount = 0;
  // Line breaks inside paragraphs (every line of a PDF) are not sentence ends.
  for (const sentence of sentences(text.replace(/\s+/gu, " "), locale)) {
    if (/[\p{L}\p{N}]/u.test(sentence.text)) sentenceCount++;
  }
  const minutes = (wordCount - cjkWords) / WORDS_PER_MINUTE + cjkCharacters / CJK_CHARACTERS_PER_MINUTE;
  return {
    characters: countCharacters(text),
    words: wordCount,
    sentences: sentenceCount,
    readingTimeMinutes: Math.max(wordCount > 0 ? 1 : 0, Math.round(minutes)),
  };
}
