// The checker: compares every accepted job with what the service holds at the end, through the API
// alone: the job (Job DO), its events, its D1 listing row and every output URL (R2). A job is lost
// when it or a part of it is gone, duplicated when anything of one task appears twice, stuck when it
// has not ended. It also collects each file's outcome per stage, which must not depend on the run.
import { setTimeout as sleep } from "node:timers/promises";
import { isTerminal } from "./workload.mjs";

/**
 * @typedef {import("./client.mjs").Client} Client
 * @typedef {import("./workload.mjs").AcceptedJob} AcceptedJob
 * @typedef {import("./workload.mjs").Tenant} Tenant
 * @typedef {{ jobId: string, what: string }} Finding
 * @typedef {object} Findings
 * @property {Finding[]} lost
 * @property {Finding[]} duplicated
 * @property {Finding[]} stuck
 * @property {Record<string, number>} statuses
 * @property {number} files           files of all accepted jobs
 * @property {number} outputs         output URLs fetched
 * @property {number} events          events read
 * @property {Map<string, Set<string>>} outcomes  `corpus path / stage` -> outcomes seen
 */

const TASK_OUTCOMES = new Set(["job.stage_completed", "job.stage_failed", "job.stage_skipped"]);
const FILE_OUTCOMES = new Set(["job.file_completed", "job.file_failed"]);
const JOB_OUTCOMES = new Set(["job.completed", "job.failed", "job.cancelled"]);

/** @param {Client} client @param {Tenant} tenant @returns {Promise<Map<string, {count: number, status: string}>>} */
async function listing(client, tenant) {
  /** @type {Map<string, {count: number, status: string}>} */
  const rows = new Map();
  let cursor = "";
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const answer = await client.call("list_jobs", "GET", `/v1/jobs?limit=100${query}`, { key: tenant.key });
    if (answer.status !== 200) throw new Error(`listing jobs answered ${answer.status}`);
    for (const job of answer.body.jobs) {
      const row = rows.get(job.id);
      rows.set(job.id, { count: (row?.count ?? 0) + 1, status: job.status });
    }
    cursor = answer.body.nextCursor ?? "";
  } while (cursor);
  return rows;
}

/** Every event of a job, page by page. @param {Client} client @param {AcceptedJob} job */
async function events(client, job) {
  /** @type {any[]} */
  const all = [];
  for (let after = 0; ;) {
    const answer = await client.call("events", "GET", `/v1/jobs/${job.id}/events?after=${after}&limit=1000`, {
      key: job.tenant.key,
    });
    if (answer.status !== 200) throw new Error(`events of ${job.id} answered ${answer.status}`);
    all.push(...answer.body.events);
    if (answer.body.events.length === 0) return all;
    after = answer.body.nextAfter;
  }
}

/**
 * What appears more than once: per task, file and job at most one outcome event between two
 * `job.retried` (a retry or re-drive runs failed work again), and at most one completion per task ever.
 * @param {any[]} list
 */
export function duplicateEvents(list) {
  const problems = [];
  let seen = new Map();
  const completed = new Set();
  for (const [index, event] of list.entries()) {
    if (event.seq !== index + 1) problems.push(`event seq ${event.seq} at position ${index + 1}`);
    if (event.type === "job.retried") {
      seen = new Map();
      continue;
    }
    let key = null;
    if (TASK_OUTCOMES.has(event.type)) key = `task ${event.fileId}/${event.stage}`;
    else if (FILE_OUTCOMES.has(event.type)) key = `file ${event.fileId}`;
    else if (JOB_OUTCOMES.has(event.type)) key = "job";
    if (key === null) continue;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (seen.get(key) === 2) problems.push(`${key}: more than one ${event.type.replace("job.", "")} event`);
    if (event.type === "job.stage_completed") {
      const task = `${event.fileId}/${event.stage}`;
      if (completed.has(task)) problems.push(`task ${task} completed twice`);
      completed.add(task);
    }
  }
  return problems;
}

/** Output URLs of a completed stage result, with the byte count it declares when it does. @param {any} result */
function outputsOf(result) {
  /** @type {{ url: string, bytes: number | null }[]} */
  const outputs = Object.values(result?.outputs ?? {}).map((url) => ({ url: String(url), bytes: null }));
  for (const thumbnail of result?.thumbnails ?? [])
    outputs.push({ url: String(thumbnail.url), bytes: thumbnail.bytes ?? null });
  return outputs;
}

