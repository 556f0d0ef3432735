#!/usr/bin/env node
// Uploads straight to R2 through Sluice's presigned URLs, against a running Sluice (`npm start`), and
// prints what it measured.
//
// 1. Single PUT: presign a PDF, PUT it with fetch, complete, run an `extract` job over it.
// 2. Multipart, resumable: a file of --size-mb (default 256) is uploaded in parts by one process that
//    "crashes" (exits) after --interrupt-after parts; a second process that knows only the upload id
//    lists the parts already there, uploads the rest, completes, and compares the SHA-256 Sluice reports
//    with the local file's.
//
// Usage: node scripts/multipart-upload.mjs [--size-mb 256] [--part-mb 16] [--interrupt-after 5]
//          [--concurrency 4] [--file PATH]
// Environment: SLUICE (default http://127.0.0.1:8787), KEY (default the local development key).
/* global fetch, Headers */
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { open, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";

const SLUICE = process.env["SLUICE"] ?? "http://127.0.0.1:8787";
const KEY = process.env["KEY"] ?? "sk_dev_local_development_key";
const MiB = 1024 * 1024;

const { values: options } = parseArgs({
  options: {
    "size-mb": { type: "string", default: "256" },
    "part-mb": { type: "string", default: "16" },
    "interrupt-after": { type: "string", default: "5" },
    concurrency: { type: "string", default: "4" },
    file: { type: "string" },
    // Internal: the phase a child process runs.
    phase: { type: "string" },
    upload: { type: "string" },
  },
});

/**
 * @param {string} route
 * @param {RequestInit & { json?: unknown }} [init]
 * @returns {Promise<Response>}
 */
async function api(route, init = {}) {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${KEY}`);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  return fetch(`${SLUICE}${route}`, { ...init, headers, body });
}

/**
 * @param {Response} response
 * @param {number} status
 * @returns {Promise<any>}
 */
async function expectJson(response, status) {
  const text = await response.text();
  if (response.status !== status)
    throw new Error(`${response.url}: expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** @param {string} file */
async function sha256File(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MiB })) hash.update(chunk);
  return hash.digest("hex");
}

async function singlePut() {
  const bytes = await readFile(
    path.join(import.meta.dirname, "..", "test", "fixtures", "pdf", "pdfjs_tracemonkey.pdf"),
  );
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const upload = await expectJson(
    await api("/v1/uploads", {
      method: "POST",
      json: { name: "tracemonkey.pdf", size: bytes.byteLength, contentType: "application/pdf", sha256 },
    }),
    201,
  );
  const put = await fetch(upload.url, { method: "PUT", headers: upload.headers, body: bytes });
  if (put.status !== 200) throw new Error(`PUT answered ${put.status}: ${await put.text()}`);
  const tampered = upload.url.replace(
    /X-Amz-Signature=([0-9a-f])/,
    (/** @type {string} */ _m, /** @type {string} */ c) => `X-Amz-Signature=${c === "0" ? "1" : "0"}`,
  );
  const refused = await fetch(tampered, { method: "PUT", headers: upload.headers, body: bytes });
  const file = await expectJson(await api(`/v1/uploads/${upload.fileId}/complete`, { method: "POST" }), 201);
  const job = await expectJson(
    await api("/v1/jobs", { method: "POST", json: { files: [file.id], stages: ["extract"] } }),
    202,
  );
  let done;
  for (;;) {
    done = await expectJson(await api(`/v1/jobs/${job.id}`), 200);
    if (["completed", "completed_with_errors", "failed", "cancelled"].includes(done.status)) break;
    await sleep(250);
  }
  console.log(`single PUT: ${bytes.byteLength} bytes straight to R2 (${upload.url.split("?")[0]})`);
  console.log(
    `  tampered signature -> HTTP ${refused.status}; completed -> file ${file.id}, sha256 match: ${file.sha256 === sha256}`,
  );
  console.log(
    `  job ${job.id}: ${done.status}, extract pageCount ${done.files[0]?.stages?.extract?.result?.pageCount}`,
  );
}

/** Uploads the given parts (concurrently), recording each with Sluice. Returns bytes sent. */
async function uploadParts(
  /** @type {string} */ file,
  /** @type {any} */ upload,
  /** @type {number[]} */ numbers,
  /** @type {number} */ partSize,
  /** @type {number} */ size,
) {
  const handle = await open(file, "r");
  let sent = 0;
  const queue = [...numbers];
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const offset = (n - 1) * partSize;
      const length = Math.min(partSize, size - offset);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, offset);
      const signed = await expectJson(
        await api(`/v1/uploads/s3/multipart/${upload}/${n}?key=${upload}`),
        200,
      );
      const put = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: buffer });
      if (put.status !== 200) throw new Error(`part ${n}: HTTP ${put.status}: ${await put.text()}`);
      const etag = put.headers.get("ETag") ?? "";
      await expectJson(
        await api(`/v1/uploads/s3/multipart/${upload}/${n}`, {
          method: "PUT",
          json: { ETag: etag, Size: length },
        }),
        200,
      );
      sent += length;
    }
  };
  await Promise.all(Array.from({ length: Number(options.concurrency) }, worker));
  await handle.close();
  return sent;
}

