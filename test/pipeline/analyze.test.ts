import { describe, expect, it } from "vitest";
import { analyzeStage } from "../../src/pipeline/analyze";
import { findEntities } from "../../src/pipeline/analyze/entities";
import { detectLanguage } from "../../src/pipeline/analyze/language";
import type { JsonObject, StageInput } from "../../src/pipeline/stage";
import { fixture } from "../helpers/fixtures";
import { MemoryOutputs, stageInput } from "../helpers/memory-outputs";

/** Runs analyze on `text` as if extract had just written it (a PDF when `format` is "pdf"). */
async function analyze(text: string, format = "text") {
  const outputs = new MemoryOutputs("analyze");
  outputs.stored.set(
    "extract",
    new Map([["text", { body: new TextEncoder().encode(text), contentType: "text/plain" }]]),
  );
  const input: StageInput = { ...stageInput(new Uint8Array(0), outputs), previous: { extract: { format } } };
  const outcome = await analyzeStage.run(input);
  return { outcome, outputs };
}

async function analyzed(
  text: string,
  format = "text",
): Promise<{ result: JsonObject; outputs: MemoryOutputs }> {
  const { outcome, outputs } = await analyze(text, format);
  if (outcome.status !== "completed") throw new Error(`expected completed, got ${JSON.stringify(outcome)}`);
  return { result: outcome.result, outputs };
}

const SAMPLES = {
  en: "The committee will meet next Tuesday to review the budget proposal and discuss the hiring plan for the new office.",
  de: "Der Ausschuss trifft sich am nächsten Dienstag, um den Haushaltsentwurf zu prüfen und den Einstellungsplan zu besprechen.",
  fr: "Le comité se réunira mardi prochain pour examiner la proposition de budget et discuter du plan de recrutement.",
  es: "El comité se reunirá el próximo martes para revisar la propuesta de presupuesto y discutir el plan de contratación.",
  ja: "委員会は来週の火曜日に集まり、予算案を検討し、新しい事務所の採用計画について話し合います。",
};

describe("analyze: language", () => {
  it.each(Object.entries(SAMPLES))("identifies %s", (code, text) => {
    const guess = detectLanguage(text);
    expect(guess.code).toBe(code);
    expect(guess.confidence).toBeGreaterThan(0.5);
    expect(guess.reliable).toBe(true);
  });

  it("identifies the Japanese of Rashomon (Shift_JIS) and the German of the DocBook page", async () => {
    const rashomon = new TextDecoder("shift_jis").decode(await fixture("text/golang_rashomon-shift-jis.txt"));
    expect(detectLanguage(rashomon).code).toBe("ja");
    const html = new TextDecoder().decode(await fixture("text/debian-reference-de_ch08.html"));
    expect(detectLanguage(html.replace(/<[^>]*>/g, " ")).code).toBe("de");
  });

  it("does not pretend on text with no language", () => {
    expect(detectLanguage("12345 67890 +++ ###").code).toBeNull();
  });
});

