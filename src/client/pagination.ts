/**
 * Cursor pagination as async iteration: `for await (const job of client.jobs.iterate())` reads page
 * after page (each page one request, fetched only when the previous one is used up) until the server
 * answers no next cursor.
 */

export interface Page<T> {
  items: T[];
  next: string | null;
}

export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    if (page.next === null || page.next === cursor) return;
    cursor = page.next;
  }
}

/** Collects an async iterable (at most `limit` items). */
export async function collect<T>(items: AsyncIterable<T>, limit = Number.POSITIVE_INFINITY): Promise<T[]> {
  const all: T[] = [];
  if (limit <= 0) return all;
  for await (const item of items) {
    all.push(item);
    if (all.length >= limit) break;
  }
  return all;
}
