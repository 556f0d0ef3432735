/**
 * Progress of uploads: on a terminal, one live bar per file with bytes sent, total and rate (cli-progress
 * MultiBar on stderr); otherwise a plain line when a file starts, at each quarter, and when it is done.
 */
import { MultiBar, type SingleBar } from "cli-progress";
import type { FileObject, UploadProgress } from "sluice-client";
import type { Cli } from "./context";
import { bytes, duration, rate } from "./format";
import type { LocalFile } from "./local-files";

export interface UploadTracker {
  onProgress: (progress: UploadProgress) => void;
  done: (file: FileObject) => void;
  fail: (error: unknown) => void;
}

export class UploadDisplay {
  private readonly bars: MultiBar | null;
  private readonly nameWidth: number;

  constructor(
    private readonly cli: Cli,
    files: LocalFile[],
  ) {
    // Everything but the name takes about 64 columns; the name gets what is left of the terminal.
    const room = Math.max(12, (process.stderr.columns || 80) - 64);
    this.nameWidth = Math.min(room, 32, Math.max(...files.map((file) => file.name.length)));
    this.bars = cli.interactive
      ? new MultiBar({
          stream: process.stderr,
          format: "{name} {bar} {percentage}% {sent}/{size} {rate} {state}",
          barsize: 16,
          hideCursor: true,
          clearOnComplete: false,
          fps: 8,
          barCompleteChar: "█",
          barIncompleteChar: "░",
        })
      : null;
  }

  track(file: LocalFile): UploadTracker {
    // The clock starts at the first request (after the local SHA-256): the rate is the upload's.
    let started = Date.now();
    const name = fit(file.name, this.nameWidth);
    const payload = (loaded: number, state: string) => ({
      name,
      sent: bytes(loaded),
      size: bytes(file.size),
      rate: rate(loaded / Math.max(0.001, (Date.now() - started) / 1000)),
      state,
    });
    const bar: SingleBar | null = this.bars?.create(Math.max(1, file.size), 0, payload(0, "waiting")) ?? null;
    let quarter = 0;
    let announced = false;
    return {
      onProgress: ({ loaded, total, method }) => {
        if (!announced) {
          announced = true;
          started = Date.now();
          this.cli.progress(`upload ${file.name}: ${bytes(total)}, ${method}`);
        }
        bar?.update(loaded, payload(loaded, method));
        const reached = Math.floor((loaded / Math.max(1, total)) * 4);
        if (reached > quarter && reached < 4) {
          quarter = reached;
          this.cli.progress(
            `upload ${file.name}: ${reached * 25}% (${bytes(loaded)}, ${payload(loaded, "").rate})`,
          );
        }
      },
      done: (stored) => {
        bar?.update(Math.max(1, file.size), payload(file.size, "✓ done"));
        const took = Date.now() - started;
        this.cli.progress(
          `uploaded ${file.name} -> ${stored.id} (${bytes(stored.size)} in ${duration(took)}, ${rate(stored.size / Math.max(0.001, took / 1000))})`,
        );
      },
      fail: (error) => {
        bar?.update(payload(0, "✗ failed"));
        this.cli.progress(
          `upload ${file.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    };
  }

  stop(): void {
    this.bars?.stop();
  }
}

/** Cuts or pads a name to a column width. */
export function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}
