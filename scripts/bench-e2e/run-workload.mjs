// Runs one workload against a running server: uploads its files (concurrently), creates jobs of at
// most 1,000 files each (the API's cap per job), follows them to their end, then reads every file's
// stage timestamps and results to compute the figures.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** The API takes at most this many files per job (src/schemas/jobs.ts, MAX_FILES_PER_JOB). */
const MAX_FILES_PER_JOB = 1000;
const TERMINAL = new Set(["completed", "completed_with_errors", "failed", "cancelled"]);

/**
 * @typedef {import("./workloads.mjs").Workload} Workload
 * @typedef {object} Api
 * @property {string} baseUrl
 * @property {string} key
 *
 * @typedef {object} WorkloadFigures
 * @property {string} name
 * @property {number} files          files in the jobs
 * @property {number} pages          PDF pages extracted (pageCount of completed extract results)
 * @property {number} uploadMs       first upload sent -> last upload answered
 * @property {number} processMs      first job creation sent -> last job completed (server clock)
 * @property {number} endToEndMs     first upload sent -> last job completed
 * @property {number[]} fileMs       per file: first stage started -> last stage finished
 * @property {number[]} latencyMs    per file: its job created -> its last stage finished
 * @property {Record<string, number>} outcomes  file statuses, and failure codes of stages
 * @property {Record<string, number>} stageMs   sum of the stages' own durationMs, by stage
 * @property {number} jobs
 */

/**
 * @param {Api} api
 * @param {string} method
 * @param {string} path
 * @param {{ json?: unknown, body?: Uint8Array<ArrayBuffer>, contentType?: string }} [init]
 * @returns {Promise<any>}
 */
async function call(api, method, path, init = {}) {
  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${api.key}` };
  let body = init.body ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  if (init.contentType) headers["Content-Type"] = init.contentType;
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await globalThis.fetch(api.baseUrl + path, { method, headers, body });
    } catch (error) {
      // A refused or reset connection (an overloaded dev server) is retried like a 5xx.
      if (attempt >= 10) throw error;
      await sleep(200 * 2 ** Math.min(attempt, 4));
      continue;
    }
    const text = await response.text();
    if (response.ok) return JSON.parse(text);
    // Overload answers are retried (the figures then include the wait); anything else is a bug.
    if ((response.status === 429 || response.status >= 500) && attempt < 10) {
      await sleep(200 * 2 ** Math.min(attempt, 4));
      continue;
    }
    throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  }
}

/**
 * @param {Api} api
 * @param {Workload} workload
 * @param {number} concurrency
 * @returns {Promise<string[]>} file ids, in the workload's order
 */
async function uploadAll(api, workload, concurrency) {
  /** @type {string[]} */
  const ids = new Array(workload.files.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < workload.files.length; index = next++) {
        const file = workload.files[index];
        if (!file) continue;
        const created = await call(api, "POST", `/v1/files?name=${encodeURIComponent(file.name)}`, {
          body: file.bytes,
          contentType: file.contentType,
        });
        ids[index] = String(created.id);
      }
    }),
  );
  return ids;
}

/** @param {Api} api @param {string} jobId @returns {Promise<any[]>} every file of the job */
async function allFiles(api, jobId) {
  const files = [];
  let cursor = null;
  do {
    const page = await call(
      api,
      "GET",
      `/v1/jobs/${jobId}?filesLimit=1000${cursor ? `&filesCursor=${cursor}` : ""}`,
    );
    files.push(...page.files);
    cursor = page.filesNextCursor;
  } while (cursor);
  return files;
}

/**
 * @param {Api} api
 * @param {Workload} workload
 * @param {number} uploaders
 * @param {{ beforeProcessing?: () => unknown, afterProcessing?: () => Promise<void> }} [hooks]
 * @returns {Promise<WorkloadFigures>}
 */
export async function runWorkload(api, workload, uploaders, hooks = {}) {
  const uploadStart = Date.now();
  const fileIds = await uploadAll(api, workload, uploaders);
  const uploadEnd = Date.now();
  await hooks.beforeProcessing?.();

  const chunks = [];
  for (let start = 0; start < fileIds.length; start += MAX_FILES_PER_JOB)
    chunks.push(fileIds.slice(start, start + MAX_FILES_PER_JOB));
  const createStart = Date.now();
  const created = await Promise.all(
    chunks.map((files) => call(api, "POST", "/v1/jobs", { json: { files, stages: workload.stages } })),
  );
  const createdAt = new Map(created.map((job) => [String(job.id), Date.parse(job.createdAt)]));
  const pollStart = performance.now();
  /** @type {Map<string, any>} */
  const ended = new Map();
  while (ended.size < created.length) {
    for (const job of created) {
      if (ended.has(job.id)) continue;
      const state = await call(api, "GET", `/v1/jobs/${job.id}?filesLimit=1`);
      if (TERMINAL.has(state.status)) ended.set(job.id, state);
    }
    if (ended.size < created.length) await sleep(100);
    if (performance.now() - pollStart > 3_600_000) throw new Error("jobs did not end within an hour");
  }
  const completedAt = Math.max(...[...ended.values()].map((job) => Date.parse(job.completedAt)));
  await hooks.afterProcessing?.();

  /** @type {WorkloadFigures} */
  const figures = {
    name: workload.name,
    files: fileIds.length,
    pages: 0,
    uploadMs: uploadEnd - uploadStart,
    processMs: completedAt - createStart,
    endToEndMs: completedAt - uploadStart,
    fileMs: [],
    latencyMs: [],
    outcomes: {},
    stageMs: {},
    jobs: created.length,
  };
  for (const [jobId, jobCreatedAt] of createdAt) {
    for (const file of await allFiles(api, jobId)) {
      figures.outcomes[file.status] = (figures.outcomes[file.status] ?? 0) + 1;
      /** @type {any[]} */
      const stages = Object.values(file.stages);
      const started = stages.map((stage) => Date.parse(stage.startedAt)).filter(Number.isFinite);
      const finished = stages.map((stage) => Date.parse(stage.completedAt)).filter(Number.isFinite);
      if (started.length > 0 && finished.length > 0)
        figures.fileMs.push(Math.max(...finished) - Math.min(...started));
      if (finished.length > 0) figures.latencyMs.push(Math.max(...finished) - jobCreatedAt);
      const extract = file.stages.extract;
      if (extract?.status === "completed" && typeof extract.result?.pageCount === "number")
        figures.pages += extract.result.pageCount;
      for (const [name, stage] of Object.entries(file.stages)) {
        if (typeof stage.durationMs === "number")
          figures.stageMs[name] = (figures.stageMs[name] ?? 0) + stage.durationMs;
      }
      for (const stage of stages) {
        const code = stage.error?.code ?? stage.reason?.code;
        if (code)
          figures.outcomes[`${stage.status}:${code}`] =
            (figures.outcomes[`${stage.status}:${code}`] ?? 0) + 1;
      }
    }
  }
  return figures;
}
