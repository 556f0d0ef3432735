import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { analyzeStage } from "../../src/pipeline/analyze";
import { enrichStage } from "../../src/pipeline/enrich";
import { localEnrichment } from "../../src/pipeline/enrich/local";
import { classifyDocument } from "../../src/pipeline/enrich/local/document-type";
import { asProse } from "../../src/pipeline/enrich/local/summary";
import type { EnrichmentRequest } from "../../src/pipeline/enrich/provider";
import { chooseEnrichmentProvider, enrichmentProviderFor } from "../../src/pipeline/enrich/select";
import { WorkersAiEnrichment, type AiRunner } from "../../src/pipeline/enrich/workers-ai";
import { extractStage } from "../../src/pipeline/extract";
import type { StageInput } from "../../src/pipeline/stage";
import { fixture } from "../helpers/fixtures";
import { MemoryOutputs, stageInput, type StoredOutput } from "../helpers/memory-outputs";

const request = (text: string, overrides: Partial<EnrichmentRequest> = {}): EnrichmentRequest => ({
  text,
  language: "en",
  entityCounts: {},
  hints: { isForm: false, pageCount: null, title: null },
  ...overrides,
});

/** extract → analyze → enrich over a fixture, the way the pipeline chains them. */
async function enrichFixture(path: string) {
  const extractOutputs = new MemoryOutputs("extract");
  const base = stageInput(await fixture(path), extractOutputs);
  const extracted = await extractStage.run(base);
  if (extracted.status !== "completed") throw new Error("extract did not complete");
  const chained = (stage: "analyze" | "enrich", previous: StageInput["previous"]): StageInput => {
    const outputs = new MemoryOutputs(stage);
    outputs.stored.set("extract", extractOutputs.stored.get("extract") ?? new Map<string, StoredOutput>());
    return { ...base, outputs, previous };
  };
  const analyzed = await analyzeStage.run(chained("analyze", { extract: extracted.result }));
  if (analyzed.status !== "completed") throw new Error("analyze did not complete");
  const outcome = await enrichStage.run(
    chained("enrich", { extract: extracted.result, analyze: analyzed.result }),
  );
  if (outcome.status !== "completed") throw new Error("enrich did not complete");
  return { result: outcome.result, text: extractOutputs.text("text") };
}

const SOLAR =
  "Solar panels turn sunlight into electricity. Modern solar panels reach an efficiency of over twenty percent. " +
  "Battery storage keeps the energy for the night, and battery storage prices fell sharply last year. " +
  "Homeowners combine solar panels with battery storage to cut their bills. The weather still matters: " +
  "cloudy days reduce the output of solar panels considerably.";

