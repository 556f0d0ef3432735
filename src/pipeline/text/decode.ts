/**
 * Turns a text file's bytes into a string without ever guessing blindly. In order:
 *  1. a byte order mark decides (UTF-8, UTF-16LE/BE);
 *  2. bytes that are valid UTF-8 are UTF-8 (strict decode of the whole file, not just the prefix);
 *  3. UTF-16 without a BOM when sniffing saw its NUL-byte pattern (strict decode);
 *  4. otherwise a legacy encoding, and only one we can vouch for:
 *     - the charset an HTML/XML file declares, if the bytes decode strictly and plausibly in it;
 *     - a CJK multibyte encoding (Shift_JIS, EUC-JP, GB18030, Big5, EUC-KR) when the `chardet`
 *       statistical detector ranks it first with at least 50% confidence, the runtime decodes the bytes
 *       strictly in it (multibyte encodings reject invalid sequences) and the result is CJK text (for
 *       the Japanese encodings, with kana: kanji-only output is what Latin bytes turn into);
 *     - Windows-1252 (the superset of Latin-1 that every browser uses for unlabelled Western text) when
 *       the text is plausible in it: no bytes it leaves undefined, the non-ASCII characters nearly all
 *       Latin letters, and no runs of four accented letters in a row (Cyrillic or Greek bytes read as
 *       Latin-1 look like that).
 * Other single-byte code pages (Windows-1250/1251, KOI8-R, ISO-8859-x) are not accepted: on mostly-ASCII
 * text they cannot be told apart from Latin-1 reliably. When nothing passes, the stage fails with
 * `unsupported_encoding` naming the detector's best guess, instead of storing text the file does not say.
 */
import chardet from "chardet";
import type { Sniffed } from "../sniff";
import { StageError } from "../stage";

export interface DecodedText {
  text: string;
  /** The WHATWG name of the encoding used (`utf-8`, `utf-16le`, `shift_jis`, `windows-1252`, …). */
  encoding: string;
  bom: boolean;
  /** How the encoding was decided. */
  detection: "bom" | "utf-8" | "utf-16-pattern" | "declared" | "detected";
  /** chardet's confidence (0-1) when the encoding was detected statistically. */
  confidence?: number;
}

/** chardet reads at most this much (its confidence settles long before). */
const DETECTION_SAMPLE_BYTES = 256 * 1024;
/** Candidates below this confidence (chardet's 0-100 scale) are not considered at all. */
const MIN_CONFIDENCE = 10;
/** A CJK encoding is used only when chardet ranks it first with at least this confidence. */
const MIN_CJK_CONFIDENCE = 50;

const CJK_ENCODINGS = new Set(["shift_jis", "euc-jp", "iso-2022-jp", "gb18030", "gbk", "big5", "euc-kr"]);

export function decodeText(bytes: Uint8Array, sniffed: Sniffed): DecodedText {
  const sniffedEncoding = sniffed.text?.encoding ?? "utf-8";
  const bom = sniffed.text?.bom ?? false;
  if (sniffedEncoding === "utf-16le" || sniffedEncoding === "utf-16be") {
    const text = strictDecode(bytes, sniffedEncoding);
    if (text === undefined) {
      throw new StageError(
        "unsupported_encoding",
        `the file looked like ${sniffedEncoding.toUpperCase()} text but is not valid ${sniffedEncoding.toUpperCase()}`,
      );
    }
    return { text, encoding: sniffedEncoding, bom, detection: bom ? "bom" : "utf-16-pattern" };
  }
  if (sniffedEncoding === "utf-8") {
    const text = strictDecode(bytes, "utf-8");
    if (text !== undefined) return { text, encoding: "utf-8", bom, detection: bom ? "bom" : "utf-8" };
    // Valid UTF-8 in the sniffed prefix, invalid later: a legacy file that starts with plain ASCII.
    if (bom) {
      throw new StageError(
        "unsupported_encoding",
        "the file has a UTF-8 byte order mark but is not valid UTF-8",
      );
    }
  }
  return decodeLegacy(bytes, sniffed.mime);
}

