/**
 * Client-supplied file names are shown back to users but never used as storage keys. Normalising
 * them keeps listings readable and safe to display: only the last path segment is kept, control and
 * bidirectional-override characters are removed, and the length is capped.
 */
const MAX_NAME_CODE_POINTS = 255;
const FALLBACK_NAME = "upload";

// Control characters, and the Unicode bidi embeddings/overrides/isolates that can disguise an
// extension ("invoice\u202Efdp.exe" displays as "invoiceexe.pdf").
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function normalizeFileName(raw: string | null | undefined): string {
  if (!raw) return FALLBACK_NAME;
  const lastSegment = raw.split(/[/\\]/).pop() ?? "";
  const cleaned = lastSegment.normalize("NFC").replace(UNSAFE, "").trim();
  if (cleaned === "" || cleaned === "." || cleaned === "..") return FALLBACK_NAME;
  const codePoints = Array.from(cleaned);
  if (codePoints.length <= MAX_NAME_CODE_POINTS) return cleaned;
  // Keep the extension when cutting a long name, so the file still says what it is.
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : "";
  return Array.from(cleaned.slice(0, cleaned.length - extension.length))
    .slice(0, MAX_NAME_CODE_POINTS - Array.from(extension).length)
    .join("")
    .concat(extension);
}
