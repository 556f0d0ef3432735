/**
 * `sluice get JOB --out DIR`: downloads what the job produced. Every output its stage results link to
 * (extracted text, thumbnails, entity lists) is written under DIR/<file name>/, the text as text.txt,
 * and DIR/job.json holds the job itself. Prints each path written.
 */
import { createWriteStream } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { Job, JobFile } from "sluice-client";
import { EXIT, type Cli } from "../context";
import { bytes } from "../format";

/** Output URLs in a stage result: `/v1/jobs/{job}/files/{file}/outputs/{name}`. */
const OUTPUT_URL = /^\/v1\/jobs\/[^/]+\/files\/[^/]+\/outputs\/([^/?#]+)$/;

export function outputsOf(file: JobFile): { url: string; name: string }[] {
  const found = new Map<string, string>();
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      const match = OUTPUT_URL.exec(value);
      if (match?.[1]) found.set(value, decodeURIComponent(match[1]));
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  for (const state of Object.values(file.stages)) if (state.status === "completed") walk(state.result);
  return [...found].map(([url, name]) => ({ url, name }));
}

/** A directory name per file: its name, made unique and safe to use as a path segment. */
function directories(job: Job): Map<string, string> {
  const used = new Set<string>();
  const result = new Map<string, string>();
  for (const file of job.files) {
    // Names are display names (control characters are already removed by the server); keep them
    // from naming other directories.
    let name = file.name.replace(/[\\/:*?"<>|]/g, "_").replace(/^\.+/, "_") || file.fileId;
    if (used.has(name)) name = `${name}-${file.fileId}`;
    used.add(name);
    result.set(file.fileId, name);
  }
  return result;
}

export async function getCommand(cli: Cli, id: string, flags: { out: string }): Promise<number> {
  const job = await cli.client.jobs.getWithAllFiles(id);
  await mkdir(flags.out, { recursive: true });
  const written: { fileId: string; output: string; path: string; bytes: number }[] = [];
  const dirs = directories(job);
  for (const file of job.files) {
    for (const output of outputsOf(file)) {
      const dir = path.join(flags.out, dirs.get(file.fileId) ?? file.fileId);
      await mkdir(dir, { recursive: true });
      const target = path.join(dir, output.name === "text" ? "text.txt" : output.name);
      const response = await cli.client.download(output.url);
      if (!response.body) continue;
      const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
      await pipeline(body, createWriteStream(target));
      const { size } = await stat(target);
      written.push({ fileId: file.fileId, output: output.name, path: target, bytes: size });
      cli.progress(`${file.name}: ${output.name} -> ${target}`);
    }
  }
  const jobPath = path.join(flags.out, "job.json");
  await writeFile(jobPath, `${JSON.stringify(job, null, 2)}\n`);
  if (cli.json) cli.printJson({ job: job.id, status: job.status, written, jobFile: jobPath });
  else {
    for (const item of written) cli.out(`${item.path}  ${bytes(item.bytes)}`);
    cli.out(jobPath);
  }
  return EXIT.ok;
}