function decodeLegacy(bytes: Uint8Array, mime: string): DecodedText {
  const declared = mime === "text/html" || mime === "text/xml" ? declaredCharset(bytes) : undefined;
  const declaredLabel = declared ? whatwgLabel(declared) : undefined;
  if (declaredLabel) {
    const text = plausibleDecode(bytes, declaredLabel);
    if (text !== undefined) return { text, encoding: declaredLabel, bom: false, detection: "declared" };
  }
  const candidates = chardet
    .analyse(bytes.subarray(0, DETECTION_SAMPLE_BYTES))
    .filter((match) => match.confidence >= MIN_CONFIDENCE && !match.name.startsWith("UTF"));
  const top = candidates[0];
  const topLabel = top ? whatwgLabel(top.name) : undefined;
  if (top && topLabel && CJK_ENCODINGS.has(topLabel) && top.confidence >= MIN_CJK_CONFIDENCE) {
    const text = plausibleDecode(bytes, topLabel);
    if (text !== undefined) {
      return {
        text,
        encoding: topLabel,
        bom: false,
        detection: "detected",
        confidence: top.confidence / 100,
      };
    }
  }
  const text = plausibleDecode(bytes, "windows-1252");
  if (text !== undefined) {
    const latin = candidates.find((match) => whatwgLabel(match.name) === "windows-1252");
    return {
      text,
      encoding: "windows-1252",
      bom: false,
      detection: "detected",
      ...(latin ? { confidence: latin.confidence / 100 } : {}),
    };
  }
  throw new StageError(
    "unsupported_encoding",
    "the text is neither UTF-8 nor UTF-16 and its encoding could not be determined" +
      (top ? ` (it may be ${top.name}, which is not supported)` : ""),
  );
}

/** The runtime's decoder name for a chardet encoding name, or undefined when the runtime lacks it. */
function whatwgLabel(name: string): string | undefined {
  try {
    return new TextDecoder(name.toLowerCase()).encoding;
  } catch {
    return undefined;
  }
}

function strictDecode(bytes: Uint8Array, label: string): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Decodes strictly and returns the text only when it reads like text in that encoding. */
function plausibleDecode(bytes: Uint8Array, encoding: string): string | undefined {
  if (encoding.startsWith("utf-")) return undefined;
  const text = strictDecode(bytes, encoding);
  if (text === undefined) return undefined;
  const cjk = CJK_ENCODINGS.has(encoding);
  let nonAscii = 0;
  let expected = 0;
  let kana = 0;
  let accentedRun = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) {
      accentedRun = 0;
      continue;
    }
    // C1 controls and U+FFFD mean bytes this encoding gives no meaning to.
    if (code <= 0x9f || code === 0xfffd) return undefined;
    nonAscii++;
    if (cjk) {
      if (CJK_TEXT.test(char)) expected++;
      if (KANA.test(char)) kana++;
    } else if (LATIN_LETTER.test(char)) {
      expected++;
      if (++accentedRun >= 4) return undefined;
    } else accentedRun = 0;
  }
  if (nonAscii === 0) return text;
  if (cjk) {
    const japanese = encoding === "shift_jis" || encoding === "euc-jp" || encoding === "iso-2022-jp";
    return expected / nonAscii >= 0.9 && (!japanese || kana / nonAscii >= 0.1) ? text : undefined;
  }
  return expected / nonAscii >= 0.7 ? text : undefined;
}

const CJK_TEXT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef\u2010-\u203b\u2190-\u21ff\u2500-\u25ff]/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LATIN_LETTER = /\p{Script=Latin}/u;

/** The charset an HTML `<meta>` or an XML declaration names in the first 1024 bytes. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("windows-1252").decode(bytes.subarray(0, 1024));
  const match =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return match?.[1];
}
