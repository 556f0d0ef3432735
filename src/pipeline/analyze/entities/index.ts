/**
 * All entity finders over one text, merged: where two findings overlap, the more specific kind wins
 * (an e-mail address over the URL-like text inside it, an IBAN or card number over the "phone number"
 * its digits also form, a money amount over a bare number), then they are put in document order.
 */
import { findDates } from "./dates";
import { findCards, findIbans, findIdentifiers } from "./identifiers";
import { findLinks } from "./links";
import { findMoney } from "./money";
import { findPhones } from "./phones";
import type { Entity, EntityKind } from "./types";

const PRIORITY: EntityKind[] = [
  "email",
  "url",
  "iban",
  "credit_card",
  "money",
  "identifier",
  "date",
  "phone",
];

/** Entity finding reads at most this much text (the positions stay those of the whole text). */
export const MAX_ENTITY_SCAN_CHARS = 1_000_000;

export function findEntities(text: string, language: string | null): { entities: Entity[]; scanned: number } {
  const scanned = Math.min(text.length, MAX_ENTITY_SCAN_CHARS);
  const part = text.slice(0, scanned);
  const all = [
    ...findLinks(part),
    ...findIbans(part),
    ...findCards(part),
    ...findMoney(part),
    ...findIdentifiers(part),
    ...findDates(part, language),
    ...findPhones(part, language),
  ];
  all.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start);
  // Kept entities never overlap, so sorted by start they are also sorted by end: a binary search
  // finds the only neighbours a new entity could overlap.
  const kept: Entity[] = [];
  for (const entity of all) {
    const at = firstEndingAfter(kept, entity.start);
    const next = kept[at];
    if (next && next.start < entity.end) continue;
    kept.splice(at, 0, entity);
  }
  return { entities: kept, scanned };
}

/** Index of the first entity in `sorted` that ends after `offset`. */
function firstEndingAfter(sorted: Entity[], offset: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid]?.end ?? 0) <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
