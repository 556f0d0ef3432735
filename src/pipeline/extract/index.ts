/**
 * The extract stage: what a file says, as text and facts. It dispatches on the sniffed kind: PDFs give
 * their text layer (page by page) and metadata, text files their decoded text (HTML reduced to what a
 * reader sees), images the facts of their header. Text goes to the stage's "text" output and the result links it; the result itself
 * stays small. Every result has `format` ("pdf" | "text" | "image") and `characters` (0 for images).
 * Empty files fail as `empty_file`, unrecognised content as `unsupported_type`.
 */
import { StageError, type Stage } from "../stage";
import { extractImage } from "./image";
import { extractPdf } from "./pdf";
import { extractText } from "./text";

export const extractStage: Stage = {
  name: "extract",
  async run(input) {
    const { kind, mime } = input.sniffed;
    switch (kind) {
      case "pdf":
        return { status: "completed", result: await extractPdf(input) };
      case "text":
        return { status: "completed", result: await extractText(input) };
      case "image":
        return { status: "completed", result: extractImage(input) };
      case "empty":
        throw new StageError("empty_file", "the file is empty (0 bytes)");
      case "unknown":
        throw new StageError(
          "unsupported_type",
          `the content is not a supported type (${mime}); supported: PDF, JPEG, PNG, GIF, WebP, and text ` +
            "(UTF-8, UTF-16, Windows-1252/Latin-1, Shift_JIS and other CJK encodings)",
        );
    }
  },
};
