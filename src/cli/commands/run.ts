/**
 * `sluice run --stages extract,thumbnail FILES…`: uploads the local files (file ids are used as they
 * are), creates the job with an idempotency key, follows it live to its end, and prints the outcome of
 * every file and stage. Exits 3 when any file failed (or the job was cancelled), so scripts can tell.
 */
import { newIdempotencyKey, STAGE_NAMES, type Job, type StageName } from "sluice-client";
import { EXIT, UsageError, type Cli } from "../context";
import { followJob } from "../follow";
import { jobReport } from "../job-view";
import { uploadFiles, type UploadFlags } from "./upload";

export interface RunFlags extends UploadFlags {
  stages: string;
  options?: string | undefined;
  idempotencyKey?: string | undefined;
  wait: boolean;
}

const FILE_ID = /^file_[0-9A-HJKMNP-TV-Z]{26}$/;

export function parseStages(value: string): StageName[] {
  const stages = value
    .split(",")
    .map((stage) => stage.trim())
    .filter((stage) => stage !== "");
  const unknown = stages.filter((stage) => !(STAGE_NAMES as readonly string[]).includes(stage));
  if (stages.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--stages: ${unknown.length ? `unknown stage '${unknown.join("', '")}'` : "name at least one stage"}; ` +
        `stages are ${STAGE_NAMES.join(", ")}`,
    );
  }
  return stages as StageName[];
}

function parseOptions(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new UsageError(`--options must be a JSON object, e.g. '{"thumbnail":{"size":128}}'`);
}

/** The exit code a job's end deserves. */
export const exitFor = (job: Job): number => (job.status === "completed" ? EXIT.ok : EXIT.filesFailed);

export async function runCommand(cli: Cli, args: string[], flags: RunFlags): Promise<number> {
  const stages = parseStages(flags.stages);
  const options = parseOptions(flags.options);
  const paths = args.filter((arg) => !FILE_ID.test(arg));
  const uploaded = paths.length > 0 ? await uploadFiles(cli, paths, flags) : [];
  // The job lists the files in the order given; local paths become the files uploaded for them.
  let next = 0;
  const files = args.map((arg) => (FILE_ID.test(arg) ? arg : (uploaded[next++]?.id ?? arg)));
  if (files.length === 0) throw new UsageError("name at least one file");

  const created = await cli.client.jobs.create(
    { files, stages, ...(options ? { options } : {}) },
    { idempotencyKey: flags.idempotencyKey ?? newIdempotencyKey() },
  );
  cli.progress(`created ${created.id} (${stages.join(", ")} over ${files.length} file(s))`);
  if (!flags.wait) {
    if (cli.json) cli.printJson(created);
    else cli.out(created.id);
    return EXIT.ok;
  }
  const job = await followJob(cli, created);
  if (cli.json) cli.printJson(job);
  else cli.out(jobReport(job, cli.c));
  return exitFor(job);
}
