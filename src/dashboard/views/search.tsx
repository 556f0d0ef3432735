/** Search across the indexed documents; matched words are marked in each snippet. */
import { useEffect, useRef, useState } from "preact/hooks";
import type { SearchResult } from "sluice-client";
import { ErrorNotice } from "../components";
import { useSession } from "../context";
import { href } from "../router";

/** The snippet with its matches in <mark> (built from offsets, never from server HTML). */
export function Highlighted({
  snippet,
  ranges,
}: {
  snippet: string;
  ranges: { start: number; end: number }[];
}) {
  const parts = [];
  let at = 0;
  for (const { start, end } of [...ranges].sort((a, b) => a.start - b.start)) {
    if (start < at) continue;
    parts.push(snippet.slice(at, start), <mark key={start}>{snippet.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(snippet.slice(at));
  return <p class="snippet">{parts}</p>;
}

export function Search({ q }: { q: string }) {
  const { client } = useSession();
  const [query, setQuery] = useState(q);
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  // The box follows the address only when the address's query changed (back/forward, a link):
  // resetting it on the first render would wipe what someone typed before the effect ran.
  const addressQuery = useRef(q);
  useEffect(() => {
    if (addressQuery.current !== q) {
      addressQuery.current = q;
      setQuery(q);
    }
    setResults(null);
    setError(null);
    if (!q.trim()) return;
    client.search(q, { limit: 20 }).then((page) => {
      setResults(page.results);
      setCursor(page.nextCursor);
    }, setError);
  }, [client, q]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await client.search(q, { limit: 20, cursor });
      setResults((previous) => [...(previous ?? []), ...page.results]);
      setCursor(page.nextCursor);
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section class="card">
      <h2>Search</h2>
      <form
        class="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          location.hash = href.search(query);
        }}
      >
        <input
          type="search"
          name="q"
          placeholder='words, "a phrase", prefix*'
          value={query}
          onInput={(event) => {
            setQuery(event.currentTarget.value);
          }}
        />
        <button type="submit">Search</button>
      </form>
      <p class="muted small">Searches documents processed with the index stage.</p>
      <ErrorNotice error={error} />
      {results && results.length === 0 ? <p class="muted">Nothing matches “{q}”.</p> : null}
      <ul class="results-list">
        {(results ?? []).map((result) => (
          <li key={`${result.fileId}-${result.page ?? 0}-${result.snippet}`} class="search-result">
            <a href={href.file(result.jobId, result.fileId, result.page)}>
              <strong>{result.name}</strong>
              {result.page !== null ? <span class="muted"> · page {result.page}</span> : null}
            </a>
            <Highlighted snippet={result.snippet} ranges={result.highlights} />
          </li>
        ))}
      </ul>
      {cursor ? <button onClick={() => void more()}>More results</button> : null}
    </section>
  );
}
