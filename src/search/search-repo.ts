/**
 * Reading the search index: one parameterised query that matches the FTS5 expression, keeps only the
 * tenant's sections (in the MATCH, cheaply, and again on the authoritative column), ranks by bm25 and
 * returns a snippet around the hits. Snippets come back with private-use marker characters around the
 * matched words; `toSnippet` turns them into plain text with highlight ranges, and into HTML with
 * `<mark>` (escaped, so a document's own markup can never become markup on a results page).
 */
import { unsegment } from "./segment";

export interface SearchRow {
  fileId: string;
  jobId: string;
  name: string;
  page: number | null;
  rank: number;
  snippet: string;
}

export interface Snippet {
  text: string;
  highlights: { start: number; end: number }[];
  html: string;
}

const MARK_START = "\ue000";
const MARK_END = "\ue001";
/** Tokens of context in a snippet (FTS5 allows at most 64). */
const SNIPPET_TOKENS = 24;

const SEARCH_SQL = `
  SELECT s.file_id AS fileId, s.job_id AS jobId, s.name AS name, s.page AS page,
         bm25(search_fts, 1.0, 0.0) AS rank,
         snippet(search_fts, 0, char(57344), char(57345), '…', ${SNIPPET_TOKENS}) AS snippet
  FROM search_fts JOIN search_sections AS s ON s.id = search_fts.rowid
  WHERE search_fts MATCH ?1 AND s.tenant_id = ?2
  ORDER BY rank, s.id
  LIMIT ?3 OFFSET ?4`;

export async function searchSections(
  db: D1Database,
  tenantId: string,
  bodyExpression: string,
  limit: number,
  offset: number,
): Promise<SearchRow[]> {
  const match = `tenant_id : ${ftsLiteral(tenantId)} AND (${bodyExpression})`;
  const { results } = await db.prepare(SEARCH_SQL).bind(match, tenantId, limit, offset).all<SearchRow>();
  return results;
}

function ftsLiteral(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

export function toSnippet(marked: string): Snippet {
  const source = unsegment(marked);
  let text = "";
  let html = "";
  const highlights: Snippet["highlights"] = [];
  let open: number | null = null;
  for (const char of source) {
    if (char === MARK_START) {
      open = text.length;
      html += "<mark>";
    } else if (char === MARK_END) {
      if (open !== null) highlights.push({ start: open, end: text.length });
      open = null;
      html += "</mark>";
    } else {
      const plain = /\s/u.test(char) ? " " : char;
      text += plain;
      html += escapeHtml(plain);
    }
  }
  return { text, highlights, html };
}

function escapeHtml(char: string): string {
  switch (char) {
    case "&":
      return "&amp;";
    case "<":
      return "&lt;";
    case ">":
      return "&gt;";
    case '"':
      return "&quot;";
    case "'":
      return "&#39;";
    default:
      return char;
  }
}
