/**
 * The content type Sluice records for a file: what the bytes show when they show something we know
 * (a declared type never overrides real PDF or image bytes), refined by the declared type for text
 * formats that look alike (CSV, Markdown), and the declared type or octet-stream otherwise.
 */
import type { Sniffed } from "../pipeline/sniff";

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;

/** The essence (`type/subtype`, lower case) of a Content-Type header, or null when malformed. */
export function mediaTypeEssence(header: string | null | undefined): string | null {
  const essence = header?.split(";")[0]?.trim().toLowerCase();
  return essence && MEDIA_TYPE.test(essence) ? essence : null;
}

export function recordedContentType(sniffed: Sniffed, declared: string | null): string {
  if (sniffed.kind === "pdf" || sniffed.kind === "image") return sniffed.mime;
  if (sniffed.kind === "text") return declared?.startsWith("text/") ? declared : sniffed.mime;
  return declared ?? "application/octet-stream";
}
