/**
 * The checks every reliability test ends with, on one job, from the outside in: its events (seq
 * strictly increasing by one; per task at most one outcome event, per file and per job at most one
 * outcome event between two `job.retried`), its stage outputs in R2 (exactly the outputs the job
 * records, nothing more), and its D1 projection (one row, which caught up with the job's status).
 */
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import type { EventObject, JobObject } from "../../../src/schemas/jobs";
import { call, DEV_KEY, json } from "../../helpers/api";

const TASK_OUTCOMES = new Set(["job.stage_completed", "job.stage_failed", "job.stage_skipped"]);
const FILE_OUTCOMES = new Set(["job.file_completed", "job.file_failed"]);
const JOB_OUTCOMES = new Set(["job.completed", "job.failed", "job.cancelled"]);

export async function allEvents(jobId: string, key = DEV_KEY): Promise<EventObject[]> {
  const events: EventObject[] = [];
  for (let after = 0; ;) {
    const page = await json<{ events: EventObject[]; nextAfter: number }>(
      await call(key, `/v1/jobs/${jobId}/events?after=${after}&limit=1000`),
      200,
    );
    events.push(...page.events);
    if (page.events.length === 0) return events;
    after = page.nextAfter;
  }
}

/** Counts of outcome events per task, file and job within each stretch between two `job.retried`. */
export function duplicateOutcomes(events: readonly EventObject[]): string[] {
  const problems: string[] = [];
  let seen = new Map<string, number>();
  const completedTasks = new Set<string>();
  events.forEach((event, index) => {
    if (event.seq !== index + 1) problems.push(`event ${index} has seq ${event.seq}`);
    if (event.type === "job.retried") {
      seen = new Map();
      return;
    }
    let key: string | null = null;
    if (TASK_OUTCOMES.has(event.type)) key = `task ${event.fileId ?? ""}/${event.stage ?? ""}`;
    else if (FILE_OUTCOMES.has(event.type)) key = `file ${event.fileId ?? ""}`;
    else if (JOB_OUTCOMES.has(event.type)) key = "job";
    if (key === null) return;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (seen.get(key) === 2) problems.push(`${key} has more than one outcome event`);
    if (event.type === "job.stage_completed") {
      const task = `${event.fileId ?? ""}/${event.stage ?? ""}`;
      if (completedTasks.has(task)) problems.push(`task ${task} completed twice`);
      completedTasks.add(task);
    }
  });
  return problems;
}

/** Output names a job records per file and stage. */
function recordedOutputs(job: JobObject): Set<string> {
  const names = new Set<string>();
  for (const file of job.files) {
    for (const [stage, state] of Object.entries(file.stages)) {
      if (state.status !== "completed") continue;
      const result = state.result ?? {};
      const outputs = result["outputs"] as Record<string, string> | undefined;
      const thumbnails = result["thumbnails"] as { url: string }[] | undefined;
      const urls = [...Object.values(outputs ?? {}), ...(thumbnails ?? []).map((t) => t.url)];
      for (const url of urls) {
        const name = decodeURIComponent(url.slice(url.lastIndexOf("/") + 1));
        names.add(`${file.fileId}/${stage}/${name}`);
      }
    }
  }
  return names;
}

/** Every stage output object under the job's keys, as `file/stage/name`. */
async function storedOutputs(tenantId: string, job: JobObject): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of job.files) {
    const prefix = `t/${tenantId}/f/${file.fileId}/jobs/${job.id}/`;
    const listed = await env.FILES.list({ prefix });
    for (const object of listed.objects) names.add(`${file.fileId}/${object.key.slice(prefix.length)}`);
  }
  return names;
}

/**
 * Asserts the job is whole: no duplicate outcome events, exactly the recorded outputs in R2 (each
 * one served by the API), and one D1 row with the job's status.
 */
export async function expectJobIntact(jobId: string, tenantId = "dev", key = DEV_KEY): Promise<JobObject> {
  const job = await json<JobObject>(await call(key, `/v1/jobs/${jobId}?filesLimit=1000`), 200);
  expect(duplicateOutcomes(await allEvents(jobId, key))).toEqual([]);
  const recorded = recordedOutputs(job);
  expect([...(await storedOutputs(tenantId, job))].sort()).toEqual([...recorded].sort());
  for (const output of recorded) {
    const [fileId, , name] = output.split("/");
    const response = await call(key, `/v1/jobs/${jobId}/files/${fileId}/outputs/${name}`);
    expect(response.status, output).toBe(200);
    await response.body?.cancel();
  }
  await vi.waitFor(
    async () => {
      const rows = await env.DB.prepare("SELECT status FROM jobs WHERE tenant_id = ? AND id = ?")
        .bind(tenantId, jobId)
        .all<{ status: string }>();
      expect(rows.results).toEqual([{ status: job.status }]);
    },
    { timeout: 10_000, interval: 25 },
  );
  return job;
}
