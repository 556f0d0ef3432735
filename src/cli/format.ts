/**
 * Text formatting for the command line: sizes, rates and durations for people, aligned tables, and
 * colour only when writing to a terminal that wants it (NO_COLOR and FORCE_COLOR are honoured).
 */
import type { StageState, StageStatus } from "sluice-client";

export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let scaled = value / 1024;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${scaled.toFixed(scaled < 10 ? 1 : 0)} ${units[unit] ?? "TiB"}`;
}

export const rate = (bytesPerSecond: number): string => `${bytes(Math.round(bytesPerSecond))}/s`;

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Columns padded to their widest cell (the last column is not padded). */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visibleLength(cell)),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

// eslint-disable-next-line no-control-regex -- ANSI colour sequences are control characters.
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (text: string): number => text.replace(ANSI, "").length;

export interface Colors {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  inverse(text: string): string;
}

export function colors(stream: { isTTY?: boolean }): Colors {
  const env = process.env;
  const on = env["FORCE_COLOR"] ? env["FORCE_COLOR"] !== "0" : Boolean(stream.isTTY) && !env["NO_COLOR"];
  const wrap = (open: number, close: number) => (text: string) =>
    on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    inverse: wrap(7, 27),
  };
}

const STAGE_MARKS: Record<StageStatus, string> = {
  pending: "·",
  started: "…",
  completed: "✓",
  failed: "✗",
  skipped: "-",
  cancelled: "⊘",
};

/** `extract ✓` / `thumbnail ✗ corrupt_file`, coloured by outcome. */
export function stageLabel(stage: string, state: StageState | undefined, c: Colors): string {
  const status = state?.status ?? "pending";
  const mark = `${stage} ${STAGE_MARKS[status]}`;
  if (status === "completed") return c.green(mark);
  if (status === "failed") return c.red(`${mark} ${state?.error?.code ?? ""}`.trimEnd());
  if (status === "skipped") return c.dim(`${mark} ${state?.reason?.code ?? ""}`.trimEnd());
  if (status === "started") return c.cyan(mark);
  if (status === "cancelled") return c.yellow(mark);
  return c.dim(mark);
}

export function statusLabel(status: string, c: Colors): string {
  if (status === "completed") return c.green(status);
  if (status === "failed") return c.red(status);
  if (status === "completed_with_errors" || status === "cancelled") return c.yellow(status);
  if (status === "processing") return c.cyan(status);
  return status;
}

/** A search snippet with its matches marked: inverse on a terminal, «…» in plain text. */
export function highlight(
  snippet: string,
  ranges: { start: number; end: number }[],
  c: Colors,
  plain: boolean,
): string {
  let out = "";
  let at = 0;
  for (const { start, end } of [...ranges].sort((a, b) => a.start - b.start)) {
    if (start < at) continue;
    const word = snippet.slice(start, end);
    out += snippet.slice(at, start) + (plain ? `«${word}»` : c.inverse(word));
    at = end;
  }
  return out + snippet.slice(at);
}