/**
 * @param {Client} client
 * @param {AcceptedJob} job
 * @param {Map<string, {count: number, status: string}> | undefined} rows  the tenant's D1 listing
 * @param {Findings} findings
 */
async function checkJob(client, job, rows, findings) {
  const lost = (/** @type {string} */ what) => findings.lost.push({ jobId: job.id, what });
  const duplicated = (/** @type {string} */ what) => findings.duplicated.push({ jobId: job.id, what });
  const answer = await client.call("get_job", "GET", `/v1/jobs/${job.id}?filesLimit=1000`, {
    key: job.tenant.key,
  });
  findings.files += job.files.length;
  if (answer.status === 404) return lost("the job is gone (404)");
  if (answer.status !== 200) return lost(`GET answered ${answer.status}`);
  const final = answer.body;
  findings.statuses[final.status] = (findings.statuses[final.status] ?? 0) + 1;
  if (!isTerminal(final.status)) findings.stuck.push({ jobId: job.id, what: `still ${final.status}` });

  const seen = new Map();
  for (const file of final.files) seen.set(file.fileId, (seen.get(file.fileId) ?? 0) + 1);
  for (const file of job.files) if (!seen.has(file.id)) lost(`file ${file.id} missing from the job`);
  for (const [fileId, count] of seen) if (count > 1) duplicated(`file ${fileId} listed ${count} times`);

  const list = await events(client, job);
  findings.events += list.length;
  for (const problem of duplicateEvents(list)) duplicated(problem);
  const ended = list.some((event) => JOB_OUTCOMES.has(event.type));
  if (isTerminal(final.status) && !ended) lost("no job.completed/failed/cancelled event");

  const row = rows?.get(job.id);
  if (!row) lost("no row in the D1 listing");
  else if (row.count > 1) duplicated(`${row.count} rows in the D1 listing`);
  else if (row.status !== final.status) lost(`the D1 listing says ${row.status}, the job ${final.status}`);

  for (const file of final.files) {
    const path = job.files.find((candidate) => candidate.id === file.fileId)?.path ?? file.fileId;
    for (const [stage, state] of Object.entries(file.stages ?? {})) {
      const code = state.error?.code ?? state.reason?.code ?? "";
      const outcomes = findings.outcomes.get(`${path} / ${stage}`) ?? new Set();
      outcomes.add(`${state.status}${code ? `:${code}` : ""}`);
      findings.outcomes.set(`${path} / ${stage}`, outcomes);
      if (state.status !== "completed") continue;
      const outputs = outputsOf(state.result);
      const urls = new Set(outputs.map((output) => output.url));
      if (urls.size < outputs.length) duplicated(`${file.fileId}/${stage}: an output listed twice`);
      for (const output of outputs) {
        const fetched = await client.call("output", "GET", output.url, { key: job.tenant.key, raw: true });
        findings.outputs += 1;
        if (fetched.status !== 200) lost(`output ${output.url} answered ${fetched.status}`);
        else if (output.bytes !== null && fetched.bytes?.byteLength !== output.bytes)
          lost(
            `output ${output.url} has ${fetched.bytes?.byteLength} bytes, the result says ${output.bytes}`,
          );
      }
    }
  }
}

/**
 * Checks every accepted job. The D1 listing may lag the Job DO by a moment, so it is read again
 * (for up to 30 s) until every ended job appears there with its final status.
 * @param {Client} client
 * @param {Tenant[]} tenants
 * @param {AcceptedJob[]} accepted
 * @returns {Promise<Findings>}
 */
export async function checkRun(client, tenants, accepted) {
  /** @type {Map<string, Map<string, {count: number, status: string}>>} */
  let listings = new Map();
  for (let attempt = 0; attempt < 30; attempt++) {
    listings = new Map(
      await Promise.all(
        tenants.map(async (tenant) => /** @type {const} */ ([tenant.id, await listing(client, tenant)])),
      ),
    );
    const behind = accepted.filter((job) => {
      const row = listings.get(job.tenant.id)?.get(job.id);
      return !row || (isTerminal(job.last?.status) && row.status !== job.last.status);
    });
    if (behind.length === 0) break;
    await sleep(1000);
  }
  /** @type {Findings} */
  const findings = {
    lost: [],
    duplicated: [],
    stuck: [],
    statuses: {},
    files: 0,
    outputs: 0,
    events: 0,
    outcomes: new Map(),
  };
  const queue = [...accepted];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift())
        await checkJob(client, job, listings.get(job.tenant.id), findings);
    }),
  );
  return findings;
}
