/**
 * The extract stage's text as the stages after it need it: the whole text (read back from the
 * "text" output, from memory when it was written in this run), and the page a position falls on (PDF
 * pages are separated by form feeds in that output).
 */
import { PAGE_SEPARATOR } from "../extract/pdf";
import type { StageInput } from "../stage";

export interface ExtractedText {
  text: string;
  /** Start offset of every page (PDFs); a single 0 for text without pages. */
  pageStarts: number[];
  isPaged: boolean;
}

export { PAGE_SEPARATOR };

/** The extracted text, or null when extract produced none (images). */
export async function readExtractedText(input: StageInput): Promise<ExtractedText | null> {
  const bytes = await input.outputs.read("extract", "text");
  if (!bytes) return null;
  const text = new TextDecoder().decode(bytes);
  const isPaged = input.previous.extract?.["format"] === "pdf";
  const pageStarts = [0];
  if (isPaged) {
    for (let at = text.indexOf(PAGE_SEPARATOR); at >= 0; at = text.indexOf(PAGE_SEPARATOR, at + 1)) {
      pageStarts.push(at + 1);
    }
  }
  return { text, pageStarts, isPaged };
}

/** The 1-based page an offset falls on (binary search over the page starts). */
export function pageAt(extracted: ExtractedText, offset: number): number {
  let low = 0;
  let high = extracted.pageStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((extracted.pageStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/** Whether a text has anything to read (a letter or a digit). */
export const hasReadableText = (text: string): boolean => /[\p{L}\p{N}]/u.test(text);
