/**
 * Text and metadata of a PDF, with unpdf's serverless build of pdf.js. The text is read one page at a
 * time and each page's resources are released before the next (pdf.js keeps every page it has loaded,
 * and a whole-document read breaks a 128 MB isolate somewhere past 300-600 pages). Pages are joined
 * with a form feed ("\f") so that page boundaries can be recovered from the stored "text" output (a
 * form feed inside a page's own text becomes a space). Per page it also notes whether there is a text
 * layer at all (a scan has none: the result says so instead of returning empty text silently) and
 * collects link targets from the page's annotations (measured: 15-25% of the extraction time of a
 * 196-page manual, for every URL the document links to).
 * Input problems become `StageError`s: a password → `pdf_encrypted`, more pages than the limit →
 * `too_many_pages` (checked before any text is read), anything pdf.js cannot parse → `corrupt_file`.
 */
import { getMeta } from "unpdf";
import * as pdfjs from "unpdf/pdfjs";
import { asPdfInputError, openPdf, type PdfDocument } from "../pdf/open";
import { StageError, type JsonObject, type StageInput } from "../stage";
import { countCharacters } from "./text-stats";
import { yieldToEventLoop } from "../../util/yield";

/** The separator between pages in the "text" output. */
export const PAGE_SEPARATOR = "\f";

/** At most this many distinct link targets and text-less page numbers are listed in the result. */
const MAX_LISTED = 100;

export async function extractPdf(input: StageInput): Promise<JsonObject> {
  const doc = await openPdf(input.bytes);
  try {
    const pageCount = doc.numPages;
    if (pageCount > input.limits.maxPdfPages) {
      throw new StageError(
        "too_many_pages",
        `the PDF has ${pageCount} pages; at most ${input.limits.maxPdfPages} pages are processed`,
      );
    }
    const { metadata, form } = await readMetadata(doc);
    const { pages, links } = await readPages(doc);
    const text = pages.join(PAGE_SEPARATOR);
    const withoutText = pages.flatMap((page, i) => (/[\p{L}\p{N}]/u.test(page) ? [] : [i + 1]));
    const pagesWithText = pageCount - withoutText.length;
    const ref = await input.outputs.write("text", text, "text/plain; charset=utf-8");
    const result: JsonObject = {
      format: "pdf",
      pageCount,
      characters: countCharacters(text),
      hasTextLayer: pagesWithText > 0,
      textLayer: pagesWithText === pageCount ? "full" : pagesWithText === 0 ? "none" : "partial",
      pagesWithText,
      pagesWithoutText: withoutText.slice(0, MAX_LISTED),
      metadata,
      form,
      links: links.slice(0, MAX_LISTED),
      linkCount: links.length,
      outputs: { text: ref.url },
    };
    if (pagesWithText === 0) {
      result["note"] =
        "the PDF has no text layer (a scan or pictures of text): it needs OCR, which this stage does not do";
    }
    return result;
  } finally {
    await doc.loadingTask.destroy();
  }
}

/** Every page's text and the distinct http(s)/mailto link targets, reading one page at a time. */
async function readPages(doc: PdfDocument): Promise<{ pages: string[]; links: string[] }> {
  const pages: string[] = [];
  const links = new Set<string>();
  for (let number = 1; number <= doc.numPages; number++) {
    try {
      const page = await doc.getPage(number);
      try {
        const content = await page.getTextContent();
        let text = "";
        for (const item of content.items) {
          if ("str" in item) text += item.hasEOL ? `${item.str}\n` : item.str;
        }
        pages.push(text.replaceAll(PAGE_SEPARATOR, " "));
        for (const annotation of (await page.getAnnotations()) as { subtype?: string; url?: string }[]) {
          if (annotation.subtype === "Link" && annotation.url && /^(https?|mailto):/i.test(annotation.url))
            links.add(annotation.url);
        }
      } finally {
        page.cleanup();
      }
    } catch (error) {
      throw asPdfInputError(error, `page ${number}`);
    }
    await yieldToEventLoop();
  }
  return { pages, links: [...links] };
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

/**
 * The document information dictionary's fields that are present and non-empty (dates as ISO strings),
 * and which kind of interactive form the PDF carries, if any.
 */
async function readMetadata(doc: PdfDocument): Promise<{ metadata: JsonObject; form: string | null }> {
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
  if (typeof info["PDFFormatVersion"] === "string") metadata["pdfVersion"] = info["PDFFormatVersion"];
  const form = info["IsXFAPresent"] === true ? "xfa" : info["IsAcroFormPresent"] === true ? "acroform" : null;
  return { metadata, form };
}

/** A PDF date ("D:20090310120000+01'00'") as an ISO string, or as written when it does not parse. */
function pdfDate(value: string): string {
  const date = pdfjs.PDFDateString.toDateObject(value);
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : value.trim();
}
