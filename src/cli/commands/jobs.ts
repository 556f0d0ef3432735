/**
 * `sluice status JOB` (the job, every file and stage; `--follow` to watch it to its end), `sluice jobs`
 * (the tenant's jobs, newest first), and `sluice cancel JOB` / `sluice retry JOB`.
 */
import { isTerminalStatus, type JobStatus, type JobSummary } from "sluice-client";
import { EXIT, type Cli } from "../context";
import { statusLabel, table } from "../format";
import { followJob } from "../follow";
import { jobReport } from "../job-view";
import { exitFor } from "./run";

export async function statusCommand(cli: Cli, id: string, flags: { follow: boolean }): Promise<number> {
  let job = await cli.client.jobs.getWithAllFiles(id);
  if (flags.follow && !isTerminalStatus(job.status)) job = await followJob(cli, job);
  if (cli.json) cli.printJson(job);
  else cli.out(jobReport(job, cli.c));
  return isTerminalStatus(job.status) ? exitFor(job) : EXIT.ok;
}

export async function jobsCommand(
  cli: Cli,
  flags: { status?: JobStatus | undefined; limit: number },
): Promise<number> {
  const jobs: JobSummary[] = [];
  for await (const job of cli.client.jobs.iterate({
    ...(flags.status ? { status: flags.status } : {}),
    pageSize: Math.min(100, flags.limit),
  })) {
    jobs.push(job);
    if (jobs.length >= flags.limit) break;
  }
  if (cli.json) {
    cli.printJson(jobs);
    return EXIT.ok;
  }
  if (jobs.length === 0) {
    cli.out("no jobs");
    return EXIT.ok;
  }
  cli.out(
    table([
      ["job", "status", "files", "stages", "created"].map((title) => cli.c.bold(title)),
      ...jobs.map((job) => [
        job.id,
        statusLabel(job.status, cli.c),
        `${job.counts.completed}/${job.counts.total}${job.counts.failed ? ` (${job.counts.failed} failed)` : ""}`,
        job.stages.join(","),
        job.createdAt.replace("T", " ").slice(0, 19),
      ]),
    ]),
  );
  return EXIT.ok;
}

export async function cancelCommand(cli: Cli, id: string): Promise<number> {
  const job = await cli.client.jobs.cancel(id);
  if (cli.json) cli.printJson(job);
  else cli.out(jobReport(job, cli.c));
  return EXIT.ok;
}

export async function retryCommand(cli: Cli, id: string, flags: { follow: boolean }): Promise<number> {
  let job = await cli.client.jobs.retry(id);
  cli.progress(`${id}: retrying ${job.counts.pending + job.counts.processing} file(s)`);
  if (flags.follow) job = await followJob(cli, job);
  if (cli.json) cli.printJson(job);
  else cli.out(jobReport(job, cli.c));
  return flags.follow ? exitFor(job) : EXIT.ok;
}
