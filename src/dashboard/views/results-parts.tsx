/**
 * The parts of a file's results, each read from its stage's result: extracted text page by page,
 * thumbnails, what analyze found (language, counts, entities) and what enrich made (summary,
 * keywords, document type). Results are JSON the server documents per stage; these read them
 * defensively, so a field a stage does not report is simply not shown.
 */
import { useEffect, useState } from "preact/hooks";
import { AuthImage, ErrorNotice } from "../components";
import { useSession } from "../context";

type Result = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);
const list = (value: unknown): Result[] =>
  Array.isArray(value)
    ? value.filter((item): item is Result => typeof item === "object" && item !== null)
    : [];
const record = (value: unknown): Result =>
  typeof value === "object" && value !== null ? (value as Result) : {};

/** The extracted text, split into its pages at form feeds ("\f"), each headed by its number. */
export function TextPages({ url, focusPage }: { url: string; focusPage: number | null }) {
  const { client } = useSession();
  const [pages, setPages] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    client
      .download(url)
      .then((response) => response.text())
      .then((body) => {
        if (live) setPages(body.split("\f"));
      })
      .catch((caught: unknown) => {
        if (live) setError(caught);
      });
    return () => {
      live = false;
    };
  }, [client, url]);
  useEffect(() => {
    if (pages && focusPage) document.getElementById(`page-${focusPage}`)?.scrollIntoView();
  }, [pages, focusPage]);
  if (error) return <ErrorNotice error={error} />;
  if (!pages) return <p class="muted">Loading the text…</p>;
  return (
    <div class="text-pages" data-testid="text">
      {pages.map((page, index) => (
        <section
          key={index}
          id={`page-${index + 1}`}
          class={`page${focusPage === index + 1 ? " focus" : ""}`}
        >
          {pages.length > 1 ? <h4>Page {index + 1}</h4> : null}
          <pre>{page.trim() || "(no text on this page)"}</pre>
        </section>
      ))}
    </div>
  );
}

export function Thumbnails({ result, name }: { result: Result; name: string }) {
  const thumbnails = list(result["thumbnails"]);
  if (thumbnails.length === 0) return null;
  return (
    <div class="thumbnails">
      {thumbnails.map((thumbnail) => {
        const url = text(thumbnail["url"]);
        const width = num(thumbnail["width"]) ?? undefined;
        const height = num(thumbnail["height"]) ?? undefined;
        return url ? (
          <figure key={url}>
            <AuthImage url={url} alt={`thumbnail of ${name}`} width={width} height={height} />
            <figcaption class="muted small">
              {width}×{height} {text(thumbnail["format"])}
            </figcaption>
          </figure>
        ) : null;
      })}
    </div>
  );
}

export function Enrichment({ result }: { result: Result }) {
  const summary = text(result["summary"]);
  const keywords = list(result["keywords"]);
  const kind = record(result["documentType"]);
  return (
    <div class="enrichment">
      {text(kind["type"]) ? (
        <p>
          Looks like a <strong>{text(kind["type"])}</strong>
          {num(kind["confidence"]) !== null ? (
            <span class="muted"> ({Math.round((num(kind["confidence"]) ?? 0) * 100)}%)</span>
          ) : null}
        </p>
      ) : null}
      {summary ? <blockquote class="summary">{summary}</blockquote> : null}
      {keywords.length > 0 ? (
        <ul class="chips" aria-label="keywords">
          {keywords.map((keyword) => (
            <li key={text(keyword["term"])}>{text(keyword["term"])}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Analysis({ result }: { result: Result }) {
  const language = record(result["language"]);
  const entities = list(result["entities"]);
  const facts: [string, string | null][] = [
    ["language", text(language["code"])],
    ["words", num(result["words"])?.toLocaleString() ?? null],
    ["pages", num(result["pages"])?.toString() ?? null],
    [
      "reading time",
      num(result["readingTimeMinutes"]) !== null ? `${num(result["readingTimeMinutes"])} min` : null,
    ],
  ];
  return (
    <div class="analysis">
      <dl class="facts">
        {facts
          .filter(([, value]) => value !== null)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {entities.length > 0 ? (
        <table class="entities">
          <thead>
            <tr>
              <th>kind</th>
              <th>found</th>
              <th>page</th>
            </tr>
          </thead>
          <tbody>
            {entities.map((entity, index) => (
              <tr key={index}>
                <td>{text(entity["kind"])}</td>
                <td class="mono">{text(entity["text"])}</td>
                <td>{num(entity["page"]) ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted small">No entities found.</p>
      )}
    </div>
  );
}

/** The extract stage's facts: format, pages, dimensions, document metadata. */
export function ExtractFacts({ result }: { result: Result }) {
  const metadata = record(result["metadata"]);
  const facts: [string, string | null][] = [
    ["format", text(result["format"])],
    ["pages", num(result["pageCount"])?.toString() ?? null],
    ["characters", num(result["characters"])?.toLocaleString() ?? null],
    ["text layer", text(result["textLayer"])],
    ["size", num(result["width"]) !== null ? `${num(result["width"])}×${num(result["height"])}` : null],
    ["title", text(metadata["title"])],
    ["author", text(metadata["author"])],
  ];
  return (
    <dl class="facts">
      {facts
        .filter(([, value]) => value !== null && value !== "")
        .map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

export const outputUrl = (result: Result, name: string): string | null =>
  text(record(result["outputs"])[name]);
