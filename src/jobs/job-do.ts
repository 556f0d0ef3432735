/**
 * The Job Durable Object: one per job, the single source of truth for its state. It exposes RPC
 * methods to the API (create, get, events, cancel, retry, output lookup, redrive of a dead letter) and
 * to the queue consumers (claim, report, deadLetter). Each call changes state in one SQLite transaction
 * through the state machine, then delivers the outbox (API calls wait for the delivery, consumer calls
 * do not); the alarm re-delivers what failed and re-drives lost work.
 */
import { DurableObject } from "cloudflare:workers";
import { getConfig } from "../config";
import { configureFaultsFromEnv, injectFault } from "../faults";
import type {
  ClaimResult,
  CreateJobInput,
  CreateJobResult,
  FileReport,
  OutputRecord,
  ReportResult,
} from "./contracts";
import { ErasureMachine, type CancelFileOutcome } from "./erasure-machine";
import { outputKey } from "../storage/r2-layout";
import { DeadLetterMachine, type DeadLetterOutcome, type RedriveOutcome } from "./dead-letter-machine";
import { JobMachine, type MachineSettings } from "./job-machine";
import { hasSchema, migrate } from "./job-schema";
import { JobStore } from "./job-store";
import { eventObject, jobLogContext, jobView, type JobView } from "./job-view";
import { tenantLimiter } from "../limits/tenant-limiter";
import { EventStreams } from "./event-streams";
import { deliverOutbox } from "./outbox";
import { TERMINAL_JOB_STATUSES } from "./types";
import type { EventObject } from "../schemas/jobs";
import type { StageName } from "../pipeline/stage-names";
import { configureLogging, errorText, log } from "../observability/log";

export const DEFAULT_FILES_PAGE = 100;

/** How long a consumer call's background delivery has before the alarm would deliver in its place. */
const BACKGROUND_DELIVERY_GRACE_MS = 10_000;

export interface EventsPage {
  events: EventObject[];
  ended: boolean;
}

