/**
 * Does a declared content type fit the bytes? The bytes are sniffed (src/pipeline/sniff.ts); the
 * declared type names a family (PDF, image, text) that the sniffed kind must belong to. A declared
 * `image/png` that is really HTML, a ZIP archive or a PDF is refused; a JPEG declared as `image/png`
 * is still an image and is accepted (and recorded as what it really is). Types Sluice cannot check
 * (archives, office documents, media, and curl's default `application/x-www-form-urlencoded`) are
 * accepted as they are: the recorded type still comes from the bytes when they are a PDF or an image.
 */
import type { Sniffed } from "../pipeline/sniff";

type Family = "pdf" | "image" | "text" | "unchecked" | "none";

function familyOf(declared: string): Family {
  if (declared === "application/octet-stream") return "none";
  if (declared === "application/pdf" || declared === "application/x-pdf") return "pdf";
  if (declared.startsWith("image/")) return "image";
  if (
    declared.startsWith("text/") ||
    declared === "application/json" ||
    declared === "application/xml" ||
    declared === "application/xhtml+xml" ||
    declared.endsWith("+json") ||
    declared.endsWith("+xml")
  ) {
    return "text";
  }
  return "unchecked";
}

/** Why the bytes do not fit the declared type, or null when they do (or nothing was claimed). */
export function typeMismatch(declared: string | null, sniffed: Sniffed): string | null {
  if (declared === null || sniffed.kind === "empty") return null;
  const family = familyOf(declared);
  const fits = family === "none" || family === "unchecked" || family === sniffed.kind;
  if (fits) return null;
  const what = sniffed.kind === "unknown" ? "bytes of no recognised type" : `${sniffed.mime} bytes`;
  return `declared ${declared}, but the content is ${what}`;
}
