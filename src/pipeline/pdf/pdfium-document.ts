/**
 * One PDF opened in PDFium: the file's bytes copied into PDFium's memory (it reads them lazily, so they
 * must live as long as the document), the document handle and its form-fill environment (needed to draw
 * AcroForm fields with their values). `close()` frees all three, in the order PDFium requires. Opening
 * failures become stage errors: a password (or a security handler PDFium lacks) → `pdf_encrypted`,
 * anything PDFium cannot parse → `corrupt_file`.
 */
import { StageError } from "../stage";
import { pdfiumHeap, type Pdfium } from "./pdfium";

/** FPDF_GetLastError() values (fpdfview.h). */
const FPDF_ERR = { unknown: 1, file: 2, format: 3, password: 4, security: 5, page: 6 } as const;

export interface PdfiumDocument {
  readonly pdfium: Pdfium;
  readonly doc: number;
  readonly form: number;
  close(): void;
}

export interface PdfiumOpenOptions {
  password?: string | undefined;
  /** Set up the form-fill environment (to draw AcroForm fields); text extraction does not need it. */
  forms: boolean;
}

export function openPdfiumDocument(
  pdfium: Pdfium,
  bytes: Uint8Array,
  options: PdfiumOpenOptions,
): PdfiumDocument {
  const { password } = options;
  const { wasmExports } = pdfium.pdfium;
  const data = wasmExports.malloc(Math.max(1, bytes.length));
  if (!data) throw new Error(`PDFium could not allocate ${bytes.length} bytes for the file`);
  pdfiumHeap().set(bytes, data);
  const doc = pdfium.FPDF_LoadMemDocument(data, bytes.length, password ?? "");
  if (!doc) {
    const code = pdfium.FPDF_GetLastError();
    wasmExports.free(data);
    throw openError(code, password !== undefined);
  }
  const formInfo = options.forms ? pdfium.PDFiumExt_OpenFormFillInfo() : 0;
  const form = formInfo ? pdfium.PDFiumExt_InitFormFillEnvironment(doc, formInfo) : 0;
  let closed = false;
  return {
    pdfium,
    doc,
    form,
    close() {
      if (closed) return;
      closed = true;
      if (form) pdfium.PDFiumExt_ExitFormFillEnvironment(form);
      if (formInfo) pdfium.PDFiumExt_CloseFormFillInfo(formInfo);
      pdfium.FPDF_CloseDocument(doc);
      wasmExports.free(data);
    },
  };
}

function openError(code: number, passwordGiven: boolean): StageError {
  switch (code) {
    case FPDF_ERR.password:
      return new StageError(
        "pdf_encrypted",
        passwordGiven ? "the PDF's password is not the one given" : "the PDF needs a password to open",
      );
    case FPDF_ERR.security:
      return new StageError(
        "pdf_encrypted",
        "the PDF is encrypted with a security handler that is not supported",
      );
    case FPDF_ERR.file:
    case FPDF_ERR.format:
      return new StageError("corrupt_file", "the PDF cannot be read: it is not a PDF or it is damaged");
    default:
      return new StageError("corrupt_file", `the PDF cannot be read (PDFium error ${code})`);
  }
}
