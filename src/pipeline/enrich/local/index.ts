/**
 * The local enrichment provider: keywords, an extractive summary and a document type computed from the
 * text alone, deterministically (the same text always gives the same answer), with no network and no
 * model. It is the default everywhere and the fallback when a model-backed provider fails.
 */
import type { Enrichment, EnrichmentProvider, EnrichmentRequest } from "../provider";
import { classifyDocument } from "./document-type";
import { rankKeywords } from "./keywords";
import { summarize } from "./summary";

export const localEnrichment: EnrichmentProvider = {
  name: "local",
  enrich(request: EnrichmentRequest): Promise<Enrichment> {
    const keywords = rankKeywords(request.text, request.language);
    return Promise.resolve({
      keywords,
      summary: summarize(request.text, request.language, keywords),
      documentType: classifyDocument(request),
    });
  },
};