export class JobDurableObject extends DurableObject<Env> {
  private readonly store: JobStore;
  private readonly settings: MachineSettings;
  private exists = false;
  private delivering: Promise<void> = Promise.resolve();
  /** The delivery that has not started yet, which new calls join instead of queueing another. */
  private nextDelivery: Promise<void> | null = null;
  private nextRefreshesSlots = false;
  private readonly streams = new EventStreams({ read: (after, limit) => this.events(after, limit) });

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    configureFaultsFromEnv(env);
    configureLogging(env);
    this.store = new JobStore(ctx.storage.sql);
    const config = getConfig(env);
    this.settings = {
      leaseMs: config.LEASE_MS,
      redriveAfterMs: config.REDRIVE_AFTER_MS,
      maxAttempts: config.MAX_ATTEMPTS,
      projectionDebounceMs: config.PROJECTION_DEBOUNCE_MS,
    };
    void ctx.blockConcurrencyWhile(async () => {
      // An object that was never created stays empty: probing an unknown id writes nothing.
      this.exists = hasSchema(ctx.storage.sql);
      if (this.exists) migrate(ctx.storage.sql);
      await Promise.resolve();
    });
  }

  // ---- API ------------------------------------------------------------------------------------

  async create(input: CreateJobInput): Promise<CreateJobResult> {
    const outcome = this.transaction(() => {
      if (!this.exists) {
        migrate(this.ctx.storage.sql);
        this.exists = true;
      }
      return this.machine().create(input, Date.now());
    });
    if (outcome === "conflict") return { kind: "conflict" };
    return { kind: outcome, job: await this.viewAfterDelivery() };
  }

  async get(afterPosition = 0, filesLimit = DEFAULT_FILES_PAGE): Promise<JobView | null> {
    if (!this.exists) return null;
    await this.ensureAlarm();
    return this.view(afterPosition, filesLimit);
  }

  events(afterSeq: number, limit: number): EventsPage | null {
    const job = this.exists ? this.store.job() : null;
    if (!job) return null;
    const rows = this.store.events(afterSeq, limit + 1);
    const events = rows.slice(0, limit).map((row) => eventObject(job.id, row));
    return { events, ended: rows.length <= limit && TERMINAL_JOB_STATUSES.has(job.status) };
  }

  /** A live SSE stream of the job's events after `afterSeq` (null when the job does not exist). */
  eventStream(afterSeq: number): ReadableStream<Uint8Array> | null {
    if (!this.exists || !this.store.job()) return null;
    return this.streams.open(afterSeq);
  }

  async cancel(): Promise<{ outcome: "cancelled" | "terminal"; job: JobView } | null> {
    if (!this.exists) return null;
    const outcome = this.transaction(() => this.machine().cancel(Date.now()));
    return { outcome, job: await this.viewAfterDelivery() };
  }

  async retry(): Promise<{ outcome: "retried" | "running" | "nothing"; job: JobView } | null> {
    if (!this.exists) return null;
    const outcome = this.transaction(() => this.machine().retry(Date.now()));
    return { outcome, job: await this.viewAfterDelivery() };
  }

  /** Which stage wrote a completed output of a file, for serving it (null when there is none). */
  output(fileId: string, name: string): { stage: StageName; output: OutputRecord } | null {
    if (!this.exists) return null;
    for (const task of this.store.tasksOf(fileId)) {
      if (task.status !== "completed" || task.outputs === null) continue;
      const output = (JSON.parse(task.outputs) as OutputRecord[]).find(
        (candidate) => candidate.name === name,
      );
      if (output) return { stage: task.stage, output };
    }
    return null;
  }

  /** The ids of the job's files (for deleting what the job derived from them). */
  fileIds(): string[] | null {
    if (!this.exists || !this.store.job()) return null;
    return this.store.fileIds();
  }

  /** One of the job's files is being deleted: stop the work on it (see erasure-machine.ts). */
  async cancelFile(fileId: string): Promise<CancelFileOutcome | null> {
    if (!this.exists || !this.store.job()) return null;
    const machine = new ErasureMachine(this.store, this.settings);
    const outcome = this.transaction(() => machine.cancelFile(fileId, Date.now()));
    await this.afterChange();
    return outcome;
  }

  /** The R2 keys of every output the job recorded, for deleting them in batches without listing. */
  outputKeys(): string[] | null {
    const job = this.exists ? this.store.job() : null;
    if (!job) return null;
    return this.store
      .recordedOutputs()
      .map((output) => outputKey(job.tenant_id, output.file_id, job.id, output.stage, output.name));
  }

  /** Deletes the job's state for good; the object is empty afterwards (the job no longer exists). */
  async purge(): Promise<boolean> {
    if (!this.exists) return false;
    this.streams.closeAll();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.exists = false;
    return true;
  }

  // ---- queue consumers ------------------------------------------------------------------------

  async claim(fileIds: string[], leaseMs?: number): Promise<ClaimResult[]> {
    if (!this.exists) return fileIds.map((fileId) => ({ outcome: "skip", fileId, reason: "no_job" }));
    const results = this.transaction(() =>
      this.machine().claim(fileIds, Date.now(), leaseMs ?? this.settings.leaseMs),
    );
    await this.afterChangeInBackground();
    return results;
  }

  async report(reports: FileReport[]): Promise<ReportResult[]> {
    if (!this.exists) return reports.map(({ fileId }) => ({ fileId, accepted: false, reason: "no_job" }));
    const results = this.transaction(() => this.machine().report(reports, Date.now()));
    await this.afterChangeInBackground();
    return results;
  }

  /** The queue gave up on the file's message: fail what it still had to do (dead-letter consumer). */
  async deadLetter(fileId: string, generation?: number): Promise<DeadLetterOutcome> {
    if (!this.exists) return { kind: "no_job" };
    const machine = new DeadLetterMachine(this.store, this.settings);
    const outcome = this.transaction(() => machine.recordDeadLetter(fileId, Date.now(), generation));
    await this.afterChangeInBackground();
    return outcome;
  }

  /** Runs a dead-lettered (failed) file again, even when the job had ended (POST …/redrive). */
  async redrive(fileId: string): Promise<RedriveOutcome> {
    if (!this.exists) return { kind: "no_job" };
    const machine = new DeadLetterMachine(this.store, this.settings);
    const outcome = this.transaction(() => machine.redrive(fileId, Date.now()));
    await this.afterChange();
    return outcome;
  }

  /** Called by the tenant's limiter when concurrency slots freed up: dispatch what is waiting. */
  async wake(): Promise<void> {
    if (!this.exists) return;
    this.transaction(() => {
      this.store.bringDispatchesForward(Date.now());
    });
    await this.afterChangeInBackground();
  }

  // ---- alarm ----------------------------------------------------------------------------------

  override async alarm(): Promise<void> {
    if (!this.exists) return;
    const touched = this.transaction(() => this.machine().sweep(Date.now()));
    if (touched.length > 0) {
      log("warn", "alarm redrive", {
        ...jobLogContext(this.store.job()),
        files: touched.length,
        fileIds: touched.slice(0, 20),
      });
    }
    injectFault("alarm");
    await this.afterChange(true);
  }

  // ---- internals ------------------------------------------------------------------------------

  private machine(): JobMachine {
    return new JobMachine(this.store, this.settings);
  }

  private transaction<T>(fn: () => T): T {
    return this.ctx.storage.transactionSync(fn);
  }

  private view(afterPosition: number, filesLimit: number): JobView {
    const job = this.store.job();
    if (!job) throw new Error("job does not exist");
    return jobView(job, this.store, afterPosition, filesLimit);
  }

  /**
   * An API call's answer: the job as its own transaction left it, returned once the delivery is done.
   * Taken before delivering, because consumers may already be at work once tasks are sent.
   */
  private async viewAfterDelivery(): Promise<JobView> {
    const job = this.view(0, DEFAULT_FILES_PAGE);
    await this.afterChange();
    return job;
  }

  /** Delivers the outbox and sets the alarm for what remains; the caller waits for both. */
  private async afterChange(refreshSlots = false): Promise<void> {
    this.streams.notify();
    await this.requestDelivery(refreshSlots);
    await this.scheduleAlarm();
  }

  /**
   * For the consumers' calls (claim, report, dead letter, wake): the call returns as soon as its
   * transaction committed and the alarm is set, and the outbox is delivered after the answer. A
   * consumer never needs the delivery's outcome, and waiting for it (queue sends, the tenant's
   * limiter, D1) was most of a call's time. What the delivery does not finish, the alarm does.
   */
  private async afterChangeInBackground(): Promise<void> {
    this.streams.notify();
    // The alarm is the safety net should the object stop before the delivery ends; it is set a
    // little later than the outbox's due rows so it does not fire while the delivery is running.
    await this.scheduleAlarm(Date.now() + BACKGROUND_DELIVERY_GRACE_MS);
    const context = jobLogContext(this.store.job());
    this.ctx.waitUntil(
      this.requestDelivery(false)
        .then(() => this.scheduleAlarm())
        .catch((error: unknown) => {
          log("error", "outbox delivery failed", { ...context, error: errorText(error) });
        }),
    );
  }

  /**
   * One delivery runs at a time per object. Calls that arrive while one runs share the next one
   * (it drains everything due), so a burst of reports costs one more delivery, not one each.
   */
  private requestDelivery(refreshSlots: boolean): Promise<void> {
    this.nextRefreshesSlots ||= refreshSlots;
    if (this.nextDelivery) return this.nextDelivery;
    const run = this.delivering.then(() => {
      this.nextDelivery = null;
      const refresh = this.nextRefreshesSlots;
      this.nextRefreshesSlots = false;
      return this.deliver(refresh);
    });
    this.nextDelivery = run;
    this.delivering = run.catch(() => undefined);
    return run;
  }

  private async deliver(refreshSlots: boolean): Promise<void> {
    const job = this.store.job();
    if (!job) return;
    await deliverOutbox(
      this.store,
      {
        tasks: this.env.TASKS,
        db: this.env.DB,
        events: this.env.EVENTS,
        webhooks: this.env.WEBHOOKS,
        limiter: tenantLimiter(this.env, job.tenant_id),
        // A running job refreshes its holding at least every REDRIVE_AFTER_MS (its alarm).
        slots: { ttlMs: this.settings.leaseMs + 2 * this.settings.redriveAfterMs },
      },
      (fn) => this.transaction(fn),
      { refreshSlots },
    );
  }

  private async scheduleAlarm(notBefore = 0): Promise<void> {
    const job = this.store.job();
    if (!job) return;
    const now = Date.now();
    let next = this.store.nextDeadline(this.settings.redriveAfterMs);
    // A job that is still running always has an alarm: it is what re-drives lost work.
    if (!TERMINAL_JOB_STATUSES.has(job.status))
      next = Math.min(next ?? Infinity, now + this.settings.redriveAfterMs);
    const current = await this.ctx.storage.getAlarm();
    if (next === null) {
      if (current !== null) await this.ctx.storage.deleteAlarm();
      return;
    }
    const at = Math.max(next, now, notBefore);
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** Re-arms a running job whose alarm went missing (e.g. it came due while the server was down). */
  private async ensureAlarm(): Promise<void> {
    const job = this.store.job();
    if (job && !TERMINAL_JOB_STATUSES.has(job.status) && (await this.ctx.storage.getAlarm()) === null) {
      await this.scheduleAlarm();
    }
  }
}
