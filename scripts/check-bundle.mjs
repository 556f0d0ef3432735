#!/usr/bin/env node
/**
 * `npm run check:bundle`: builds the Worker exactly as `wrangler deploy` would (`--dry-run`, offline,
 * no login), measures what would be uploaded, prints it, and fails when the build breaks or the
 * bundle is over the limit: 10 MiB gzip, the Workers Paid plan's size limit. The Worker needs the Paid
 * plan anyway (wrangler.toml's `limits.cpu_ms`), and PDFium's wasm (4.4 MiB, ~2 MiB gzip) alone takes the
 * bundle past the Free plan's 3 MiB.
 * The size is wrangler's own measure: every module of the Worker (the script and its wasm) gzipped
 * together. Source maps are reported beside it; Cloudflare stores them apart and does not count them.
 *
 * Options: --limit-mib N (another limit, e.g. to see the check fail), --keep (keep the output dir),
 * --config FILE (another wrangler configuration, e.g. to see a broken build fail the check).
 */
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { wranglerEnv } from "./wrangler-env.mjs";

const MiB = 1024 * 1024;
const { values } = parseArgs({
  options: {
    "limit-mib": { type: "string", default: "10" },
    keep: { type: "boolean", default: false },
    config: { type: "string" },
  },
});
const limitMiB = Number(values["limit-mib"]);
if (!(limitMiB > 0)) {
  console.error(`--limit-mib must be a positive number, not "${values["limit-mib"]}"`);
  process.exit(2);
}

const outDir = mkdtempSync(path.join(os.tmpdir(), "sluice-bundle-"));
try {
  const config = values.config === undefined ? [] : ["--config", values.config];
  const build = spawnSync("wrangler", ["deploy", "--dry-run", "--outdir", outDir, ...config], {
    env: wranglerEnv(),
    encoding: "utf8",
  });
  if (build.status !== 0) {
    console.error(`bundle: the build failed (wrangler deploy --dry-run):\n${build.stdout}${build.stderr}`);
    process.exit(1);
  }
  // wrangler writes a README.md of its own into the output directory; it is not part of the Worker.
  const files = readdirSync(outDir).filter((name) => name !== "README.md");
  const modules = files.filter((name) => !name.endsWith(".map"));
  const maps = files.filter((name) => name.endsWith(".map"));
  if (modules.length === 0) {
    console.error(`bundle: wrangler emitted no modules into ${outDir}`);
    process.exit(1);
  }
  const size = measure(modules);
  const mapSize = measure(maps);
  const parts = modules.map((name) => `${name.replace(/^[0-9a-f]{40}-/, "")} ${mib(measure([name]).raw)}`);
  const over = size.gzip > limitMiB * MiB;
  console.log(
    `bundle: ${mib(size.gzip)} MiB gzip (limit ${limitMiB} MiB), ${mib(size.raw)} MiB raw` +
      ` [${parts.join(" MiB, ")} MiB]; source maps ${mib(mapSize.gzip)} MiB gzip, not counted` +
      (over ? ` — OVER THE LIMIT by ${mib(size.gzip - limitMiB * MiB)} MiB` : ""),
  );
  if (values.keep) console.log(`bundle: output kept in ${outDir}`);
  process.exitCode = over ? 1 : 0;
} finally {
  if (!values.keep) rmSync(outDir, { recursive: true, force: true });
}

/**
 * Raw and gzip size of files concatenated, as wrangler measures an upload.
 * @param {string[]} names
 */
function measure(names) {
  const bytes = Buffer.concat(names.map((name) => readFileSync(path.join(outDir, name))));
  return { raw: bytes.byteLength, gzip: names.length === 0 ? 0 : gzipSync(bytes).byteLength };
}

/** @param {number} bytes */
function mib(bytes) {
  return (bytes / MiB).toFixed(2);
}
