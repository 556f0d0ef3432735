/**
 * The real side of the model test: a job in its Job Durable Object, driven through the same RPC
 * methods the API and the consumers use, plus what the test needs to look inside it (its rows and
 * events) and check it against the model and ARCHITECTURE's invariants after every step.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { DEV_TENANT } from "../../../src/http/auth";
import { newFileId, newJobId } from "../../../src/ids";
import { jobStub, type JobApi } from "../../../src/jobs/job-client";
import { DEFAULT_JOB_OPTIONS } from "../../../src/pipeline/options";
import type { StageName } from "../../../src/pipeline/stage-names";
import { jobDurableObject } from "../../helpers/jobs";
import { JobModel, TERMINAL_JOB, type ModelEvent } from "./job-model";
import { count } from "./coverage";

type FileRow = {
  file_id: string;
  status: string;
  attempts: number;
  dispatches: number;
  lease_token: number | null;
  dispatched_at: number | null;
};
type TaskRow = {
  file_id: string;
  stage: string;
  status: string;
  attempts: number;
  result: string | null;
  outputs: string | null;
};
type EventRow = {
  seq: number;
  type: string;
  file_id: string | null;
  stage: string | null;
};

export interface Snapshot {
  status: string;
  leaseCounter: number;
  files: FileRow[];
  tasks: TaskRow[];
  events: EventRow[];
}

export class RealJob {
  readonly stub: JobApi;
  lastSeq = 0;
  /** The result and outputs of every task seen completed: they must never change afterwards. */
  private readonly completed = new Map<string, string>();
  private statusBefore = "pending";

  private constructor(readonly jobId: string) {
    this.stub = jobStub(env, DEV_TENANT, jobId);
  }

  static async create(fileCount: number, stages: StageName[]): Promise<{ real: RealJob; model: JobModel }> {
    const real = new RealJob(newJobId());
    const fileIds = Array.from({ length: fileCount }, () => newFileId());
    const result = await real.stub.create({
      tenantId: DEV_TENANT.id,
      jurisdiction: DEV_TENANT.jurisdiction,
      jobId: real.jobId,
      stages,
      options: DEFAULT_JOB_OPTIONS,
      webhookEndpointId: null,
      maxInFlight: 1000,
      requestHash: "model-test",
      files: fileIds.map((fileId) => ({ fileId, name: `${fileId}.bin`, size: 1, contentType: "text/plain" })),
    });
    expect(result.kind).toBe("created");
    const model = new JobModel(fileIds, stages);
    await real.check(model, "create");
    return { real, model };
  }

  /** Runs the Job DO's alarm handler (an alarm may fire at any time, and more than once). */
  alarm(): Promise<void> {
    return runInDurableObject(jobDurableObject(this.jobId), (instance: { alarm(): Promise<void> }) =>
      instance.alarm(),
    );
  }

  /** Time passes: every lease and dispatch deadline of the job lies in the past. */
  async expireDeadlines(): Promise<void> {
    await this.sql(
      `UPDATE files SET
         lease_expires_at = CASE WHEN lease_expires_at IS NULL THEN NULL ELSE 1 END,
         dispatched_at = CASE WHEN dispatched_at IS NULL THEN NULL ELSE 1 END`,
    );
  }

  async snapshot(): Promise<Snapshot> {
    const [job] = await this.sql<{ status: string; lease_counter: number }>(
      "SELECT status, lease_counter FROM job",
    );
    return {
      status: job?.status ?? "missing",
      leaseCounter: job?.lease_counter ?? -1,
      files: await this.sql<FileRow>(
        "SELECT file_id, status, attempts, dispatches, lease_token, dispatched_at FROM files ORDER BY position",
      ),
      tasks: await this.sql<TaskRow>(
        "SELECT file_id, stage, status, attempts, result, outputs FROM tasks ORDER BY file_id, stage",
      ),
      events: await this.sql<EventRow>(
        "SELECT seq, type, file_id, stage FROM events WHERE seq > ? ORDER BY seq",
        this.lastSeq,
      ),
    };
  }

  /**
   * Compares the real job with the model after an operation and checks the invariants: states
   * equal, exactly the events of the operation's transitions (one each), seq strictly increasing by
   * one, counts adding up, terminal states absorbing, and every completion made with a valid lease
   * and never changed afterwards (one result, one output per task).
   */
  async check(model: JobModel, operation: string): Promise<void> {
    const real = await this.snapshot();
    const where = `after ${operation}`;
    expect(real.status, where).toBe(model.status);
    expect(real.leaseCounter, where).toBe(model.leaseCounter);
    expect(real.files.map(fileState), where).toEqual(model.files.map(modelFileState));
    const tasks = real.tasks.map(
      ({ file_id, stage, status, attempts }) => `${file_id}/${stage} ${status} ${attempts}`,
    );
    const modelTasks = model.files.flatMap((file) =>
      [...file.tasks].map(([stage, task]) => `${file.id}/${stage} ${task.status} ${task.attempts}`),
    );
    expect(tasks.sort(), where).toEqual(modelTasks.sort());

    expect(
      real.events.map((event) => event.seq),
      where,
    ).toEqual(real.events.map((_event, index) => this.lastSeq + index + 1));
    expect(real.events.map(eventKey).sort(), where).toEqual(model.events.map(eventKey).sort());
    this.lastSeq += real.events.length;

    const view = await this.stub.get(0, 1000);
    const counts = view?.counts;
    expect(counts?.total, where).toBe(model.files.length);
    const sum = (counts?.pending ?? 0) + (counts?.processing ?? 0) + (counts?.completed ?? 0);
    expect(sum + (counts?.failed ?? 0) + (counts?.cancelled ?? 0), where).toBe(model.files.length);

    const retried = operation.startsWith("retry") || operation.startsWith("redrive");
    if (TERMINAL_JOB.has(this.statusBefore as never) && !retried)
      expect(real.status, where).toBe(this.statusBefore);
    if (TERMINAL_JOB.has(real.status as never) && real.status !== this.statusBefore)
      count(`job ${real.status}`);
    this.statusBefore = real.status;

    for (const task of real.tasks) {
      const key = `${task.file_id}/${task.stage}`;
      const earlier = this.completed.get(key);
      if (earlier !== undefined)
        expect(`${task.status} ${task.result} ${task.outputs}`, `${key} ${where}`).toBe(earlier);
      if (task.status !== "completed") continue;
      this.completed.set(key, `${task.status} ${task.result} ${task.outputs}`);
      // The result names the token of the report that completed it: the lease valid at that time.
      const { token } = JSON.parse(task.result ?? "{}") as { token?: number };
      expect(token, `${key} ${where}`).toBe(model.completedBy.get(key));
      expect(JSON.parse(task.outputs ?? "[]"), `${key} ${where}`).toHaveLength(1);
    }
  }

  private sql<T extends Record<string, SqlStorageValue>>(
    query: string,
    ...bindings: SqlStorageValue[]
  ): Promise<T[]> {
    return runInDurableObject(jobDurableObject(this.jobId), (_instance, state) =>
      state.storage.sql.exec<T>(query, ...bindings).toArray(),
    );
  }
}

const eventKey = (event: ModelEvent | EventRow): string =>
  `${event.type} ${"fileId" in event ? event.fileId : event.file_id} ${event.stage}`;

function fileState(row: FileRow): string {
  const dispatch =
    row.status !== "pending"
      ? "-"
      : row.dispatched_at === null
        ? "none"
        : row.dispatched_at === 1
          ? "expired"
          : "fresh";
  return `${row.file_id} ${row.status} a${row.attempts} d${row.dispatches} t${row.lease_token} ${dispatch}`;
}

function modelFileState(file: JobModel["files"][number]): string {
  const dispatch = file.status !== "pending" ? "-" : (file.dispatch ?? "none");
  return `${file.id} ${file.status} a${file.attempts} d${file.dispatches} t${file.token} ${dispatch}`;
}
