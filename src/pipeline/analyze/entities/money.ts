/**
 * Money amounts with their currency: a currency symbol or ISO code before or after an amount
 * ("$1,234.56", "€ 12", "1.234,56 €", "EUR 12.50", "12,50 Euro", "CHF 1'200.-"). The amount is read with
 * either decimal convention: a separator followed by one or two final digits is the decimal point, the
 * others group thousands. `$` is taken as US dollars and `¥` as yen (the most common readings).
 */
import type { Entity } from "./types";

const SYMBOLS: Record<string, string> = {
  $: "USD",
  US$: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  "₹": "INR",
  "₩": "KRW",
  "₽": "RUB",
  "₺": "TRY",
  "₪": "ILS",
  R$: "BRL",
  euro: "EUR",
  euros: "EUR",
  dollar: "USD",
  dollars: "USD",
};
const CODES = [
  "EUR",
  "USD",
  "GBP",
  "JPY",
  "CHF",
  "CAD",
  "AUD",
  "CNY",
  "INR",
  "SEK",
  "NOK",
  "DKK",
  "PLN",
  "CZK",
  "HUF",
  "BRL",
  "MXN",
  "KRW",
  "RUB",
  "TRY",
  "ZAR",
  "NZD",
  "SGD",
  "HKD",
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const CURRENCY = `(${[...Object.keys(SYMBOLS), ...CODES]
  .sort((a, b) => b.length - a.length)
  .map(escape)
  .join("|")})`;
// 1,234,567.89 · 1.234.567,89 · 1 234,56 · 1'234.50 · 1234.5 · 12
const AMOUNT = `(\\d{1,3}(?:[.,'\\u00a0\\u202f ]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)(?:[.,]-)?`;
const B = "(?<![\\p{L}\\p{N}])";
const E = "(?![\\p{L}\\p{N}])";

const BEFORE = new RegExp(`${B}${CURRENCY}\\s?${AMOUNT}${E}`, "giu");
const AFTER = new RegExp(`${B}${AMOUNT}\\s?${CURRENCY}${E}`, "giu");

export function findMoney(text: string): Entity[] {
  const found: Entity[] = [];
  const add = (match: RegExpExecArray, currencyText: string, amountText: string) => {
    const currency = currencyCode(currencyText);
    const amount = parseAmount(amountText);
    if (!currency || amount === undefined) return;
    found.push({
      kind: "money",
      text: match[0],
      start: match.index,
      end: match.index + match[0].length,
      currency,
      amount,
      value: `${amount.toFixed(2)} ${currency}`,
    });
  };
  for (const m of text.matchAll(BEFORE)) add(m, m[1] ?? "", m[2] ?? "");
  for (const m of text.matchAll(AFTER)) {
    // "2$" is TeX or code; a dollar sign after the amount is only money with a space ("12 $", Québec).
    if ((m[2] ?? "").endsWith("$") && !/\s\S*\$$/u.test(m[0])) continue;
    add(m, m[2] ?? "", m[1] ?? "");
  }
  return found;
}

function currencyCode(text: string): string | undefined {
  const upper = text.toUpperCase();
  if (CODES.includes(upper)) return upper;
  return SYMBOLS[text] ?? SYMBOLS[text.toLowerCase()];
}

/** The amount in either decimal convention, or undefined when it is not a plausible amount. */
export function parseAmount(text: string): number | undefined {
  const compact = text.replace(/[\u00a0\u202f ']/g, "");
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const integerPart = (decimal ? compact.slice(0, decimal.index) : compact).replace(/[.,]/g, "");
  if (!/^\d+$/.test(integerPart)) return undefined;
  const value = Number(decimal ? `${integerPart}.${decimal[1] ?? "0"}` : integerPart);
  return Number.isFinite(value) ? value : undefined;
}
