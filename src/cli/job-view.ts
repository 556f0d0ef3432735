/**
 * A job as text: the summary line and a row per file with each stage's outcome, followed by the
 * message of every failed stage (what a person needs to act on it).
 */
import type { Job, JobFile } from "sluice-client";
import { duration, stageLabel, statusLabel, table, type Colors } from "./format";

export function jobHeadline(job: Job, c: Colors): string {
  const { total, completed, failed, cancelled, processing, pending } = job.counts;
  const parts = [`${completed} completed`];
  if (failed) parts.push(`${failed} failed`);
  if (cancelled) parts.push(`${cancelled} cancelled`);
  if (processing) parts.push(`${processing} processing`);
  if (pending) parts.push(`${pending} pending`);
  const took =
    job.completedAt !== null ? `, ${duration(Date.parse(job.completedAt) - Date.parse(job.createdAt))}` : "";
  return `${c.bold(job.id)} ${statusLabel(job.status, c)} (${total} file${total === 1 ? "" : "s"}: ${parts.join(", ")}${took})`;
}

export function fileRows(job: Job, files: JobFile[], c: Colors): string {
  return table(
    files.map((file) => [
      `  ${file.name}`,
      statusLabel(file.status, c),
      job.stages.map((stage) => stageLabel(stage, file.stages[stage], c)).join("  "),
    ]),
  );
}

export function failureLines(job: Job, files: JobFile[], c: Colors): string[] {
  const lines: string[] = [];
  for (const file of files) {
    for (const stage of job.stages) {
      const error = file.stages[stage]?.error;
      if (file.stages[stage]?.status === "failed" && error) {
        lines.push(`  ${c.red("✗")} ${file.name} ${stage}: ${error.code}: ${error.message}`);
      }
    }
  }
  return lines;
}

export function jobReport(job: Job, c: Colors): string {
  const lines = [jobHeadline(job, c), fileRows(job, job.files, c), ...failureLines(job, job.files, c)];
  if (job.filesNextCursor !== null) lines.push(c.dim(`  … more files: sluice status ${job.id} --json`));
  return lines.join("\n");
}
