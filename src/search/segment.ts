/**
 * Word boundaries for scripts written without spaces. FTS5's unicode61 tokenizer splits text at spaces
 * and punctuation, which leaves a whole Chinese or Japanese sentence as one token: a search for one of
 * its words would never match. So before text is indexed, and before a query is turned into a MATCH
 * expression, every run of Han, Hiragana and Katakana is split into words with the ICU word segmenter
 * (`Intl.Segmenter`, dictionary-based for these scripts) and a zero-width space goes between the words.
 * unicode61 treats that character as a separator, and readers never see it (snippets drop it).
 */

/** The separator put between words; invisible, and not a token character for unicode61. */
export const CJK_WORD_SEPARATOR = "\u200b";

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u3005\u3006]+/gu;

// ICU's dictionary break engine for Han and Kana is the same whatever the locale; "ja" names it.
const segmenter = new Intl.Segmenter("ja", { granularity: "word" });

/** `text` with a zero-width space between the words of every Chinese or Japanese run. */
export function segmentWords(text: string): string {
  return text.replace(CJK_RUN, (run) => {
    if (run.length === 1) return run;
    const words: string[] = [];
    for (const { segment } of segmenter.segment(run)) words.push(segment);
    return words.join(CJK_WORD_SEPARATOR);
  });
}

/** `text` without the separators `segmentWords` added (for showing indexed text to people). */
export function unsegment(text: string): string {
  return text.replaceAll(CJK_WORD_SEPARATOR, "");
}
