/**
 * Phone numbers, found and validated with libphonenumber-js (a port of Google's libphonenumber, with
 * its full metadata so that only numbers valid for their country are reported). Numbers written with a
 * country code are recognised everywhere; numbers without one are read as numbers of the country the
 * document's language suggests (German → DE, French → FR, …, English → US), the usual default region,
 * and only where the text says it is a phone number ("Tel.", "phone", "Fax", "☎", … just before it):
 * a national number is just digits, and in running text most such digits are quantities, not phones.
 */
import { findPhoneNumbersInText, type CountryCode } from "libphonenumber-js/max";
import type { Entity } from "./types";

const REGION_BY_LANGUAGE: Record<string, CountryCode> = {
  en: "US",
  de: "DE",
  fr: "FR",
  es: "ES",
  it: "IT",
  nl: "NL",
  pt: "PT",
  pl: "PL",
  cs: "CZ",
  sv: "SE",
  da: "DK",
  ja: "JP",
  zh: "CN",
};

/** Words that announce a phone number, in the languages analyze knows best. */
const PHONE_CUE =
  /(?:tel|tél|telefon|telephone|téléphone|teléfono|phone|fon|fax|mobil|mobile|móvil|portable|handy|cell|call|ruf|appel|llam|tlf|☎|📞)[^\n\d]{0,12}$/iu;

export function findPhones(text: string, language: string | null): Entity[] {
  const region = language ? REGION_BY_LANGUAGE[language] : undefined;
  const found = findPhoneNumbersInText(text, region ? { defaultCountry: region } : {});
  return found
    .filter((match) => match.number.isValid())
    .filter((match) => {
      const written = text.slice(match.startsAt, match.startsAt + 2);
      if (written.startsWith("+") || written.startsWith("00")) return true;
      if (/^\(\d{2,5}\)\s?\d/.test(text.slice(match.startsAt, match.endsAt))) return true; // "(415) 555-2671"
      return PHONE_CUE.test(text.slice(Math.max(0, match.startsAt - 24), match.startsAt));
    })
    .map((match) => {
      // The finder's end can run past the number into what follows (", 5. Mai"): a phone number never
      // holds a comma or semicolon, and ends with a digit.
      const raw = text.slice(match.startsAt, match.endsAt);
      const trimmed = raw.split(/[,;]/)[0]?.replace(/[^\d)]+$/u, "") ?? raw;
      return {
        kind: "phone",
        text: trimmed,
        start: match.startsAt,
        end: match.startsAt + trimmed.length,
        value: match.number.number,
      };
    });
}
