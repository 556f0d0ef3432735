/**
 * Content sniffing: what a file really is, decided from its first bytes, never from its name or the
 * declared content type. Works on a prefix (the first few KiB) so uploads can sniff while streaming.
 * Given more than `SNIFF_BYTES`, it looks at the first `SNIFF_BYTES` only, so a prefix and the whole
 * file always get the same answer. Recognises PDF, JPEG, PNG, GIF and WebP by their signatures, and
 * text: UTF-8, UTF-16 with a byte order mark or with the NUL-byte pattern of mostly-ASCII UTF-16, and
 * text in a legacy encoding (Latin-1, Windows-1252, Shift_JIS, …) when the bytes have no NULs and
 * almost no control characters. Which legacy encoding it is cannot be told from a prefix: the extract
 * stage detects it from the whole file and checks the result is plausible. Markup (HTML, XHTML, XML) is
 * text too, with an HTML or XML media type, so a saved login page named `.pdf` is never a PDF.
 */
export type SniffedKind = "pdf" | "image" | "text" | "empty" | "unknown";
export type ImageFormat = "jpeg" | "png" | "gif" | "webp";
/** `legacy`: not UTF-8/16; the encoding is detected from the whole file when it is decoded. */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "legacy";

export interface Sniffed {
  kind: SniffedKind;
  /** The media type the bytes show, e.g. `application/pdf`, `image/png`, `text/plain`. */
  mime: string;
  image?: ImageFormat;
  text?: { encoding: TextEncoding; bom: boolean };
}

/** How many leading bytes `sniff` looks at; callers streaming an upload buffer this much first. */
export const SNIFF_BYTES = 8192;

/** Acrobat accepts `%PDF-` anywhere in the first 1024 bytes (mail headers, junk before it). */
const PDF_SEARCH_BYTES = 1024;

const IMAGE_MIME: Record<ImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
};

export function sniff(prefix: Uint8Array): Sniffed {
  const bytes = prefix.subarray(0, SNIFF_BYTES);
  if (bytes.byteLength === 0) return { kind: "empty", mime: "application/x-empty" };

  // Markup first: an HTML page that quotes "%PDF-1.7" near its top is still an HTML page.
  const text = sniffText(bytes);
  if (text?.markup) return { kind: "text", mime: text.markup, text: text.encoding };

  if (indexOf(bytes, PDF_MAGIC, PDF_SEARCH_BYTES) >= 0) return { kind: "pdf", mime: "application/pdf" };

  const image = sniffImage(bytes);
  if (image) return { kind: "image", mime: IMAGE_MIME[image], image };

  if (text) return { kind: "text", mime: "text/plain", text: text.encoding };
  return { kind: "unknown", mime: "application/octet-stream" };
}

const PDF_MAGIC = ascii("%PDF-");

function sniffImage(b: Uint8Array): ImageFormat | undefined {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) return "gif";
  if (startsWith(b, ascii("RIFF")) && startsWith(b.subarray(8), ascii("WEBP"))) return "webp";
  return undefined;
}

interface TextSniff {
  encoding: { encoding: TextEncoding; bom: boolean };
  /** `text/html` or `text/xml` when the text starts like markup. */
  markup?: string;
}

function sniffText(b: Uint8Array): TextSniff | undefined {
  let encoding: { encoding: "utf-8" | "utf-16le" | "utf-16be"; bom: boolean };
  let body: Uint8Array;
  if (startsWith(b, [0xef, 0xbb, 0xbf])) {
    encoding = { encoding: "utf-8", bom: true };
    body = b.subarray(3);
  } else if (startsWith(b, [0xff, 0xfe])) {
    // FF FE 00 00 is the UTF-32LE byte order mark, which nothing here decodes.
    if (startsWith(b, [0xff, 0xfe, 0x00, 0x00])) return undefined;
    encoding = { encoding: "utf-16le", bom: true };
    body = b.subarray(2);
  } else if (startsWith(b, [0xfe, 0xff])) {
    encoding = { encoding: "utf-16be", bom: true };
    body = b.subarray(2);
  } else {
    encoding = { encoding: "utf-8", bom: false };
    body = b;
  }

  let head: string;
  if (encoding.encoding === "utf-8") {
    if (body.includes(0) || !isUtf8Prefix(body)) {
      if (encoding.bom) return undefined;
      return utf16WithoutBom(body) ?? legacyText(body);
    }
    head = new TextDecoder("utf-8").decode(body.subarray(0, 1024));
  } else {
    // With a BOM, UTF-16 is text unless it holds a NUL character, which only binary data does.
    // (Without one, only the NUL pattern of mostly-ASCII UTF-16 is recognised: utf16WithoutBom.)
    const decoded = decodeUtf16Prefix(body, encoding.encoding);
    if (decoded === undefined || decoded.includes("\0")) return undefined;
    head = decoded.slice(0, 1024);
  }
  const markup = markupType(head);
  return markup ? { encoding, markup } : { encoding };
}

