/**
 * Opening a PDF with unpdf's serverless build of pdf.js, shared by the stages that read PDFs, and the
 * translation of pdf.js's errors into stage errors: a password → `pdf_encrypted`, a file pdf.js cannot
 * parse → `corrupt_file`, anything else (out of memory, a bug) left transient.
 */
import { definePDFJSModule } from "unpdf";
import * as pdfjs from "unpdf/pdfjs";
import { StageError } from "../stage";

export type PdfDocument = pdfjs.PDFDocumentProxy;

// Registered with the statically imported module: otherwise unpdf imports pdf.js lazily on first use,
// which costs 1-4 s inside the first request that needs it.
const pdfjsReady = definePDFJSModule(() => Promise.resolve(pdfjs));

/**
 * Opens the document with pdf.js's `getDocument` (what unpdf's `getDocumentProxy` wraps, with the same
 * `useSystemFonts` default) so that the loading task stays in hand: when opening fails, it is destroyed
 * too, instead of leaving pdf.js's in-process worker and a copy of the bytes behind in the isolate.
 */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  await pdfjsReady;
  const task = pdfjs.getDocument({
    // pdf.js transfers (detaches) the buffer it is given: hand it a copy, the caller keeps its bytes.
    data: bytes.slice(),
    useSystemFonts: true,
    // Warnings ("Indexing all PDF objects", unknown fonts) are about the input, not actionable here.
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    // Decoded images come back as plain pixel arrays (there is no canvas in a Worker).
    isOffscreenCanvasSupported: false,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw asPdfInputError(error);
  }
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

export function asPdfInputError(error: unknown, where?: string): unknown {
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
