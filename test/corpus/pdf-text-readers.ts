/**
 * The two PDF text readers the PDF bench compares, reduced to the same job (every page's text, one page
 * at a time, pages joined with "\f"): pdf.js as the extract stage reads it (getTextContent per page,
 * then cleanup), and PDFium's text API (FPDFText per page, every handle freed). Neither collects links
 * or metadata, so the figures compare text reading alone.
 */
import { openPdf } from "../../src/pipeline/pdf/open";
import { loadPdfium, pdfiumHeap } from "../../src/pipeline/pdf/pdfium";
import { openPdfiumDocument } from "../../src/pipeline/pdf/pdfium-document";

export async function pdfjsText(bytes: Uint8Array): Promise<string[]> {
  const doc = await openPdf(bytes);
  try {
    const pages: string[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      const page = await doc.getPage(number);
      try {
        let text = "";
        for (const item of (await page.getTextContent()).items) {
          if ("str" in item) text += item.hasEOL ? `${item.str}\n` : item.str;
        }
        pages.push(text);
      } finally {
        page.cleanup();
      }
    }
    return pages;
  } finally {
    await doc.loadingTask.destroy();
  }
}

const utf16 = new TextDecoder("utf-16le");

export async function pdfiumText(bytes: Uint8Array, password?: string): Promise<string[]> {
  const pdfium = await loadPdfium();
  const document = openPdfiumDocument(pdfium, bytes, { password, forms: false });
  try {
    const pages: string[] = [];
    const count = pdfium.FPDF_GetPageCount(document.doc);
    for (let index = 0; index < count; index++) {
      const page = pdfium.FPDF_LoadPage(document.doc, index);
      if (!page) throw new Error(`PDFium cannot load page ${index + 1}`);
      const textPage = pdfium.FPDFText_LoadPage(page);
      try {
        const chars = textPage ? pdfium.FPDFText_CountChars(textPage) : 0;
        if (chars <= 0) {
          pages.push("");
          continue;
        }
        const buffer = pdfium.pdfium.wasmExports.malloc((chars + 1) * 2);
        try {
          const written = pdfium.FPDFText_GetText(textPage, 0, chars, buffer);
          // `written` counts the terminating NUL.
          pages.push(utf16.decode(pdfiumHeap().slice(buffer, buffer + Math.max(0, written - 1) * 2)));
        } finally {
          pdfium.pdfium.wasmExports.free(buffer);
        }
      } finally {
        if (textPage) pdfium.FPDFText_ClosePage(textPage);
        pdfium.FPDF_ClosePage(page);
      }
    }
    return pages;
  } finally {
    document.close();
  }
}
