/**
 * Dates written the ways documents write them: ISO (2024-03-12, with or without a time), numeric
 * day-month-year (12.03.2024, 12/03/2024; month-day-year for English with slashes, the US habit, unless
 * the first number cannot be a month), and with month names in English, German, French and Spanish
 * ("12 March 2024", "March 12, 2024", "12. März 2024", "12 mars 2024", "12 de marzo de 2024").
 * Every match is checked to be a real calendar date and normalised to ISO 8601 (`value`).
 */
import type { Entity } from "./types";

const MONTHS: Record<string, number> = {};
const NAMES: [string[], number][] = [
  [["january", "jan", "januar", "jänner", "jän", "janvier", "janv", "enero", "ene"], 1],
  [["february", "feb", "februar", "février", "févr", "fevrier", "febrero"], 2],
  [["march", "mar", "märz", "maerz", "mars", "marzo"], 3],
  [["april", "apr", "avril", "avr", "abril", "abr"], 4],
  [["may", "mai", "mayo"], 5],
  [["june", "jun", "juni", "juin", "junio"], 6],
  [["july", "jul", "juli", "juillet", "juil", "julio"], 7],
  [["august", "aug", "août", "aout", "agosto", "ago"], 8],
  [["september", "sep", "sept", "septembre", "septiembre", "setiembre"], 9],
  [["october", "oct", "oktober", "okt", "octobre", "octubre"], 10],
  [["november", "nov", "novembre", "noviembre"], 11],
  [["december", "dec", "dezember", "dez", "décembre", "decembre", "diciembre", "dic"], 12],
];
for (const [names, month] of NAMES) for (const name of names) MONTHS[name] = month;

const MONTH = `(${Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join("|")})\\.?`;
const B = "(?<![\\p{L}\\p{N}])";
const E = "(?![\\p{L}\\p{N}])";

const ISO = new RegExp(`${B}(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2}))?)?${E}`, "gu");
const NUMERIC = new RegExp(`${B}(\\d{1,2})([./])(\\d{1,2})\\2(\\d{4}|\\d{2})${E}`, "gu");
const DAY_MONTH_YEAR = new RegExp(
  `${B}(\\d{1,2})(?:st|nd|rd|th|\\.|er)?\\s+(?:de\\s+)?${MONTH}\\s+(?:de\\s+)?(\\d{4})${E}`,
  "giu",
);
const MONTH_DAY_YEAR = new RegExp(`${B}${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${E}`, "giu");

export function findDates(text: string, language: string | null): Entity[] {
  const found: Entity[] = [];
  const add = (match: RegExpExecArray, year: number, month: number, day: number, time?: string) => {
    const iso = isoDate(year, month, day);
    if (!iso) return;
    found.push({
      kind: "date",
      text: match[0],
      start: match.index,
      end: match.index + match[0].length,
      value: time ? `${iso}T${time}` : iso,
    });
  };
  for (const m of text.matchAll(ISO)) {
    const time = m[4] && m[5] ? `${m[4]}:${m[5]}:${m[6] ?? "00"}` : undefined;
    if (time && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) continue;
    add(m, Number(m[1]), Number(m[2]), Number(m[3]), time);
  }
  for (const m of text.matchAll(NUMERIC)) {
    const first = Number(m[1]);
    const second = Number(m[3]);
    const year = fullYear(m[4] ?? "");
    // English with slashes is month/day/year (US), unless the first number cannot be a month.
    const monthFirst = language === "en" && m[2] === "/" && first <= 12;
    if (monthFirst) add(m, year, first, second);
    else add(m, year, second, first);
  }
  for (const m of text.matchAll(DAY_MONTH_YEAR)) {
    add(m, Number(m[3]), MONTHS[(m[2] ?? "").toLowerCase()] ?? 0, Number(m[1]));
  }
  for (const m of text.matchAll(MONTH_DAY_YEAR)) {
    add(m, Number(m[3]), MONTHS[(m[1] ?? "").toLowerCase()] ?? 0, Number(m[2]));
  }
  return found;
}

function fullYear(digits: string): number {
  const year = Number(digits);
  if (digits.length === 4) return year;
  return year < 70 ? 2000 + year : 1900 + year;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1000 || year > 2999 || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined; // 31 April, 29 February 2023
  return date.toISOString().slice(0, 10);
}