describe("analyze: entities at their positions", () => {
  const invoice = [
    "Invoice No. INV-2024-0042",
    "Date: 12 March 2024, due 2024-04-11",
    "Bill to: Jane Roe <jane.roe@example.com>",
    "Total due: $1,234.56 (or EUR 1.130,00)",
    "Questions? Call +1 415-555-2671 or see https://example.com/pay?id=42.",
    "IBAN: DE89 3704 0044 0532 0130 00",
    "Card: 4111 1111 1111 1111",
  ].join("\n");

  it("finds each kind where it is, with normalised values", () => {
    const { entities } = findEntities(invoice, "en");
    const at = (text: string) => ({ start: invoice.indexOf(text), end: invoice.indexOf(text) + text.length });
    expect(entities).toEqual([
      {
        kind: "identifier",
        text: "INV-2024-0042",
        ...at("INV-2024-0042"),
        value: "INV-2024-0042",
        label: "invoice",
      },
      { kind: "date", text: "12 March 2024", ...at("12 March 2024"), value: "2024-03-12" },
      { kind: "date", text: "2024-04-11", ...at("2024-04-11"), value: "2024-04-11" },
      {
        kind: "email",
        text: "jane.roe@example.com",
        ...at("jane.roe@example.com"),
        value: "jane.roe@example.com",
      },
      {
        kind: "money",
        text: "$1,234.56",
        ...at("$1,234.56"),
        currency: "USD",
        amount: 1234.56,
        value: "1234.56 USD",
      },
      {
        kind: "money",
        text: "EUR 1.130,00",
        ...at("EUR 1.130,00"),
        currency: "EUR",
        amount: 1130,
        value: "1130.00 EUR",
      },
      { kind: "phone", text: "+1 415-555-2671", ...at("+1 415-555-2671"), value: "+14155552671" },
      {
        kind: "url",
        text: "https://example.com/pay?id=42",
        ...at("https://example.com/pay?id=42"),
        value: "https://example.com/pay?id=42",
      },
      {
        kind: "iban",
        text: "DE89 3704 0044 0532 0130 00",
        ...at("DE89 3704 0044 0532 0130 00"),
        value: "DE89370400440532013000",
      },
      { kind: "credit_card", text: "•••• •••• •••• 1111", ...at("4111 1111 1111 1111"), value: "…1111" },
    ]);
  });

  it("reads German and French conventions", () => {
    const german =
      "Rechnungsnummer: R-2024/117 vom 12.03.2024 über 1.234,56 € – Tel. 030 12345678, 5. Mai 2024";
    const found = findEntities(german, "de").entities.map((e) => [e.kind, e.value ?? e.text]);
    expect(found).toEqual([
      ["identifier", "R-2024/117"],
      ["date", "2024-03-12"],
      ["money", "1234.56 EUR"],
      ["phone", "+493012345678"],
      ["date", "2024-05-05"],
    ]);
    const french = "N° de facture : F2024-12, le 3 février 2024, montant 99,90 €";
    expect(findEntities(french, "fr").entities.map((e) => [e.kind, e.value])).toEqual([
      ["identifier", "F2024-12"],
      ["date", "2024-02-03"],
      ["money", "99.90 EUR"],
    ]);
  });

  it("refuses look-alikes: impossible dates, card numbers failing Luhn, IBANs failing mod-97, bare words", () => {
    const text =
      "On 31.02.2024 in case 2024 the number 4111 1111 1111 1112 and DE89 3704 0044 0532 0130 01 were wrong.";
    expect(findEntities(text, "en").entities).toEqual([]);
  });

  it("gives PDF entities their page and summarises the personal data", async () => {
    const text = "Page one has no contact.\fContact: ann@example.org\fCall +44 20 7946 0958.";
    const { result } = await analyzed(text, "pdf");
    expect(result).toMatchObject({
      pages: 3,
      entityCounts: { email: 1, phone: 1 },
      pii: { found: true, kinds: ["email", "phone"] },
      entitiesTruncated: false,
    });
    expect(result["entities"]).toEqual([
      { kind: "email", text: "ann@example.org", start: 34, end: 49, page: 2, value: "ann@example.org" },
      {
        kind: "phone",
        text: "+44 20 7946 0958",
        start: text.indexOf("+44"),
        end: text.indexOf("+44") + 16,
        page: 3,
        value: "+442079460958",
      },
    ]);
  });

  it("lists a few entities per kind, counts them all and stores the full list", async () => {
    const text = Array.from({ length: 30 }, (_, i) => `Write to user${i}@example.com today.`).join("\n");
    const { result, outputs } = await analyzed(text);
    expect(result["entityCounts"]).toEqual({ email: 30 });
    expect(result["entities"]).toHaveLength(10);
    expect(result["entitiesTruncated"]).toBe(true);
    const stored = JSON.parse(outputs.text("entities.json")) as { entities: unknown[]; truncated: boolean };
    expect(stored.entities).toHaveLength(30);
    expect(stored.truncated).toBe(false);
    expect(result["outputs"]).toEqual({
      entities: "/v1/jobs/job_test/files/file_test/outputs/entities.json",
    });
  });
});

describe("analyze: counts and skips", () => {
  it("counts characters, words, sentences and reading time", async () => {
    const text = "Dr. Smith arrived at 9 a.m. sharp. Nobody else had come!\nWhy? Nobody knew.";
    const { result } = await analyzed(text);
    expect(result).toMatchObject({
      characters: text.length,
      words: 15,
      sentences: 4,
      readingTimeMinutes: 1,
      pages: null,
    });
    expect(result["language"]).toMatchObject({ code: "en" });
  });

  it("counts Japanese words with the ICU segmenter and reads them at characters per minute", async () => {
    const rashomon = new TextDecoder("shift_jis").decode(await fixture("text/golang_rashomon-shift-jis.txt"));
    const { result } = await analyzed(rashomon);
    expect(result["language"]).toMatchObject({ code: "ja", reliable: true });
    expect(result["words"]).toBeGreaterThan(2000);
    // About 6,000 characters at 400 a minute.
    expect(result["readingTimeMinutes"]).toBeGreaterThanOrEqual(12);
    expect(result["readingTimeMinutes"]).toBeLessThanOrEqual(18);
  });

  it("skips files without text", async () => {
    const { outcome } = await analyze("\f\f");
    expect(outcome).toMatchObject({ status: "skipped", reason: { code: "no_text" } });
  });
});
