/** What the entity finders report: a kind, the matched text and where it is in the extracted text. */
export const ENTITY_KINDS = [
  "email",
  "url",
  "phone",
  "date",
  "money",
  "identifier",
  "iban",
  "credit_card",
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface Entity {
  kind: EntityKind;
  /** The text as it appears in the document. */
  text: string;
  /** Offsets into the extracted text (JavaScript string indices, end exclusive). */
  start: number;
  end: number;
  /** A normalised value: E.164 phone number, ISO date, amount, compact IBAN, the id itself. */
  value?: string;
  /** Money: ISO 4217 currency code. */
  currency?: string;
  /** Money: the amount as a number. */
  amount?: number;
  /** Identifiers: what the label calls it (invoice, order, subscription, customer, …). */
  label?: string;
}
