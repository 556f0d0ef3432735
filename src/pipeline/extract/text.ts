/**
 * Text extraction for text files. The bytes are decoded without blind guessing (text/decode.ts: BOM,
 * strict UTF-8, UTF-16, then a declared or detected legacy encoding such as Windows-1252 or Shift_JIS,
 * checked for plausibility), HTML is reduced to the text a reader sees (text/html.ts), and CSV, Markdown
 * and plain text are kept as written. The decoded text is the stage's "text" output; the result says
 * which encoding was used and how it was decided.
 */
import { StageError, type JsonObject, type StageInput } from "../stage";
import { decodeText } from "../text/decode";
import { htmlToText } from "../text/html";
import { countCharacters, countLines } from "./text-stats";

/** What kind of text a file holds, from its sniffed markup, declared type and name. */
export type TextKind = "html" | "xml" | "csv" | "markdown" | "plain";

export async function extractText(input: StageInput): Promise<JsonObject> {
  const decoded = decodeText(input.bytes, input.sniffed);
  const kind = textKind(input);
  let text = decoded.text;
  let title: string | null = null;
  let lang: string | null = null;
  if (kind === "html") {
    ({ text, title, lang } = htmlToText(decoded.text));
  }
  if (strayControls(text) > Math.max(8, text.length / 100)) {
    // Real text has (almost) none of these: the file is binary data that passed for text.
    throw new StageError("unsupported_type", "the content is not text (it is full of control characters)");
  }
  const ref = await input.outputs.write("text", text, "text/plain; charset=utf-8");
  const result: JsonObject = {
    format: "text",
    textKind: kind,
    encoding: decoded.encoding,
    bom: decoded.bom,
    encodingDetection: decoded.detection,
    mime: mimeOf(kind, input.sniffed.mime),
    characters: countCharacters(text),
    lines: countLines(text),
    outputs: { text: ref.url },
  };
  if (decoded.confidence !== undefined) result["encodingConfidence"] = decoded.confidence;
  if (kind === "html") result["metadata"] = { ...(title ? { title } : {}), ...(lang ? { lang } : {}) };
  return result;
}

function textKind(input: StageInput): TextKind {
  if (input.sniffed.mime === "text/html") return "html";
  if (input.sniffed.mime === "text/xml") return "xml";
  const declared = input.file.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const extension = /\.([a-z0-9]+)$/i.exec(input.file.name)?.[1]?.toLowerCase() ?? "";
  if (declared === "text/csv" || extension === "csv") return "csv";
  if (declared === "text/markdown" || extension === "md" || extension === "markdown") return "markdown";
  return "plain";
}

function mimeOf(kind: TextKind, sniffedMime: string): string {
  switch (kind) {
    case "csv":
      return "text/csv";
    case "markdown":
      return "text/markdown";
    default:
      return sniffedMime;
  }
}

/** Control characters other than tab, line breaks, form feed, SUB and ESC (C0, DEL and C1). */
function strayControls(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const allowed = (code >= 0x09 && code <= 0x0d) || code === 0x1a || code === 0x1b;
    if ((code < 0x20 && !allowed) || (code >= 0x7f && code <= 0x9f)) count++;
  }
  return count;
}
