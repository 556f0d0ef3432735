/**
 * Which enrichment provider a deployment uses. `ENRICH_PROVIDER` decides: `local` always uses the local
 * provider; `workers-ai` and `auto` (the default) use Workers AI when the Worker has an `AI` binding and
 * the local provider when it has none (wrangler.toml declares no AI binding, so by default everything
 * runs locally and deterministically).
 */
import { getConfig } from "../../config";
import { localEnrichment } from "./local";
import type { EnrichmentProvider } from "./provider";
import { WorkersAiEnrichment, type AiRunner } from "./workers-ai";

export type ProviderSetting = "auto" | "local" | "workers-ai";

export function chooseEnrichmentProvider(
  setting: ProviderSetting,
  ai: AiRunner | undefined,
  model?: string,
): EnrichmentProvider {
  if (setting === "local" || !ai) return localEnrichment;
  return new WorkersAiEnrichment(ai, model);
}

function aiBinding(env: Env): AiRunner | undefined {
  // `AI` is not in the generated Env unless wrangler.toml declares it, so it is looked up dynamically.
  const candidate = (env as unknown as { AI?: unknown }).AI;
  return typeof candidate === "object" && candidate !== null && "run" in candidate
    ? (candidate as AiRunner)
    : undefined;
}

export function enrichmentProviderFor(env: Env): EnrichmentProvider {
  const config = getConfig(env);
  return chooseEnrichmentProvider(config.ENRICH_PROVIDER, aiBinding(env), config.ENRICH_AI_MODEL);
}