describe("enrich: local provider", () => {
  it("ranks repeated phrases first and gives the same answer every time", async () => {
    const first = await localEnrichment.enrich(request(SOLAR));
    const terms = first.keywords.map((keyword) => keyword.term);
    expect(terms.slice(0, 2)).toEqual(["solar panels", "battery storage"]);
    expect(first.keywords[0]?.score).toBe(1);
    // Stop words and words seen only inside a chosen phrase are not keywords on their own.
    expect(terms).not.toContain("the");
    expect(terms).not.toContain("panels");
    expect(await localEnrichment.enrich(request(SOLAR))).toEqual(first);
  });

  it("summarises with sentences taken from the document, in document order", async () => {
    const { summary } = await localEnrichment.enrich(request(SOLAR));
    const sentences = summary.split(/(?<=\.) /);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(3);
    let from = 0;
    for (const sentence of sentences) {
      const at = SOLAR.indexOf(sentence, from);
      expect(at, sentence).toBeGreaterThanOrEqual(from);
      from = at + sentence.length;
    }
  });

  it("rejoins words hyphenated across lines before finding sentences", () => {
    expect(asProse("special-\nization of the\ntraces")).toBe("specialization of the traces");
  });

  it.each([
    [
      "invoice",
      "INVOICE\nInvoice number: 2024-117\nBill to: ACME Ltd\nSubtotal 100.00\nVAT 19.00\nAmount due: 119.00 EUR\nPayment terms: 14 days",
      { money: 2, identifier: 1 },
      false,
    ],
    [
      "receipt",
      "Thank you for your purchase!\nReceipt #4711\n2x Coffee 7.00\nCash 10.00\nChange due 3.00",
      { money: 3 },
      false,
    ],
    [
      "contract",
      "This Agreement is made between ACME Ltd (hereinafter the Supplier) and Beta GmbH. The parties agree as follows. Termination requires 3 months notice. This Agreement shall be governed by the laws of England (governing law).",
      {},
      false,
    ],
    [
      "resume",
      "Curriculum Vitae\nJane Roe\nProfessional Experience\n2019-2024 Engineer at ACME\nEducation\nMSc Physics\nSkills: Python, SQL",
      {},
      false,
    ],
    [
      "letter",
      "Sehr geehrte Frau Müller,\nvielen Dank für Ihr Schreiben vom 3. März. Wir melden uns in Kürze.\nMit freundlichen Grüßen\nHans Meier",
      {},
      false,
    ],
    ["form", "Please print clearly. Name: ____ Date of birth: ____ Signature: ____", {}, true],
    ["other", "The quick brown fox jumps over the lazy dog near the river bank at dawn.", {}, false],
  ] as const)("classifies a %s", (type, text, entityCounts, isForm) => {
    const verdict = classifyDocument(
      request(text, { entityCounts: { ...entityCounts }, hints: { isForm, pageCount: 1, title: null } }),
    );
    expect(verdict.type).toBe(type);
    expect(verdict.confidence).toBeGreaterThan(0.4);
    expect(verdict.confidence).toBeLessThan(1);
  });

  it("enriches the TraceMonkey paper end to end: a report about tracing", async () => {
    const { result, text } = await enrichFixture("pdf/pdfjs_tracemonkey.pdf");
    expect(result["provider"]).toBe("local");
    expect(result["documentType"]).toMatchObject({ type: "report" });
    const terms = (result["keywords"] as { term: string }[]).map((keyword) => keyword.term.toLowerCase());
    expect(terms.some((term) => term.includes("trace"))).toBe(true);
    const summary = result["summary"] as string;
    expect(summary.length).toBeGreaterThan(50);
    expect(summary.length).toBeLessThanOrEqual(600);
    // Every summary sentence is in the paper (as prose: line breaks joined).
    const prose = asProse(text);
    for (const piece of summary.split(/(?<=[.!?]) /u)) expect(prose).toContain(piece);
  });
});

describe("enrich: provider selection", () => {
  const fakeAi = (answer: unknown): AiRunner & { calls: number } => ({
    calls: 0,
    run(this: { calls: number }) {
      this.calls += 1;
      return Promise.resolve(answer);
    },
  });

  it("uses the local provider unless an AI binding exists and configuration allows it", () => {
    const ai = fakeAi({});
    expect(chooseEnrichmentProvider("auto", undefined)).toBe(localEnrichment);
    expect(chooseEnrichmentProvider("workers-ai", undefined)).toBe(localEnrichment);
    expect(chooseEnrichmentProvider("local", ai)).toBe(localEnrichment);
    const chosen = chooseEnrichmentProvider("auto", ai, "@cf/test/model");
    expect(chosen).toBeInstanceOf(WorkersAiEnrichment);
    expect(chosen.name).toBe("workers-ai:@cf/test/model");
    // This Worker has no AI binding (wrangler.toml declares none): local.
    expect((env as unknown as { AI?: unknown }).AI).toBeUndefined();
    expect(enrichmentProviderFor(env)).toBe(localEnrichment);
  });

  it("takes a valid model answer and falls back to the local provider on a bad one", async () => {
    const good = fakeAi({
      response: JSON.stringify({
        keywords: ["solar panels", "battery storage"],
        summary: "Solar panels turn sunlight into electricity.",
        documentType: "report",
        confidence: 0.7,
      }),
    });
    const fromModel = await new WorkersAiEnrichment(good).enrich(request(SOLAR));
    expect(good.calls).toBe(1);
    expect(fromModel).toMatchObject({
      keywords: [{ term: "solar panels" }, { term: "battery storage" }],
      documentType: { type: "report", confidence: 0.7 },
    });
    const bad = fakeAi({ response: "I think this is a memo." });
    expect(await new WorkersAiEnrichment(bad).enrich(request(SOLAR))).toEqual(
      await localEnrichment.enrich(request(SOLAR)),
    );
  });
});
