/**
 * The index stage (needs extract): writes the file's text into the full-text search index through the
 * `searchIndex` port, one section per PDF page (so a hit names its page) and, for text without pages,
 * one section per few thousand characters (cut at line ends, so snippets and ranking stay local).
 * Writing replaces what was indexed for the file before. Files without text are skipped (`no_text`).
 */
import type { Stage } from "../stage";
import { hasReadableText, readExtractedText, PAGE_SEPARATOR } from "../text/extracted";
import { assertWithinIndexQuota } from "./quota";
import type { IndexSection } from "./search-port";

/** Text without pages is cut into sections of about this many characters. */
const SECTION_CHARS = 4000;
/** A PDF page longer than this (a table dump) is cut too; its sections keep the page number. */
const MAX_SECTION_CHARS = 20_000;
/** Characters indexed per file at most; the rest is left out and the result says so. */
export const MAX_INDEXED_CHARS = 2_000_000;

export const indexStage: Stage = {
  name: "index",
  async run(input) {
    const extracted = await readExtractedText(input);
    if (!extracted || !hasReadableText(extracted.text)) {
      return { status: "skipped", reason: { code: "no_text", message: "the file has no text to index" } };
    }
    const text = extracted.text.slice(0, MAX_INDEXED_CHARS);
    const sections: IndexSection[] = extracted.isPaged
      ? text
          .split(PAGE_SEPARATOR)
          .flatMap((page, i) => cut(page, MAX_SECTION_CHARS).map((part) => ({ page: i + 1, text: part })))
      : cut(text, SECTION_CHARS).map((part) => ({ page: null, text: part }));
    await assertWithinIndexQuota(input.services.searchIndex, sections);
    const summary = await input.services.searchIndex.replace(sections);
    return {
      status: "completed",
      result: {
        sections: summary.sections,
        characters: summary.characters,
        pages: extracted.isPaged
          ? new Set(sections.filter((s) => hasReadableText(s.text)).map((s) => s.page)).size
          : null,
        truncated: extracted.text.length > MAX_INDEXED_CHARS,
      },
    };
  },
};

/** `text` in pieces of at most `size` characters, cut after a line break (or a space) when there is one. */
export function cut(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > size) {
    const window = text.slice(start, start + size);
    const lineEnd = window.lastIndexOf("\n");
    const space = window.lastIndexOf(" ");
    const at = lineEnd > size / 2 ? lineEnd + 1 : space > size / 2 ? space + 1 : size;
    pieces.push(text.slice(start, start + at));
    start += at;
  }
  pieces.push(text.slice(start));
  return pieces;
}
