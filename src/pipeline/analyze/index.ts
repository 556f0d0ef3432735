/**
 * The analyze stage (needs extract): what the extracted text is and holds. Language (ISO 639-1 with a
 * confidence), counts (characters, words, sentences, pages) and reading time, and the entities found in
 * it with their positions (offsets into the "text" output, and the page for PDFs): e-mail addresses,
 * URLs, phone numbers, dates, money amounts, identifiers, IBANs and card numbers. A `pii` summary names
 * the personal-data kinds that occur. The result stays small: it lists at most a few entities of each
 * kind (and says when it left some out); the complete list is the "entities.json" output.
 * Files without text (images, scans without a text layer) are skipped with `no_text`.
 */
import type { JsonObject, Stage, StageInput } from "../stage";
import { hasReadableText, pageAt, readExtractedText, type ExtractedText } from "../text/extracted";
import { countText } from "./counts";
import { findEntities } from "./entities";
import type { Entity, EntityKind } from "./entities/types";
import { detectLanguage } from "./language";

/** Entities of one kind listed in the result; the rest are only counted (and in entities.json). */
const LISTED_PER_KIND = 10;
/** Entities written to entities.json at most. */
const MAX_STORED_ENTITIES = 10_000;
/** The kinds that are personal data (about a person, or giving access to their money). */
const PII_KINDS: readonly EntityKind[] = ["email", "phone", "iban", "credit_card"];

export const analyzeStage: Stage = {
  name: "analyze",
  async run(input) {
    const extracted = await readExtractedText(input);
    if (!extracted || !hasReadableText(extracted.text)) {
      return {
        status: "skipped",
        reason: {
          code: "no_text",
          message: "the file has no text to analyze (an image, or a scan without a text layer)",
        },
      };
    }
    return { status: "completed", result: await analyze(input, extracted) };
  },
};

async function analyze(input: StageInput, extracted: ExtractedText): Promise<JsonObject> {
  const { text } = extracted;
  const language = detectLanguage(text);
  const counts = countText(text, language.code);
  const { entities, scanned } = findEntities(text, language.code);
  const located = entities.map((entity) => locate(entity, extracted));

  const entityCounts: Record<string, number> = {};
  const listed: JsonObject[] = [];
  entities.forEach((entity, i) => {
    const seen = entityCounts[entity.kind] ?? 0;
    entityCounts[entity.kind] = seen + 1;
    const shown = located[i];
    if (seen < LISTED_PER_KIND && shown) listed.push(shown);
  });
  const stored = located.slice(0, MAX_STORED_ENTITIES);
  const ref = await input.outputs.write(
    "entities.json",
    JSON.stringify({ entities: stored, truncated: stored.length < located.length }),
    "application/json",
  );
  const piiKinds = PII_KINDS.filter((kind) => (entityCounts[kind] ?? 0) > 0);
  const result: JsonObject = {
    language: { ...language },
    ...counts,
    pages: extracted.isPaged ? extracted.pageStarts.length : null,
    entityCounts,
    entities: listed,
    entitiesTruncated: listed.length < located.length,
    pii: { found: piiKinds.length > 0, kinds: [...piiKinds] },
    outputs: { entities: ref.url },
  };
  if (scanned < text.length) result["entitiesScannedCharacters"] = scanned;
  return result;
}

function locate(entity: Entity, extracted: ExtractedText): JsonObject {
  const located: JsonObject = { kind: entity.kind, text: entity.text, start: entity.start, end: entity.end };
  if (extracted.isPaged) located["page"] = pageAt(extracted, entity.start);
  for (const key of ["value", "currency", "amount", "label"] as const) {
    const value = entity[key];
    if (value !== undefined) located[key] = value;
  }
  return located;
}
