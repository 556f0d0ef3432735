/**
 * What every command gets: the client (endpoint and key from flags or SLUICE_URL / SLUICE_API_KEY),
 * and the output mode. Results go to stdout (JSON with `--json`); progress goes to stderr, as live
 * bars on a terminal and as plain lines otherwise (scripts, CI), and not at all with `--json`.
 */
import { SluiceClient } from "sluice-client";
import { colors, type Colors } from "./format";

export interface GlobalOptions {
  url: string;
  key?: string | undefined;
  json?: boolean | undefined;
  progress?: boolean | undefined;
}

/** Exit codes (documented in `sluice --help`). */
export const EXIT = { ok: 0, error: 1, usage: 2, filesFailed: 3 } as const;

export class UsageError extends Error {
  override name = "UsageError";
}

export class Cli {
  readonly json: boolean;
  /** Live progress bars (stderr is a terminal and progress is wanted). */
  readonly interactive: boolean;
  /** Plain progress lines (stderr is not a terminal). */
  readonly plainProgress: boolean;
  readonly c: Colors;
  readonly ce: Colors;
  private clientInstance: SluiceClient | undefined;

  constructor(private readonly options: GlobalOptions) {
    this.json = options.json ?? false;
    const progress = !this.json && options.progress !== false;
    this.interactive = progress && process.stderr.isTTY;
    this.plainProgress = progress && !process.stderr.isTTY;
    this.c = colors(process.stdout);
    this.ce = colors(process.stderr);
  }

  get client(): SluiceClient {
    if (!this.options.key) {
      throw new UsageError("no API key: pass --key <key> or set SLUICE_API_KEY");
    }
    this.clientInstance ??= new SluiceClient({
      baseUrl: this.options.url,
      apiKey: this.options.key,
      streamUploads: true,
    });
    return this.clientInstance;
  }

  /** A line of the command's result (stdout). */
  out(line = ""): void {
    process.stdout.write(`${line}\n`);
  }

  /** The command's result as JSON (stdout). */
  printJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A plain progress line (stderr), only when not drawing bars and not printing JSON. */
  progress(line: string): void {
    if (this.plainProgress) process.stderr.write(`${line}\n`);
  }
}
