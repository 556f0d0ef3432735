/** Secret comparison that takes the same time wherever two values differ. */
import { sha256Hex } from "../storage/api-keys-repo";

/** Compares the digests (equal length whatever the inputs) with the runtime's constant-time compare. */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([sha256Hex(a), sha256Hex(b)]);
  const encoder = new TextEncoder();
  return crypto.subtle.timingSafeEqual(encoder.encode(left), encoder.encode(right));
}
