/**
 * Identifier-like tokens: numbers a document gives a name ("Invoice No. INV-2024-0042", "Bestellnummer:
 * 4711-0815", "N° de facture : F2024/12", "Subscription ID sub_1234"), with what the label calls them;
 * and two kinds of personal financial data that carry their own checksum, so a match is never a guess:
 * IBANs (ISO 13616, mod-97) and payment card numbers (Luhn, with a known card-network prefix).
 */
import type { Entity } from "./types";

/** Label words (English, German, French, Spanish) and the category they name. */
const LABELS: [RegExp, string][] = [
  [/^(?:invoice|inv|bill|rechnung(?:s?nummer|s-?nr)?|facture|factura)$/i, "invoice"],
  [/^(?:order|bestellung|bestellnummer|auftrag(?:snummer)?|commande|pedido)$/i, "order"],
  [/^(?:subscription|abo|abonnement|suscripci[oó]n)$/i, "subscription"],
  [/^(?:customer|kunden?(?:nummer)?|client|cliente)$/i, "customer"],
  [/^(?:account|konto|compte|cuenta)$/i, "account"],
  [/^(?:contract|vertrag(?:snummer)?|contrat|contrato|policy|police|p[oó]liza)$/i, "contract"],
  [/^(?:reference|ref|referenz|r[ée]f[ée]rence|referencia|case|ticket|vorgang)$/i, "reference"],
  [/^(?:quote|angebot|devis|presupuesto)$/i, "quote"],
  [/^(?:receipt|quittung|beleg|re[çc]u|recibo)$/i, "receipt"],
  [/^(?:tracking|sendung(?:snummer)?|suivi|seguimiento)$/i, "tracking"],
];

const LABEL_WORD =
  "invoice|inv|bill|rechnung(?:s?nummer|s-?nr)?|facture|factura|order|bestellung|bestellnummer|auftrag(?:snummer)?|commande|pedido|subscription|abo|abonnement|suscripci[oó]n|customer|kunden?(?:nummer)?|client|cliente|account|konto|compte|cuenta|contract|vertrag(?:snummer)?|contrat|contrato|policy|police|p[oó]liza|reference|ref|referenz|r[ée]f[ée]rence|referencia|case|ticket|vorgang|quote|angebot|devis|presupuesto|receipt|quittung|beleg|re[çc]u|recibo|tracking|sendung(?:snummer)?|suivi|seguimiento";
const NUMBER_WORD = "(?:number|no|nr|num[ée]ro|n[úu]mero|num|n°|nº|#|id)\\.?";

// "Invoice No.: X", "N° de facture : X", "Rechnungsnummer X", "Order #X".
const LABELLED = new RegExp(
  `(?<![\\p{L}\\p{N}])(?<pre>${NUMBER_WORD}\\s*(?:de\\s+(?:la\\s+)?|del?\\s+)?)?(?<label>${LABEL_WORD})` +
    `(?:\\s*(?<post>${NUMBER_WORD}))?\\s*(?<mark>[:#])?\\s*` +
    "(?<value>[A-Z0-9](?:[A-Z0-9_\\-/.]*[A-Z0-9])?)(?![\\p{L}\\p{N}])",
  "giu",
);

export function findIdentifiers(text: string): Entity[] {
  const found: Entity[] = [];
  for (const m of text.matchAll(LABELLED)) {
    const groups = m.groups ?? {};
    const value = groups["value"] ?? "";
    // An identifier has a digit and is not just a short number ("page 2", "No. 1").
    if (!/\d/.test(value) || value.length < 4 || value.length > 40) continue;
    // "in case 2024" is not an identifier: without "No."/"#"/":" the value must look like a code.
    const marked = groups["pre"] || groups["post"] || groups["mark"];
    if (!marked && !(/\p{L}/u.test(value) || /[-/._]/.test(value))) continue;
    const start = m.index + m[0].lastIndexOf(value);
    found.push({
      kind: "identifier",
      text: value,
      start,
      end: start + value.length,
      value,
      label: labelOf(groups["label"] ?? ""),
    });
  }
  return found;
}

function labelOf(word: string): string {
  return LABELS.find(([pattern]) => pattern.test(word))?.[1] ?? "reference";
}

const IBAN = /(?<![\p{L}\p{N}])([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)(?![\p{L}\p{N}])/gu;

export function findIbans(text: string): Entity[] {
  const found: Entity[] = [];
  for (const m of text.matchAll(IBAN)) {
    const compact = (m[1] ?? "").replace(/ /g, "");
    if (compact.length < 15 || compact.length > 34 || !ibanChecksumValid(compact)) continue;
    found.push({ kind: "iban", text: m[0], start: m.index, end: m.index + m[0].length, value: compact });
  }
  return found;
}

function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const CARD = /(?<![\p{L}\p{N}])(\d(?:[ -]?\d){12,18})(?![\p{L}\p{N}])/gu;
/** The networks' number prefixes and lengths: Visa, Mastercard, Amex, Discover, JCB, Diners. */
const CARD_NETWORKS: [RegExp, number[]][] = [
  [/^4/, [13, 16, 19]],
  [/^(?:5[1-5]|2[2-7])/, [16]],
  [/^3[47]/, [15]],
  [/^(?:6011|65)/, [16, 17, 18, 19]],
  [/^35/, [16, 17, 18, 19]],
  [/^3(?:0[0-5]|[68])/, [14, 15, 16, 17, 18, 19]],
];
/** How card numbers are written: no separators, groups of four, or Amex/Diners 4-6-5 / 4-6-4. */
const CARD_GROUPING = /^(?:\d+|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{4,5})$/;

export function findCards(text: string): Entity[] {
  const found: Entity[] = [];
  for (const m of text.matchAll(CARD)) {
    const written = m[1] ?? "";
    const digits = written.replace(/[ -]/g, "");
    const network = CARD_NETWORKS.find(([prefix]) => prefix.test(digits));
    if (!network?.[1].includes(digits.length) || !CARD_GROUPING.test(written) || !luhnValid(digits)) continue;
    // A card number is never repeated in full (results are stored): the last four digits are enough.
    const last = m[0].length - 4;
    found.push({
      kind: "credit_card",
      text: m[0].replace(/\d/g, (digit, at: number) => (at < last ? "•" : digit)),
      start: m.index,
      end: m.index + m[0].length,
      value: `…${digits.slice(-4)}`,
    });
  }
  return found;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
