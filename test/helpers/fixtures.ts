/**
 * Real files for tests: the repository's own fixtures (always present) and the larger shared corpus
 * (present on development machines; suites that need it check `corpusAvailable()` and say when absent).
 */
import { env } from "cloudflare:workers";

export interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
  kind: string;
  /** The user password, for encrypted PDFs that need one. */
  password?: string;
  expected: {
    pdf?: {
      pages?: number;
      text_head_200?: string;
      has_text_layer?: boolean;
      encrypted?: string;
      page_size_first?: string;
    };
    image?: {
      width?: number;
      height?: number;
      display_width?: number;
      display_height?: number;
      exif_orientation?: number | null;
    };
    text?: { encoding?: string; bom?: boolean; head_200?: string };
  };
}

async function read(binding: Fetcher, path: string): Promise<Uint8Array | null> {
  const response = await binding.fetch(`http://files/${encodeURI(path)}`);
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) throw new Error(`reading ${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Bytes of a file under test/fixtures/. */
export async function fixture(path: string): Promise<Uint8Array> {
  const bytes = await read(env.FIXTURES, path);
  if (!bytes) throw new Error(`missing fixture ${path}`);
  return bytes;
}

let manifestCache: Map<string, ManifestEntry> | undefined;

/** The independently established facts about a fixture (test/fixtures/manifest.jsonl). */
export async function manifest(path: string): Promise<ManifestEntry> {
  if (!manifestCache) {
    const text = new TextDecoder().decode(await fixture("manifest.jsonl"));
    manifestCache = new Map(
      text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
          const entry = JSON.parse(line) as ManifestEntry;
          return [entry.path, entry];
        }),
    );
  }
  const entry = manifestCache.get(path);
  if (!entry) throw new Error(`no manifest entry for ${path}`);
  return entry;
}

/** Bytes of a file of the shared corpus, or null when the corpus is not on this machine. */
export async function corpusFile(path: string): Promise<Uint8Array | null> {
  return read(env.CORPUS, path);
}

export async function corpusAvailable(): Promise<boolean> {
  return (await corpusFile("manifest.jsonl")) !== null;
}
