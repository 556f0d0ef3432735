/**
 * An enrichment provider backed by a model on Workers AI, used only when the Worker has an `AI` binding
 * (and configuration does not force the local provider). The model gets the start of the text and must
 * answer JSON of a fixed shape; its answer is validated, and anything it gets wrong (no answer, invalid
 * JSON, an unknown type) is filled in by the local provider instead, so a flaky model never fails a file.
 */
import { z } from "zod";
import { DOCUMENT_TYPES, type Enrichment, type EnrichmentProvider, type EnrichmentRequest } from "./provider";
import { localEnrichment } from "./local";
import { errorText, log } from "../../observability/log";

/** The part of the Workers AI binding this provider uses (`env.AI.run`). */
export interface AiRunner {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

export const DEFAULT_AI_MODEL = "@cf/meta/llama-3.1-8b-instruct";

/** The model sees this much of the text (its context is limited, and the start says the most). */
const MAX_PROMPT_CHARS = 12_000;

const ModelAnswerSchema = z.object({
  keywords: z.array(z.string().min(1).max(80)).max(15),
  summary: z.string().max(1200),
  documentType: z.enum(DOCUMENT_TYPES),
  confidence: z.number().min(0).max(1),
});

const SYSTEM_PROMPT =
  "You classify and summarise documents. Answer with JSON only: " +
  '{"keywords": [up to 10 key terms, most important first], "summary": "2-3 sentences quoted from the ' +
  `document", "documentType": one of ${DOCUMENT_TYPES.map((t) => `"${t}"`).join(", ")}, ` +
  '"confidence": 0 to 1}.';

export class WorkersAiEnrichment implements EnrichmentProvider {
  readonly name: string;

  constructor(
    private readonly ai: AiRunner,
    private readonly model = DEFAULT_AI_MODEL,
  ) {
    this.name = `workers-ai:${model}`;
  }

  async enrich(request: EnrichmentRequest): Promise<Enrichment> {
    const answer = await this.ask(request).catch((error: unknown) => {
      log("error", "workers-ai enrichment failed", { error: errorText(error) });
      return null;
    });
    if (!answer) return localEnrichment.enrich(request);
    return {
      keywords: answer.keywords.map((term, i) => ({ term, score: Math.round((1 - i / 20) * 1000) / 1000 })),
      summary: answer.summary,
      documentType: { type: answer.documentType, confidence: answer.confidence },
    };
  }

  private async ask(request: EnrichmentRequest): Promise<z.infer<typeof ModelAnswerSchema> | null> {
    const output = await this.ai.run(this.model, {
      messages: [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: request.text.slice(0, MAX_PROMPT_CHARS) },
      ],
      response_format: { type: "json_object" },
    });
    const response = (output as { response?: unknown } | null)?.response;
    const json: unknown = typeof response === "string" ? JSON.parse(response) : response;
    const parsed = ModelAnswerSchema.safeParse(json);
    return parsed.success ? parsed.data : null;
  }
}
