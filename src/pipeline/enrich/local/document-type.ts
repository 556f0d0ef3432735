/**
 * Document type without a model: cue phrases that documents of each type carry (in English, German,
 * French and Spanish), counted in the text, plus what the other stages found (money amounts and
 * invoice-like identifiers point to invoices and receipts, form fields to forms, many pages to reports).
 * The type with the highest score wins; its confidence grows with the score and with its lead over the
 * runner-up. Below a minimum score, or with too small a lead, the document is `other`.
 */
import type { DocumentType, EnrichmentRequest } from "../provider";

type Scored = Exclude<DocumentType, "other">;

/** Cue phrases (lower case, matched on word boundaries) and their weights. */
const CUES: Record<Scored, [string, number][]> = {
  invoice: [
    ["invoice", 3],
    ["invoice number", 3],
    ["invoice no", 3],
    ["bill to", 2],
    ["amount due", 3],
    ["due date", 2],
    ["payment terms", 2],
    ["vat", 1],
    ["subtotal", 2],
    ["rechnung", 3],
    ["rechnungsnummer", 3],
    ["rechnungsbetrag", 3],
    ["zahlbar bis", 2],
    ["mwst", 1],
    ["ust-idnr", 2],
    ["facture", 3],
    ["numéro de facture", 3],
    ["montant dû", 3],
    ["tva", 1],
    ["factura", 3],
    ["número de factura", 3],
    ["iva", 1],
    ["importe total", 2],
  ],
  receipt: [
    ["receipt", 3],
    ["cash", 1],
    ["change due", 3],
    ["thank you for your purchase", 3],
    ["card ending", 2],
    ["quittung", 3],
    ["kassenbon", 3],
    ["beleg", 2],
    ["reçu", 3],
    ["ticket de caisse", 3],
    ["recibo", 3],
    ["ticket de compra", 3],
  ],
  contract: [
    ["agreement", 2],
    ["hereinafter", 3],
    ["the parties", 3],
    ["party", 1],
    ["terms and conditions", 2],
    ["in witness whereof", 3],
    ["governing law", 3],
    ["termination", 2],
    ["shall", 1],
    ["vertrag", 3],
    ["vertragsparteien", 3],
    ["kündigung", 2],
    ["vereinbarung", 2],
    ["contrat", 3],
    ["les parties", 3],
    ["résiliation", 2],
    ["contrato", 3],
    ["las partes", 3],
    ["cláusula", 2],
  ],
  resume: [
    ["curriculum vitae", 4],
    ["resume", 2],
    ["work experience", 3],
    ["professional experience", 3],
    ["education", 2],
    ["skills", 2],
    ["references", 1],
    ["lebenslauf", 4],
    ["berufserfahrung", 3],
    ["ausbildung", 2],
    ["expérience professionnelle", 3],
    ["formation", 1],
    ["compétences", 2],
    ["experiencia laboral", 3],
    ["formación", 2],
    ["habilidades", 2],
  ],
  letter: [
    ["dear", 2],
    ["sincerely", 3],
    ["yours faithfully", 3],
    ["kind regards", 3],
    ["best regards", 2],
    ["sehr geehrte", 3],
    ["mit freundlichen grüßen", 4],
    ["liebe", 1],
    ["madame, monsieur", 3],
    ["cordialement", 3],
    ["veuillez agréer", 3],
    ["estimado", 3],
    ["atentamente", 3],
    ["saludos", 2],
  ],
  report: [
    ["abstract", 2],
    ["introduction", 2],
    ["conclusion", 2],
    ["table of contents", 3],
    ["chapter", 2],
    ["figure", 1],
    ["results", 1],
    ["manual", 2],
    ["references", 1],
    ["appendix", 2],
    ["section", 1],
    ["zusammenfassung", 2],
    ["einleitung", 2],
    ["inhaltsverzeichnis", 3],
    ["kapitel", 2],
    ["sommaire", 2],
    ["chapitre", 2],
    ["résumé", 1],
    ["índice", 2],
    ["capítulo", 2],
    ["introducción", 2],
  ],
  form: [
    ["please print", 3],
    ["fill in", 2],
    ["check the box", 3],
    ["check here", 2],
    ["signature", 2],
    ["date of birth", 2],
    ["print clearly", 3],
    ["form", 1],
    ["formular", 3],
    ["ausfüllen", 2],
    ["unterschrift", 2],
    ["geburtsdatum", 2],
    ["formulaire", 3],
    ["formulario", 3],
    ["firma", 1],
  ],
};

/** Below this score nothing is recognised and the type is `other`. */
const MIN_SCORE = 4;
/** A winner this unsure is no winner: the type is `other`. */
const MIN_CONFIDENCE = 0.4;
/** Occurrences of one cue beyond this add nothing (a manual saying "section" 500 times). */
const MAX_HITS_PER_CUE = 5;
/** The start of a document says most about its type; the rest is only sampled this far. */
const MAX_CHARS = 100_000;

const patterns = new Map<string, RegExp>();

function cuePattern(cue: string): RegExp {
  let pattern = patterns.get(cue);
  if (!pattern) {
    const escaped = cue.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "giu");
    patterns.set(cue, pattern);
  }
  return pattern;
}

export function classifyDocument(request: EnrichmentRequest): { type: DocumentType; confidence: number } {
  const whole = request.text.toLowerCase();
  const scores = new Map<Scored, number>();
  for (const [type, cues] of Object.entries(CUES) as [Scored, [string, number][]][]) {
    const text = windowFor(type, whole);
    let score = 0;
    for (const [cue, weight] of cues) {
      const hits = Math.min(MAX_HITS_PER_CUE, text.match(cuePattern(cue))?.length ?? 0);
      score += hits * weight;
    }
    scores.set(type, score);
  }
  const add = (type: Scored, points: number) => scores.set(type, (scores.get(type) ?? 0) + points);
  const money = request.entityCounts["money"] ?? 0;
  const identifiers = request.entityCounts["identifier"] ?? 0;
  if (money >= 2) {
    add("invoice", 2);
    add("receipt", 2);
  }
  if (identifiers > 0) add("invoice", 2);
  if (request.hints.isForm) add("form", 6);
  if ((request.hints.pageCount ?? 0) >= 10) add("report", 3);

  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const [best, second] = ranked;
  if (!best || best[1] < MIN_SCORE) {
    const strength = best ? best[1] / MIN_SCORE : 0;
    return { type: "other", confidence: round(0.5 + 0.4 * (1 - strength)) };
  }
  const lead = best[1] / (best[1] + (second?.[1] ?? 0));
  const strength = 1 - Math.exp(-best[1] / 10);
  const confidence = round(Math.min(0.99, lead * strength + 0.1));
  // Cues of two types in near balance (a story that mentions parties and a letter): undecided.
  if (confidence < MIN_CONFIDENCE) return { type: "other", confidence: round(1 - confidence) };
  return { type: best[0], confidence };
}

/**
 * Where a type's cues count: a letter's salutation and closing are at its start and end (a novel
 * full of "dear" is not a letter), an invoice's or receipt's labels are on its first page.
 */
function windowFor(type: Scored, text: string): string {
  switch (type) {
    case "letter":
      return text.length <= 3000 ? text : `${text.slice(0, 1500)}\n${text.slice(-1500)}`;
    case "invoice":
    case "receipt":
      return text.slice(0, 5000);
    default:
      return text.slice(0, MAX_CHARS);
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
