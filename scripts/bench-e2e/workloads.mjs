// The files of the two benchmark workloads. Tiny: N short text files generated from their index (the
// same bytes on every run). Corpus: the shared corpus's pdf, image and text files as its manifest lists
// them, without the PDFs that need a user password and the 280-megapixel image, in C copies (the
// server stores each upload as its own file, so copies are processed again, as the baseline did).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { TextEncoder } from "node:util";
import { CONTENT_TYPES } from "../loadtest/corpus.mjs";

/**
 * @typedef {object} BenchFile
 * @property {string} name
 * @property {Uint8Array<ArrayBuffer>} bytes
 * @property {string} contentType
 * @property {number} pages   PDF pages according to the manifest (0 for other files)
 */

/**
 * @typedef {object} Workload
 * @property {"tiny" | "corpus"} name
 * @property {string[]} stages
 * @property {BenchFile[]} files
 * @property {string} description
 */

const WORDS = ["river", "sluice", "gate", "water", "flow", "stone", "mill", "channel", "lock", "basin"];

/**
 * @param {number} count
 * @returns {Workload}
 */
export function tinyWorkload(count) {
  const encoder = new TextEncoder();
  const files = Array.from({ length: count }, (_, index) => {
    const words = Array.from({ length: 40 }, (_, word) => WORDS[(index * 7 + word * 3) % WORDS.length]);
    const text = `Tiny file ${index + 1}.\n${words.join(" ")}\n`;
    return {
      name: `tiny-${String(index + 1).padStart(5, "0")}.txt`,
      bytes: encoder.encode(text),
      contentType: "text/plain",
      pages: 0,
    };
  });
  return { name: "tiny", stages: ["extract"], files, description: `${count} tiny text files, extract` };
}

/** The 280 MP image: the baseline left it out (it only measures a refusal). */
const LEFT_OUT = new Set(["image/sharp_giant_20000x14000.jpg"]);

/**
 * @param {string} corpusDir
 * @param {number} copies
 * @returns {Workload | null} null when the corpus is not on this machine
 */
export function corpusWorkload(corpusDir, copies) {
  const manifest = path.join(corpusDir, "manifest.jsonl");
  if (!existsSync(manifest)) return null;
  /** @type {BenchFile[]} */
  const originals = [];
  for (const line of readFileSync(manifest, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const entry = JSON.parse(line);
    if (!["pdf", "image", "text"].includes(entry.kind) || LEFT_OUT.has(entry.path)) continue;
    const pdf = entry.expected?.pdf;
    if (pdf && pdf.pdfinfo_without_password_ok === false) continue; // needs a user password
    const ext = path.extname(entry.path).toLowerCase();
    originals.push({
      name: path.basename(entry.path),
      bytes: new Uint8Array(readFileSync(path.join(corpusDir, entry.path))),
      contentType: CONTENT_TYPES[ext] ?? "application/octet-stream",
      pages: typeof pdf?.pages === "number" ? pdf.pages : 0,
    });
  }
  const files = Array.from({ length: copies }, () => originals).flat();
  return {
    name: "corpus",
    stages: ["extract", "thumbnail"],
    files,
    description: `corpus: ${originals.length} files x ${copies} copies, extract + thumbnail`,
  };
}
