/**
 * The enrichment provider interface: what the enrich stage asks for (ranked keywords, a short extractive
 * summary, a document type with a confidence) and what it hands over (the text and the analyze stage's
 * facts). The pipeline depends only on this interface; the local, deterministic provider is the default,
 * and a model-backed provider can replace it through configuration without touching the stage.
 */

export const DOCUMENT_TYPES = [
  "invoice",
  "receipt",
  "contract",
  "resume",
  "letter",
  "report",
  "form",
  "other",
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface EnrichmentRequest {
  /** The document's text (pages joined by form feeds for PDFs). */
  text: string;
  /** ISO 639-1 code from the analyze stage, or null when it could not tell. */
  language: string | null;
  /** Entity counts by kind from the analyze stage (e.g. `{ money: 3, identifier: 1 }`). */
  entityCounts: Record<string, number>;
  /** Facts the extract stage found that hint at the type (e.g. the PDF has form fields). */
  hints: { isForm: boolean; pageCount: number | null; title: string | null };
}

export interface Keyword {
  term: string;
  /** Relative weight in (0, 1], the best keyword being 1. */
  score: number;
}

export interface Enrichment {
  keywords: Keyword[];
  /** A few sentences taken from the document (empty when it has none). */
  summary: string;
  documentType: { type: DocumentType; confidence: number };
}

export interface EnrichmentProvider {
  /** Named in the stage result so a reader knows which provider produced it. */
  readonly name: string;
  enrich(request: EnrichmentRequest): Promise<Enrichment>;
}
