/**
 * The enrich stage (needs analyze): ranked keywords, a short extractive summary and a document type with
 * a confidence, from the enrichment provider the deployment configured (the local, deterministic one by
 * default; see select.ts). The stage only gathers what the provider needs (the text, the language and
 * entity counts from analyze, form and page facts from extract) and shapes the result.
 */
import type { JsonObject, Stage } from "../stage";
import { hasReadableText, readExtractedText } from "../text/extracted";
import type { EnrichmentRequest } from "./provider";

export const enrichStage: Stage = {
  name: "enrich",
  async run(input) {
    const extracted = await readExtractedText(input);
    if (!extracted || !hasReadableText(extracted.text)) {
      return { status: "skipped", reason: { code: "no_text", message: "the file has no text to enrich" } };
    }
    const analysis = input.previous.analyze ?? {};
    const extract = input.previous.extract ?? {};
    const language = (analysis["language"] as { code?: unknown } | undefined)?.code;
    const metadata = (extract["metadata"] ?? {}) as JsonObject;
    const request: EnrichmentRequest = {
      text: extracted.text,
      language: typeof language === "string" ? language : null,
      entityCounts: numbers(analysis["entityCounts"]),
      hints: {
        isForm: extract["form"] === "acroform" || extract["form"] === "xfa",
        pageCount: typeof extract["pageCount"] === "number" ? extract["pageCount"] : null,
        title: typeof metadata["title"] === "string" ? metadata["title"] : null,
      },
    };
    const enrichment = await input.services.enrichment.enrich(request);
    return {
      status: "completed",
      result: {
        provider: input.services.enrichment.name,
        keywords: enrichment.keywords.map((keyword) => ({ ...keyword })),
        summary: enrichment.summary,
        documentType: { ...enrichment.documentType },
      },
    };
  },
};

function numbers(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof value !== "object" || value === null) return out;
  for (const [key, count] of Object.entries(value)) if (typeof count === "number") out[key] = count;
  return out;
}
