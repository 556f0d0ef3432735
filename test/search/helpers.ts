/** Shared by the search tests: calling GET /v1/search and indexing fixtures through a real job. */
import { expect } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { call, createJob, DEV_KEY, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

export interface Result {
  fileId: string;
  jobId: string;
  name: string;
  page: number | null;
  snippet: string;
  highlights: { start: number; end: number }[];
  snippetHtml: string;
  score: number;
}
export interface Results {
  results: Result[];
  nextCursor: string | null;
}

export const searchAs = (key: string, q: string, extra = "") =>
  call(key, `/v1/search?q=${encodeURIComponent(q)}${extra}`);
export const search = async (q: string, extra = "", key = DEV_KEY) =>
  json<Results>(await searchAs(key, q, extra), 200);

/** Uploads fixtures and runs extract + index over them, returning file ids by name and the job. */
export async function indexFixtures(paths: string[], key = DEV_KEY) {
  const ids = new Map<string, string>();
  for (const path of paths) {
    const name = path.split("/").pop() ?? path;
    ids.set(name, (await upload(await fixture(path), name, "application/octet-stream", key)).id);
  }
  const job = await json<JobObject>(
    await createJob({ files: [...ids.values()], stages: ["extract", "index"] }, key),
    202,
  );
  const done = await waitForJob(job.id, key);
  expect(done.status).toBe("completed");
  return { ids, job: done };
}

export const highlighted = (result: Result) =>
  result.highlights.map((h) => result.snippet.slice(h.start, h.end));