/** Phase 1 (a child process): upload the first parts, then die without completing. */
async function phaseOne(
  /** @type {string} */ file,
  /** @type {string} */ upload,
  /** @type {number} */ partSize,
  /** @type {number} */ size,
) {
  const first = Array.from({ length: Number(options["interrupt-after"]) }, (_, i) => i + 1);
  const started = performance.now();
  const sent = await uploadParts(file, upload, first, partSize, size);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  phase 1: ${first.length} parts, ${(sent / MiB).toFixed(0)} MiB in ${seconds.toFixed(2)} s, then the process exits`,
  );
  process.exit(75);
}

/** Phase 2 (a fresh process that knows only the upload id): list, upload the rest, complete. */
async function phaseTwo(
  /** @type {string} */ file,
  /** @type {string} */ upload,
  /** @type {number} */ partSize,
  /** @type {number} */ size,
) {
  const listedResponse = await api(`/v1/uploads/s3/multipart/${upload}?key=${upload}`);
  const listed = await expectJson(listedResponse, 200);
  const partCount = Math.ceil(size / partSize);
  const have = new Set(listed.map((/** @type {any} */ part) => part.PartNumber));
  const missing = Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
  console.log(
    `  phase 2: list-parts (${listedResponse.headers.get("Sluice-Parts-Source")}) found parts [${[...have].join(", ")}];` +
      ` uploading ${missing.length} more`,
  );
  const started = performance.now();
  const sent = await uploadParts(file, upload, missing, partSize, size);
  const uploadSeconds = (performance.now() - started) / 1000;
  const parts = await expectJson(await api(`/v1/uploads/s3/multipart/${upload}?key=${upload}`), 200);
  const completeStarted = performance.now();
  const completed = await expectJson(
    await api(`/v1/uploads/s3/multipart/${upload}/complete?key=${upload}`, {
      method: "POST",
      json: { parts: parts.map((/** @type {any} */ p) => ({ PartNumber: p.PartNumber, ETag: p.ETag })) },
    }),
    201,
  );
  const completeSeconds = (performance.now() - completeStarted) / 1000;
  console.log(
    `  phase 2: ${(sent / MiB).toFixed(0)} MiB in ${uploadSeconds.toFixed(2)} s = ${(sent / MiB / uploadSeconds).toFixed(1)} MiB/s;` +
      ` complete (assemble + verify + SHA-256 of ${(size / MiB).toFixed(0)} MiB) ${completeSeconds.toFixed(2)} s`,
  );
  const again = await expectJson(
    await api(`/v1/uploads/s3/multipart/${upload}/complete?key=${upload}`, {
      method: "POST",
      json: { parts: [] },
    }),
    200,
  );
  await writeFile(`${file}.result.json`, JSON.stringify({ completed, again }));
}

async function multipart() {
  const sizeMb = Number(options["size-mb"]);
  const partSize = Number(options["part-mb"]) * MiB;
  let file = options.file;
  if (!file) {
    file = path.join(os.tmpdir(), `sluice-multipart-${sizeMb}mb.bin`);
    if (!existsSync(file) || (await stat(file)).size !== sizeMb * MiB) {
      const handle = await open(file, "w");
      for (let i = 0; i < sizeMb; i++) await handle.write(randomBytes(MiB));
      await handle.close();
    }
  }
  const size = (await stat(file)).size;
  const hashStarted = performance.now();
  const sha256 = await sha256File(file);
  console.log(
    `multipart: ${file}, ${size} bytes (${(size / MiB).toFixed(0)} MiB), parts of ${partSize / MiB} MiB`,
  );
  console.log(`  local SHA-256 ${sha256} (${((performance.now() - hashStarted) / 1000).toFixed(2)} s)`);
  const created = await expectJson(
    await api("/v1/uploads/s3/multipart", {
      method: "POST",
      json: { name: path.basename(file), contentType: "application/octet-stream", size, sha256 },
    }),
    201,
  );
  const started = performance.now();
  for (const phase of ["1", "2"]) {
    const child = spawnSync(
      process.execPath,
      [
        import.meta.filename,
        ...process.argv.slice(2),
        "--phase",
        phase,
        "--upload",
        created.uploadId,
        "--file",
        file,
      ],
      { stdio: "inherit", env: process.env },
    );
    if (child.status !== (phase === "1" ? 75 : 0))
      throw new Error(`phase ${phase} exited with ${child.status}`);
  }
  const { completed, again } = JSON.parse(await readFile(`${file}.result.json`, "utf8"));
  const seconds = (performance.now() - started) / 1000;
  console.log(`  file ${completed.id}: ${completed.size} bytes, ${completed.contentType}`);
  console.log(
    `  Sluice SHA-256 ${completed.sha256}: ${completed.sha256 === sha256 ? "MATCHES" : "DIFFERS FROM"} the local file`,
  );
  console.log(
    `  completing again returns the same file: ${again.id === completed.id && again.sha256 === completed.sha256}`,
  );
  console.log(
    `  end to end (both phases, incl. crash and resume): ${seconds.toFixed(1)} s = ${(size / MiB / seconds).toFixed(1)} MiB/s`,
  );
  if (completed.sha256 !== sha256) process.exit(1);
}

if (options.phase) {
  const size = (await stat(options.file ?? "")).size;
  const partSize = Number(options["part-mb"]) * MiB;
  if (options.phase === "1") await phaseOne(options.file ?? "", options.upload ?? "", partSize, size);
  else await phaseTwo(options.file ?? "", options.upload ?? "", partSize, size);
} else {
  await singlePut();
  await multipart();
}
