/**
 * One page of a table listed newest first, continued by keyset (`(time, id) < (?, ?)`) rather than
 * OFFSET, so a page costs the same however deep it is and rows inserted meanwhile never shift it. Every
 * listing of the API (files, jobs, dead letters, tenants) reads its pages through this.
 */
import type { PageAfter } from "../http/cursor";

export interface NewestFirstPage {
  /** Column equality filters; an undefined value leaves that filter out. */
  where: Record<string, string | number | undefined>;
  /** The creation-time column the page is ordered by (with `id` breaking ties). */
  timeColumn: string;
  limit: number;
  after: PageAfter | null;
}

export async function newestFirst<Row>(db: D1Database, table: string, page: NewestFirstPage): Promise<Row[]> {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  for (const [column, value] of Object.entries(page.where)) {
    if (value === undefined) continue;
    conditions.push(`${column} = ?`);
    params.push(value);
  }
  if (page.after) {
    conditions.push(`(${page.timeColumn}, id) < (?, ?)`);
    params.push(page.after.createdAt, page.after.id);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
  const { results } = await db
    .prepare(`SELECT * FROM ${table} ${where} ORDER BY ${page.timeColumn} DESC, id DESC LIMIT ?`)
    .bind(...params, page.limit)
    .all<Row>();
  return results;
}
