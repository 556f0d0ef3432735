/**
 * Where the corpus sweep reads from: the shared corpus when it is on this machine, else the repository's
 * own fixtures (a subset of the same files with the same manifest lines) — said out loud, so a run
 * without the corpus is never mistaken for a full sweep.
 */
import { corpusAvailable, corpusFile, fixture, type ManifestEntry } from "../helpers/fixtures";

export interface CorpusEntry extends ManifestEntry {
  subkind?: string;
  special?: string;
  password?: string;
  expected: ManifestEntry["expected"] & {
    pdf?: { pages?: number; has_text_layer?: boolean; pdfinfo_without_password_ok?: boolean };
    image?: { frames?: number | null };
    text?: { encoding?: string; chars?: number; lines?: number; head_200?: string };
  };
}

export interface Source {
  name: "corpus" | "fixtures";
  entries: CorpusEntry[];
  read(path: string): Promise<Uint8Array>;
  /** pdftotext's text of a PDF (corpus only), or null. */
  reference(path: string): Promise<string | null>;
}

export async function openSource(): Promise<Source> {
  const present = await corpusAvailable();
  const read = present
    ? async (path: string) => {
        const bytes = await corpusFile(path);
        if (!bytes) throw new Error(`corpus file ${path} is missing`);
        return bytes;
      }
    : fixture;
  const manifestBytes = await read("manifest.jsonl");
  const entries = new TextDecoder()
    .decode(manifestBytes)
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CorpusEntry);
  if (!present) {
    console.log(
      "CORPUS ABSENT: ../shared/corpus (or SLUICE_CORPUS_DIR) is not on this machine; " +
        `sweeping the ${entries.length} files of test/fixtures only, without reference texts.`,
    );
  }
  return {
    name: present ? "corpus" : "fixtures",
    entries,
    read,
    reference: async (path) => {
      if (!present) return null;
      const name = path.replace(/^pdf\//, "reference/").replace(/\.pdf$/, ".txt");
      const bytes = await corpusFile(name);
      return bytes ? new TextDecoder().decode(bytes) : null;
    },
  };
}

/** Word-level Jaccard similarity after NFKC and case folding (how pdf.js and poppler texts compare). */
export function jaccard(a: string, b: string): number {
  const words = (text: string) =>
    new Set(
      text
        .normalize("NFKC")
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word !== ""),
    );
  const left = words(a);
  const right = words(b);
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / (left.size + right.size - shared);
}
