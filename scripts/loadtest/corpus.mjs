// The files the clients upload: the shared corpus of real documents and images (good, odd and
// broken ones), or the repository's own test fixtures when the corpus is not on this machine.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const FOLDERS = ["pdf", "image", "text", "malformed"];

/** Files left out of the default mix: each would take minutes of CPU on its own on a small machine. */
const TOO_SLOW = new Set(["malformed/pdfjs_bomb_giant.pdf"]);

/** The content type each corpus file is uploaded with, by extension. */
export const CONTENT_TYPES = /** @type {Record<string, string>} */ ({
  ".pdf": "application/pdf",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".html": "text/html",
});

/**
 * @typedef {object} CorpusFile
 * @property {string} path         relative to the corpus root (it names the file in reports)
 * @property {Uint8Array<ArrayBuffer>} bytes
 * @property {string} contentType  what a client would declare (octet-stream for the broken files,
 *                                 whose extension lies: the server refuses a declared type the bytes contradict)
 */

/**
 * @param {string} corpusDir
 * @param {string} fixturesDir
 * @returns {{ files: CorpusFile[], source: string }}
 */
export function loadFiles(corpusDir, fixturesDir) {
  let root = corpusDir;
  let source = `corpus ${corpusDir}`;
  if (!existsSync(path.join(corpusDir, "manifest.jsonl"))) {
    console.log(`The corpus is absent (${corpusDir}): using the repository's test fixtures instead.`);
    root = fixturesDir;
    source = `fixtures ${fixturesDir} (corpus absent)`;
  }
  /** @type {CorpusFile[]} */
  const files = [];
  for (const folder of FOLDERS) {
    const dir = path.join(root, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const relative = `${folder}/${name}`;
      const full = path.join(dir, name);
      // Empty files cannot be uploaded (422 empty_body): the hostile-input tests cover them.
      if (TOO_SLOW.has(relative) || !statSync(full).isFile() || statSync(full).size === 0) continue;
      const declared = CONTENT_TYPES[path.extname(name).toLowerCase()] ?? "application/octet-stream";
      files.push({
        path: relative,
        bytes: new Uint8Array(readFileSync(full)),
        contentType: folder === "malformed" ? "application/octet-stream" : declared,
      });
    }
  }
  if (files.length === 0) throw new Error(`no files to upload under ${root}`);
  return { files, source };
}
