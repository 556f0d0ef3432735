/**
 * Text extraction for plain-text files (including HTML and XML, kept as written): decodes UTF-8 or
 * UTF-16 with a byte order mark, strictly, and stores the decoded text as the "text" output. Bytes that
 * are not valid in their encoding fail the stage as `unsupported_type`: silently replacing them would
 * store text that differs from the file. (A Latin-1 fallback for legacy 8-bit files is planned.)
 */
import type { TextEncoding } from "../sniff";
import { StageError, type JsonObject, type StageInput } from "../stage";
import { countCharacters, countLines } from "./text-stats";

export async function extractText(input: StageInput): Promise<JsonObject> {
  const encoding: TextEncoding = input.sniffed.text?.encoding ?? "utf-8";
  let text: string;
  try {
    // `ignoreBOM: false` (the default) drops a leading byte order mark from the text.
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(input.bytes);
  } catch {
    throw new StageError(
      "unsupported_type",
      `the file looked like ${encoding.toUpperCase()} text but is not valid ${encoding.toUpperCase()}; ` +
        "other text encodings are not supported yet",
    );
  }
  const ref = await input.outputs.write("text", text, "text/plain; charset=utf-8");
  return {
    format: "text",
    encoding,
    bom: input.sniffed.text?.bom ?? false,
    mime: input.sniffed.mime,
    characters: countCharacters(text),
    lines: countLines(text),
    outputs: { text: ref.url },
  };
}
