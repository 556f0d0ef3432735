/**
 * The `sluice` command line, built on the typed client. Commander parses the arguments (subcommands,
 * options with environment fallbacks, generated help); each command lives in commands/. Errors from
 * the API are printed with their code, status and request id; the exit code says what happened.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { isApiError, JOB_STATUSES, SluiceError, SluiceNetworkError, type JobStatus } from "sluice-client";
import { jobsCommand, cancelCommand, retryCommand, statusCommand } from "./commands/jobs";
import { getCommand } from "./commands/get";
import { runCommand } from "./commands/run";
import { searchCommand } from "./commands/search";
import { uploadCommand } from "./commands/upload";
import { Cli, EXIT, UsageError, type GlobalOptions } from "./context";

declare const SLUICE_VERSION: string;

const positiveInt = (value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError("must be a positive whole number");
  return number;
};

function program(run: (action: () => Promise<number>) => Promise<void>): Command {
  const root = new Command("sluice")
    .description("Upload files to Sluice, run pipelines over them and follow the jobs.")
    .version(typeof SLUICE_VERSION === "string" ? SLUICE_VERSION : "dev")
    .addOption(
      new Option("--url <url>", "Sluice endpoint").env("SLUICE_URL").default("http://127.0.0.1:8787"),
    )
    .addOption(new Option("--key <key>", "API key").env("SLUICE_API_KEY"))
    .option("--json", "print results as JSON (no progress output)")
    .option("--no-progress", "no progress output")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 done, 1 error (API or network), 2 usage, 3 the job ended with failed or cancelled files." +
        "\nProgress goes to stderr (bars on a terminal, plain lines otherwise); results go to stdout.",
    );
  const cli = (command: Command) => new Cli(command.optsWithGlobals<GlobalOptions>());
  const uploadOptions = (command: Command) =>
    command
      .option("--multipart-threshold <MiB>", "files above this many MiB go up in parts", positiveInt, 16)
      .option(
        "--part-size <MiB>",
        "part size for multipart uploads (at least 5; default: the server's)",
        positiveInt,
      )
      .option("--parallel <n>", "files uploaded at once", positiveInt, 3);

  uploadOptions(
    root.command("upload").description("upload files").argument("<files...>", "local files"),
  ).action((files: string[], flags: Parameters<typeof uploadCommand>[2], command: Command) =>
    run(() => uploadCommand(cli(command), files, flags)),
  );

  uploadOptions(
    root
      .command("run")
      .description("upload files, run stages over them as a job, and follow it to its end")
      .argument("<files...>", "local files, or ids of files already uploaded")
      .requiredOption("-s, --stages <list>", "comma-separated stages: extract,analyze,enrich,thumbnail,index")
      .option("--options <json>", 'job options, e.g. \'{"thumbnail":{"size":128}}\'')
      .option("--idempotency-key <key>", "repeat a run without creating a second job")
      .option("--no-wait", "print the job id and return without following it"),
  ).action((files: string[], flags: Parameters<typeof runCommand>[2], command: Command) =>
    run(() => runCommand(cli(command), files, flags)),
  );

  root
    .command("status")
    .description("a job's status, with every file and stage")
    .argument("<job>", "job id")
    .option("-f, --follow", "follow the job live until it ends", false)
    .action((id: string, flags: { follow: boolean }, command: Command) =>
      run(() => statusCommand(cli(command), id, flags)),
    );

  root
    .command("jobs")
    .description("the tenant's jobs, newest first")
    .addOption(new Option("--status <status>", "only jobs with this status").choices(JOB_STATUSES))
    .option("-n, --limit <n>", "how many", positiveInt, 20)
    .action((flags: { status?: JobStatus; limit: number }, command: Command) =>
      run(() => jobsCommand(cli(command), flags)),
    );

  root
    .command("search")
    .description("search the indexed documents")
    .argument("<query>", 'words to find; "quoted phrase", OR, -exclude, prefix*')
    .option("-n, --limit <n>", "how many results", positiveInt, 10)
    .action((query: string, flags: { limit: number }, command: Command) =>
      run(() => searchCommand(cli(command), query, flags)),
    );

  root
    .command("get")
    .description("download a job's outputs (text, thumbnails, …) and the job itself")
    .argument("<job>", "job id")
    .requiredOption("-o, --out <dir>", "directory to write to")
    .action((id: string, flags: { out: string }, command: Command) =>
      run(() => getCommand(cli(command), id, flags)),
    );

  root
    .command("cancel")
    .description("cancel a pending or running job")
    .argument("<job>", "job id")
    .action((id: string, _flags: unknown, command: Command) => run(() => cancelCommand(cli(command), id)));

  root
    .command("retry")
    .description("run the failed files of a job again")
    .argument("<job>", "job id")
    .option("-f, --follow", "follow the job until it ends again", false)
    .action((id: string, flags: { follow: boolean }, command: Command) =>
      run(() => retryCommand(cli(command), id, flags)),
    );
  return root;
}

function report(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`sluice: ${error.message}\n`);
    return EXIT.usage;
  }
  if (isApiError(error)) {
    const id = error.requestId ? ` (request ${error.requestId})` : "";
    process.stderr.write(`sluice: ${error.code} (HTTP ${error.status}): ${error.detail}${id}\n`);
    return EXIT.error;
  }
  if (error instanceof SluiceNetworkError) {
    process.stderr.write(
      `sluice: cannot reach Sluice: ${error.message}\n(is it running? --url / SLUICE_URL)\n`,
    );
    return EXIT.error;
  }
  process.stderr.write(
    `sluice: ${error instanceof SluiceError || error instanceof Error ? error.message : String(error)}\n`,
  );
  return EXIT.error;
}

async function main(): Promise<void> {
  let code: number = EXIT.ok;
  const run = async (action: () => Promise<number>) => {
    try {
      code = await action();
    } catch (error) {
      code = report(error);
    }
  };
  const root = program(run).exitOverride();
  try {
    await root.parseAsync(process.argv);
  } catch (error) {
    const exitCode = (error as { exitCode?: number }).exitCode;
    // Commander has printed help, the version, or what was wrong with the arguments.
    code = exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  process.exitCode = code;
}

void main();
