/**
 * API key material. A key is `sk_live_` followed by 40 random base62 characters (238 bits), so it is
 * recognisable in logs and secret scanners, and only its SHA-256 is stored. The first 12 characters
 * are kept as a display prefix to tell keys apart.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_CHARS = 40;
export const KEY_PREFIX = "sk_live_";
export const DISPLAY_PREFIX_LENGTH = 12;

export function generateApiKey(): string {
  const chars: string[] = [];
  // Rejection sampling keeps every character uniformly likely (256 is not a multiple of 62).
  while (chars.length < RANDOM_CHARS) {
    for (const byte of crypto.getRandomValues(new Uint8Array(64))) {
      if (byte < 248 && chars.length < RANDOM_CHARS) chars.push(ALPHABET[byte % 62] ?? "");
    }
  }
  return KEY_PREFIX + chars.join("");
}
