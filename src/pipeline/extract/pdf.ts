/**
 * Text and metadata of a PDF, with unpdf's serverless build of pdf.js. The text is read one page at a
 * time and each page's resources are released before the next (pdf.js keeps every page it has loaded,
 * and a whole-document read breaks a 128 MB isolate somewhere past 300-600 pages). Pages are joined
 * with a form feed ("\f") so that page boundaries can be recovered from the stored "text" output.
 * Input problems become `StageError`s: a password → `pdf_encrypted`, more pages than the limit →
 * `too_many_pages` (checked before any text is read), anything pdf.js cannot parse → `corrupt_file`.
 */
import { definePDFJSModule, getMeta } from "unpdf";
import * as pdfjs from "unpdf/pdfjs";
import { StageError, type JsonObject, type StageInput } from "../stage";
import { countCharacters } from "./text-stats";

type PdfDocument = pdfjs.PDFDocumentProxy;

// Registered with the statically imported module: otherwise unpdf imports pdf.js lazily on first use,
// which costs 1-4 s inside the first request that needs it.
const pdfjsReady = definePDFJSModule(() => Promise.resolve(pdfjs));

/** The separator between pages in the "text" output. */
export const PAGE_SEPARATOR = "\f";

export async function extractPdf(input: StageInput): Promise<JsonObject> {
  await pdfjsReady;
  const doc = await openPdf(input.bytes);
  try {
    const pageCount = doc.numPages;
    if (pageCount > input.limits.maxPdfPages) {
      throw new StageError(
        "too_many_pages",
        `the PDF has ${pageCount} pages; at most ${input.limits.maxPdfPages} pages are processed`,
      );
    }
    const metadata = await readMetadata(doc);
    const pages = await readPageTexts(doc);
    const text = pages.join(PAGE_SEPARATOR);
    const pagesWithText = pages.filter((page) => /\S/.test(page)).length;
    const ref = await input.outputs.write("text", text, "text/plain; charset=utf-8");
    return {
      format: "pdf",
      pageCount,
      characters: countCharacters(text),
      hasTextLayer: pagesWithText > 0,
      pagesWithText,
      metadata,
      outputs: { text: ref.url },
    };
  } finally {
    await doc.loadingTask.destroy();
  }
}

/**
 * Opens the document with pdf.js's `getDocument` (what unpdf's `getDocumentProxy` wraps, with the same
 * `useSystemFonts` default) so that the loading task stays in hand: when opening fails, it is destroyed
 * too, instead of leaving pdf.js's in-process worker and a copy of the bytes behind in the isolate.
 */
async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const task = pdfjs.getDocument({
    // pdf.js transfers (detaches) the buffer it is given: hand it a copy, the caller keeps its bytes.
    data: bytes.slice(),
    useSystemFonts: true,
    // Warnings ("Indexing all PDF objects", unknown fonts) are about the input, not actionable here.
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw asPdfInputError(error);
  }
}

async function readPageTexts(doc: PdfDocument): Promise<string[]> {
  const pages: string[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    try {
      const page = await doc.getPage(number);
      try {
        const content = await page.getTextContent();
        let text = "";
        for (const item of content.items) {
          if ("str" in item) text += item.hasEOL ? `${item.str}\n` : item.str;
        }
        pages.push(text);
      } finally {
        page.cleanup();
      }
    } catch (error) {
      throw asPdfInputError(error, `page ${number}`);
    }
  }
  return pages;
}

const INFO_FIELDS = {
  Title: "title",
  Author: "author",
  Subject: "subject",
  Creator: "creator",
  Producer: "producer",
  CreationDate: "creationDate",
  ModDate: "modificationDate",
} as const;

/** The document information dictionary's fields that are present and non-empty; dates as ISO strings. */
async function readMetadata(doc: PdfDocument): Promise<JsonObject> {
  let info: Record<string, unknown>;
  try {
    ({ info } = await getMeta(doc));
  } catch (error) {
    throw asPdfInputError(error, "metadata");
  }
  const metadata: JsonObject = {};
  for (const [key, field] of Object.entries(INFO_FIELDS)) {
    const value = info[key];
    if (typeof value !== "string" || value.trim() === "") continue;
    metadata[field] = key.endsWith("Date") ? pdfDate(value) : value.trim();
  }
  return metadata;
}

/** A PDF date ("D:20090310120000+01'00'") as an ISO string, or as written when it does not parse. */
function pdfDate(value: string): string {
  const date = pdfjs.PDFDateString.toDateObject(value);
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : value.trim();
}

/**
 * pdf.js errors that mean "this input cannot be read". They reach us re-created by name across
 * pdf.js's (in-process) worker boundary, so they are matched by name, not by class; errors the core
 * does not name (FormatError, XRefParseException, …) arrive as UnknownErrorException.
 */
const CORRUPT_PDF_ERRORS = new Set([
  "InvalidPDFException",
  "FormatError",
  "UnknownErrorException",
  "XRefParseException",
]);

function asPdfInputError(error: unknown, where?: string): unknown {
  if (!(error instanceof Error)) return error;
  const context = where ? ` (${where})` : "";
  if (error.name === "PasswordException") {
    return new StageError("pdf_encrypted", `the PDF needs a password to open${context}`);
  }
  if (CORRUPT_PDF_ERRORS.has(error.name)) {
    return new StageError("corrupt_file", `the PDF cannot be read${context}: ${error.message}`);
  }
  // Anything else (out of memory, a bug) is not known to be the input's fault: let it be retried.
  return error;
}
