/**
 * Follows a job to its end with live progress (SSE, or polling when streaming fails), then answers
 * the job as it ended with all its files. Ctrl-C stops following, not the job.
 */
import type { Job } from "sluice-client";
import type { Cli } from "./context";
import { JobProgress } from "./job-progress";

export async function followJob(cli: Cli, job: Job): Promise<Job> {
  const client = cli.client;
  const display = new JobProgress(cli, job);
  const abort = new AbortController();
  const interrupt = () => {
    abort.abort(new Error("interrupted"));
  };
  process.once("SIGINT", interrupt);
  let refreshing: Promise<void> = Promise.resolve();
  try {
    await client.jobs.wait(job.id, {
      signal: abort.signal,
      onTransport: (transport) => {
        if (transport === "poll") cli.progress(`${job.id}: live events unavailable, polling`);
      },
      onEvent: (event) => {
        if (display.apply(event)) {
          refreshing = refreshing
            .then(() => client.jobs.getWithAllFiles(job.id))
            .then((fresh) => {
              display.refresh(fresh);
            })
            .catch(() => undefined);
        }
      },
    });
    await refreshing;
    const final = await client.jobs.getWithAllFiles(job.id);
    display.refresh(final);
    return final;
  } catch (error) {
    if (abort.signal.aborted) {
      display.stop();
      process.stderr.write(`\nstopped following; the job goes on: sluice status ${job.id}\n`);
      process.exit(130);
    }
    throw error;
  } finally {
    process.off("SIGINT", interrupt);
    display.stop();
  }
}
