/**
 * E-mail addresses and URLs, found with linkify-it (markdown-it's link finder): it knows the rules a
 * regular expression gets wrong (trailing punctuation, brackets, international domains, top-level
 * domains for links written without a scheme).
 */
import { LinkifyIt } from "linkify-it";
import type { Entity } from "./types";

const linkify = new LinkifyIt({ fuzzyEmail: true, fuzzyLink: true, fuzzyIP: false });

/** A real address ends in a top-level domain of letters ("9@AJ.B" in a PDF's glyph soup does not). */
const PLAUSIBLE_EMAIL = /@[^@\s]+\.\p{L}{2,}$/u;

export function findLinks(text: string): Entity[] {
  const matches = (linkify.match(text) ?? []).filter(
    (match) => match.schema !== "mailto:" || PLAUSIBLE_EMAIL.test(match.raw),
  );
  return matches.map((match) =>
    match.schema === "mailto:"
      ? {
          kind: "email",
          text: match.raw,
          start: match.index,
          end: match.lastIndex,
          value: match.raw.replace(/^mailto:/i, ""),
        }
      : { kind: "url", text: match.raw, start: match.index, end: match.lastIndex, value: match.url },
  );
}
