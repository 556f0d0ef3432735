/**
 * What arrived in R2 for an upload, checked against what the client declared. R2 presigned URLs cannot
 * limit the size or the content, so nothing a client sent straight to R2 becomes a file before this
 * passes: the object exists, its size is the declared size (and within the limit), its first bytes are
 * of the declared type's family, and its SHA-256 (computed here by streaming the object through
 * `crypto.DigestStream`, never holding it in memory) equals the declared one. The cheap checks run
 * first; the hash reads every byte, pinned to the ETag that was checked.
 */
import type { ErrorCode } from "../errors";
import { sniff, SNIFF_BYTES, type Sniffed } from "../pipeline/sniff";
import { typeMismatch } from "../files/type-family";

export interface Declared {
  size: number | null;
  sha256: string | null;
  contentType: string | null;
  maxBytes: number;
}

export type Verification =
  | { outcome: "missing" }
  | { outcome: "rejected"; code: ErrorCode; detail: string }
  | { outcome: "verified"; size: number; sha256: string; sniffed: Sniffed };

export async function verifyObject(bucket: R2Bucket, key: string, declared: Declared): Promise<Verification> {
  const head = await bucket.head(key);
  if (!head) return { outcome: "missing" };
  const reject = (code: ErrorCode, detail: string): Verification => ({ outcome: "rejected", code, detail });
  if (head.size === 0) return reject("empty_body", "the uploaded object is empty (0 bytes)");
  if (declared.size !== null && head.size !== declared.size) {
    return reject("upload_size_mismatch", `declared ${declared.size} bytes, but ${head.size} bytes arrived`);
  }
  if (head.size > declared.maxBytes) {
    return reject(
      "upload_too_large",
      `${head.size} bytes arrived; uploads can be at most ${declared.maxBytes}`,
    );
  }
  const onlyIf = { etagMatches: head.etag };

  const prefix = await bucket.get(key, {
    range: { offset: 0, length: Math.min(SNIFF_BYTES, head.size) },
    onlyIf,
  });
  if (!prefix || !("body" in prefix)) return { outcome: "missing" };
  const sniffed = sniff(new Uint8Array(await prefix.arrayBuffer()));
  const mismatch = typeMismatch(declared.contentType, sniffed);
  if (mismatch) return reject("upload_type_mismatch", mismatch);

  const whole = await bucket.get(key, { onlyIf });
  if (!whole || !("body" in whole)) return { outcome: "missing" };
  const digest = new crypto.DigestStream("SHA-256");
  await whole.body.pipeTo(digest);
  const sha256 = toHex(await digest.digest);
  if (declared.sha256 !== null && sha256 !== declared.sha256) {
    return reject(
      "upload_checksum_mismatch",
      `declared SHA-256 ${declared.sha256}, but the bytes hash to ${sha256}`,
    );
  }
  return { outcome: "verified", size: head.size, sha256, sniffed };
}

const toHex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
