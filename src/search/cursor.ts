/**
 * Opaque cursors for search results: the offset of the next page, bound to the query it belongs to and
 * sealed with a checksum, so a cursor that was edited, truncated or taken from another query is refused
 * (400 `invalid_cursor`) instead of silently returning something else. Not a secret: it only protects
 * clients from mistakes, and the offset it carries is into the caller's own results.
 */
import { z } from "zod";

export const MAX_SEARCH_OFFSET = 1000;

const CursorSchema = z
  .object({ o: z.number().int().min(1).max(MAX_SEARCH_OFFSET), c: z.string().length(16) })
  .strict();

const toBase64Url = (text: string): string =>
  btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

async function seal(query: string, offset: number): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${offset}\n${query}`));
  return Array.from(new Uint8Array(digest).subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function encodeSearchCursor(query: string, offset: number): Promise<string> {
  return toBase64Url(JSON.stringify({ o: offset, c: await seal(query, offset) }));
}

/** The offset a cursor names, or null when it is not a cursor this query handed out. */
export async function decodeSearchCursor(query: string, cursor: string): Promise<number | null> {
  try {
    const parsed = CursorSchema.parse(JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))));
    return parsed.c === (await seal(query, parsed.o)) ? parsed.o : null;
  } catch {
    return null;
  }
}