/**
 * UTF-16 without a byte order mark, recognised by its NUL bytes: text that is mostly ASCII has a NUL
 * in every other byte (the high byte of each unit), on the odd positions for little-endian and the even
 * ones for big-endian, while the other positions are almost never NUL. Confirmed by a strict decode.
 */
function utf16WithoutBom(b: Uint8Array): TextSniff | undefined {
  const units = Math.floor(b.byteLength / 2);
  if (units < 8) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < units * 2; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  const encoding =
    oddNul > units * 0.4 && evenNul < units * 0.02
      ? "utf-16le"
      : evenNul > units * 0.4 && oddNul < units * 0.02
        ? "utf-16be"
        : undefined;
  if (!encoding) return undefined;
  const decoded = decodeUtf16Prefix(b, encoding);
  if (decoded === undefined || decoded.includes("\0") || controlShare(decoded) > 0.01) return undefined;
  const markup = markupType(decoded.slice(0, 1024));
  return { encoding: { encoding, bom: false }, ...(markup ? { markup } : {}) };
}

/**
 * Text in some 8-bit or multibyte legacy encoding: no NUL bytes, and at most 1% C0 control bytes (tab,
 * line breaks, form feed, escape and the DOS end-of-file mark excepted). Binary data has a NUL or many
 * control bytes within a few KiB; text in any ASCII-compatible encoding has neither.
 */
function legacyText(b: Uint8Array): TextSniff | undefined {
  if (b.includes(0)) return undefined;
  let controls = 0;
  for (const byte of b) if (isStrayControl(byte)) controls++;
  if (controls > b.byteLength * 0.01) return undefined;
  // Markup is ASCII in every encoding this covers; Latin-1 shows it as well as any.
  const markup = markupType(new TextDecoder("windows-1252").decode(b.subarray(0, 1024)));
  return { encoding: { encoding: "legacy", bom: false }, ...(markup ? { markup } : {}) };
}

/** C0 controls other than tab, LF, VT, FF, CR, SUB (0x1A) and ESC (0x1B), and DEL. */
function isStrayControl(code: number): boolean {
  return (code < 0x20 && !(code >= 0x09 && code <= 0x0d) && code !== 0x1a && code !== 0x1b) || code === 0x7f;
}

function controlShare(text: string): number {
  if (text.length === 0) return 0;
  let controls = 0;
  for (let i = 0; i < text.length; i++) if (isStrayControl(text.charCodeAt(i))) controls++;
  return controls / text.length;
}

/**
 * Strict UTF-8 validation of a prefix: a multi-byte sequence cut off by the end of the prefix is
 * accepted (the rest of it is beyond what was read); anything else malformed is not UTF-8.
 */
function isUtf8Prefix(b: Uint8Array): boolean {
  const cut = incompleteTail(b);
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(b.subarray(0, b.byteLength - cut));
    return true;
  } catch {
    return false;
  }
}

/** How many trailing bytes form the start of a UTF-8 sequence that the prefix cuts short (0-3). */
function incompleteTail(b: Uint8Array): number {
  // Walk back over at most three continuation bytes to the lead byte of the last sequence.
  for (let back = 1; back <= Math.min(4, b.byteLength); back++) {
    const byte = b[b.byteLength - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

function decodeUtf16Prefix(b: Uint8Array, encoding: "utf-16le" | "utf-16be"): string | undefined {
  // Drop an odd last byte, and a high surrogate the prefix cut from its low half.
  let end = b.byteLength - (b.byteLength % 2);
  if (end >= 2) {
    const last = encoding === "utf-16le" ? (b[end - 1] ?? 0) : (b[end - 2] ?? 0);
    if (last >= 0xd8 && last <= 0xdb) end -= 2;
  }
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(b.subarray(0, end));
  } catch {
    return undefined;
  }
}

/** Tag names the WHATWG MIME sniffing standard treats as the start of an HTML document. */
const HTML_START =
  /^\s*(?:<!doctype\s+html|<(?:html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p)[\s>/]|<!--)/i;

function markupType(head: string): string | undefined {
  if (HTML_START.test(head)) return "text/html";
  if (/^\s*<\?xml[\s?]/i.test(head)) {
    // XHTML carries an XML prolog; it is still an HTML page.
    return /<!doctype\s+html|<html[\s>]/i.test(head) ? "text/html" : "text/xml";
  }
  return undefined;
}

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

function startsWith(b: Uint8Array, signature: readonly number[]): boolean {
  return b.byteLength >= signature.length && signature.every((byte, i) => b[i] === byte);
}

function indexOf(b: Uint8Array, needle: readonly number[], within: number): number {
  const last = Math.min(b.byteLength, within) - needle.length;
  for (let i = 0; i <= last; i++) {
    if (needle.every((byte, j) => b[i + j] === byte)) return i;
  }
  return -1;
}
