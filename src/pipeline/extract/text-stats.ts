/**
 * Counting helpers shared by the text-producing extractors, so "characters" and "lines" mean the same
 * thing for a PDF's text layer and a plain-text file: characters are Unicode code points (what a
 * reader counts, and what Python's `len` gives), lines are what `wc -l` would count plus a last line
 * that has no terminator.
 */

/** Unicode code points in `text` (a surrogate pair is one character). */
export function countCharacters(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

/** Lines in `text`, ended by LF, CRLF or a lone CR; an unterminated last line counts too. */
export function countLines(text: string): number {
  if (text === "") return 0;
  let breaks = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x0a) breaks++;
    else if (unit === 0x0d) {
      breaks++;
      if (text.charCodeAt(i + 1) === 0x0a) i++;
    }
  }
  const last = text.charCodeAt(text.length - 1);
  return last === 0x0a || last === 0x0d ? breaks : breaks + 1;
}
