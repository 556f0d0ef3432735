/**
 * Live progress of a job while its events arrive. On a terminal: a bar for the job (files finished)
 * and, for jobs of up to 20 files, a bar per file whose label shows each stage's state as it moves.
 * Otherwise: a plain line per stage outcome and per finished file. The state comes from applying each
 * event to the job (no request per event); the caller refetches the job when `apply` says it is stale.
 */
import { MultiBar, type SingleBar } from "cli-progress";
import { applyEvent, type Job, type JobEvent, type JobFile } from "sluice-client";
import type { Cli } from "./context";
import { duration, stageLabel, statusLabel } from "./format";
import { fit } from "./upload-progress";

const MAX_FILE_BARS = 20;

export class JobProgress {
  private readonly bars: MultiBar | null;
  private jobBar: SingleBar | null = null;
  private readonly fileBars = new Map<string, SingleBar>();
  private readonly nameWidth: number;

  constructor(
    private readonly cli: Cli,
    private job: Job,
  ) {
    this.nameWidth = Math.min(32, Math.max(8, ...job.files.map((file) => file.name.length)));
    this.bars = cli.interactive
      ? new MultiBar({
          stream: process.stderr,
          format: "{label} {bar} {value}/{total} {detail}",
          barsize: 16,
          hideCursor: true,
          clearOnComplete: false,
          fps: 8,
          barCompleteChar: "█",
          barIncompleteChar: "░",
        })
      : null;
    if (this.bars) {
      this.jobBar = this.bars.create(job.counts.total, 0, {});
      if (job.files.length <= MAX_FILE_BARS) {
        for (const file of job.files)
          this.fileBars.set(file.fileId, this.bars.create(job.stages.length, 0, {}));
      }
      this.redraw();
    }
  }

  /** Applies an event; answers true when the job should be fetched again. */
  apply(event: JobEvent): boolean {
    const { stale } = applyEvent(this.job, event);
    this.describe(event);
    this.redraw();
    return stale;
  }

  /** Replaces the state with a freshly fetched job (after a retry, a cancel, or at the end). */
  refresh(job: Job): void {
    this.job = job;
    this.redraw();
  }

  stop(): void {
    this.redraw();
    this.bars?.stop();
  }

  private redraw(): void {
    if (!this.bars) return;
    const ended = this.job.counts.completed + this.job.counts.failed + this.job.counts.cancelled;
    this.jobBar?.setTotal(Math.max(1, this.job.counts.total));
    this.jobBar?.update(ended, {
      label: fit(this.job.id, this.nameWidth),
      detail: `files  ${statusLabel(this.job.status, this.cli.ce)}`,
    });
    for (const file of this.job.files) {
      const bar = this.fileBars.get(file.fileId);
      if (!bar) continue;
      bar.update(finishedStages(this.job, file), {
        label: fit(file.name, this.nameWidth),
        detail: this.job.stages.map((stage) => stageLabel(stage, file.stages[stage], this.cli.ce)).join(" "),
      });
    }
  }

  private describe(event: JobEvent): void {
    if (!this.cli.plainProgress) return;
    const file = this.job.files.find((candidate) => candidate.fileId === event.fileId);
    const name = file?.name ?? event.fileId ?? "";
    const data = event.data;
    switch (event.type) {
      case "job.started":
        this.cli.progress(`${this.job.id}: started`);
        break;
      case "job.stage_completed":
        this.cli.progress(
          `${name}: ${event.stage ?? ""} completed (${duration(Number(data["durationMs"] ?? 0))})`,
        );
        break;
      case "job.stage_failed":
      case "job.stage_skipped": {
        const problem = (data["error"] ?? data["reason"]) as { code?: string; message?: string } | undefined;
        const verb = event.type === "job.stage_failed" ? "failed" : "skipped";
        this.cli.progress(
          `${name}: ${event.stage ?? ""} ${verb}: ${problem?.code ?? ""} ${problem?.message ?? ""}`.trimEnd(),
        );
        break;
      }
      case "job.file_completed":
      case "job.file_failed":
        this.cli.progress(`${name}: ${event.type === "job.file_completed" ? "completed" : "failed"}`);
        break;
      case "job.completed":
      case "job.failed":
      case "job.cancelled":
        this.cli.progress(`${this.job.id}: ${this.job.status}`);
        break;
      case "job.retried":
        this.cli.progress(
          `${this.job.id}: retrying ${typeof data["files"] === "number" ? data["files"] : "the failed"} file(s)`,
        );
        break;
      default:
        break;
    }
  }
}

function finishedStages(job: Job, file: JobFile): number {
  return job.stages.filter((stage) => {
    const status = file.stages[stage]?.status;
    return status !== undefined && status !== "pending" && status !== "started";
  }).length;
}
