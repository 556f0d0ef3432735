/**
 * Opaque pagination cursors. A cursor names the last row a client saw (its creation time and id);
 * clients pass it back unchanged. Anything that does not decode to that shape is a 400, never a 500.
 */
import { z } from "zod";
import { ApiError } from "../errors";

export interface PageAfter {
  createdAt: number;
  id: string;
}

const CursorSchema = z.object({ c: z.number().int().nonnegative(), i: z.string().min(1).max(64) }).strict();

const toBase64Url = (text: string): string =>
  btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

export function encodeCursor(after: PageAfter): string {
  return toBase64Url(JSON.stringify({ c: after.createdAt, i: after.id }));
}

export function decodeCursor(cursor: string | undefined): PageAfter | null {
  if (cursor === undefined || cursor === "") return null;
  try {
    const json = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const parsed = CursorSchema.parse(JSON.parse(json));
    return { createdAt: parsed.c, id: parsed.i };
  } catch {
    throw new ApiError("invalid_cursor", "the cursor is not one this API returned; start again without it");
  }
}

/** Splits a fetched page of `limit + 1` rows into the page and the cursor to the next one. */
export function paginate<T extends { createdAt: number; id: string }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { page: rows, nextCursor: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}
