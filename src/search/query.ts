/**
 * Turns what a user typed into a safe FTS5 MATCH expression. Nothing the user writes reaches FTS5's
 * query syntax directly: every word becomes a double-quoted FTS5 string (quotes inside doubled), so
 * `AND`, `NEAR(`, `*`, `:`, `^`, parentheses and apostrophes are just characters, which FTS5's tokenizer
 * then splits or drops as it does for indexed text. On top of that, a small query language of its own:
 *   - words are all required:            `trace tree`
 *   - "quoted words" are a phrase:       `"trace tree"`
 *   - OR between two terms:              `jit OR compiler`
 *   - a leading - or NOT excludes:       `trace -tree`, `trace NOT tree`
 *   - a trailing * matches a prefix:     `compil*`
 * Unquoted words end at punctuation that never joins words (brackets, commas, colons), so typing FTS5's
 * own syntax (`NEAR(a b, 2)`, `body:x`) searches for the words in it. Chinese and Japanese terms are split into words as the indexed text was (segment.ts). The expression
 * is restricted to the `body` column; the caller adds the tenant.
 */
import { segmentWords } from "./segment";

export const MAX_QUERY_CHARS = 1000;
/** Upper-case operator words: OR and NOT act, AND and NEAR (FTS5's own) are ignored as noise. */
const OPERATOR_WORDS = new Set(["AND", "OR", "NOT", "NEAR"]);
export const MAX_QUERY_TERMS = 32;

export type ParsedQuery = { ok: true; expression: string; terms: string[] } | { ok: false; reason: string };

interface Term {
  text: string;
  phrase: boolean;
  prefix: boolean;
  negated: boolean;
  /** Joined to the previous term with OR (instead of AND). */
  or: boolean;
}

export function parseQuery(query: string): ParsedQuery {
  const input = query.normalize("NFKC").trim();
  if (input.length > MAX_QUERY_CHARS) {
    return { ok: false, reason: `the query is longer than ${MAX_QUERY_CHARS} characters` };
  }
  const terms = tokenize(input).filter((term) => /[\p{L}\p{N}]/u.test(term.text));
  if (terms.length > MAX_QUERY_TERMS) {
    return { ok: false, reason: `the query has more than ${MAX_QUERY_TERMS} terms` };
  }
  const positive = terms.filter((term) => !term.negated);
  const negative = terms.filter((term) => term.negated);
  if (positive.length === 0) {
    return {
      ok: false,
      reason: terms.length === 0 ? "the query has no words to search for" : "the query only excludes words",
    };
  }
  let expression = `body : (${joinPositive(positive)})`;
  if (negative.length > 0)
    expression = `(${expression}) NOT (body : (${negative.map(ftsString).join(" OR ")}))`;
  return { ok: true, expression, terms: terms.map((term) => term.text) };
}

/** Required terms joined with AND; runs joined by OR form one parenthesised alternative. */
function joinPositive(terms: Term[]): string {
  const groups: string[][] = [];
  for (const term of terms) {
    const last = groups[groups.length - 1];
    if (term.or && last) last.push(ftsString(term));
    else groups.push([ftsString(term)]);
  }
  return groups
    .map((group) => (group.length === 1 ? (group[0] ?? "") : `(${group.join(" OR ")})`))
    .join(" AND ");
}

/** One term as an FTS5 string literal: quoted, inner quotes doubled, CJK words separated. */
function ftsString(term: Term): string {
  const quoted = `"${segmentWords(term.text).replaceAll('"', '""')}"`;
  return term.prefix ? `${quoted}*` : quoted;
}

function tokenize(input: string): Term[] {
  const terms: Term[] = [];
  let negateNext = false;
  let orNext = false;
  let i = 0;
  while (i < input.length) {
    const char = input[i] ?? "";
    if (/\s/u.test(char)) {
      i++;
      continue;
    }
    let negated = negateNext;
    if (char === "-" && i + 1 < input.length && !/\s/u.test(input[i + 1] ?? "")) {
      negated = true;
      i++;
    }
    let text: string;
    let phrase = false;
    if (input[i] === '"') {
      const close = input.indexOf('"', i + 1);
      const end = close < 0 ? input.length : close;
      text = input.slice(i + 1, end);
      phrase = true;
      i = end + 1;
    } else {
      // A bare word ends at white space or at punctuation that never joins words ("NEAR(trace", "tree,").
      const match = /^[^\s()[\]{},;:!?^"]+/u.exec(input.slice(i));
      text = match?.[0] ?? input[i] ?? "";
      i += text.length;
    }
    if (!phrase && OPERATOR_WORDS.has(text)) {
      if (text === "OR") orNext = terms.length > 0;
      if (text === "NOT") negateNext = true;
      continue;
    }
    const prefix = !phrase && /[\p{L}\p{N}]\*+$/u.test(text);
    if (prefix) text = text.replace(/\*+$/u, "");
    terms.push({ text, phrase, prefix, negated, or: orNext && !negated });
    negateNext = false;
    orNext = false;
  }
  return terms;
}
