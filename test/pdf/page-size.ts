/**
 * Page sizes as pdfinfo states them in the fixtures' manifest ("612 x 792 pts (letter)"), so tests
 * compare PDFium's geometry with an independent tool's.
 */
import { manifest } from "../helpers/fixtures";

export async function pdfinfoPageSize(path: string): Promise<{ widthPt: number; heightPt: number }> {
  const stated = (await manifest(path)).expected.pdf?.page_size_first;
  const match = /^([\d.]+) x ([\d.]+) pts/.exec(stated ?? "");
  if (!match) throw new Error(`no page size in the manifest for ${path}`);
  return { widthPt: Number(match[1]), heightPt: Number(match[2]) };
}
