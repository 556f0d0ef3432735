// What the tables of `npm run bench:stages` share: finding a native reference tool, timing it, and
// printing a figure.
import { spawnSync } from "node:child_process";

/**
 * The tool's path on PATH, or null when it is not installed.
 * @param {string} tool
 * @returns {string | null}
 */
export const which = (tool) =>
  spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim() || null;

/**
 * Best of two wall-clock runs of a command (its process start included), in ms, or null when it fails.
 * @param {string} command
 * @param {string[]} args
 * @returns {number | null}
 */
export function timeCommand(command, args) {
  /** @type {number | null} */
  let best = null;
  for (let i = 0; i < 2; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(command, args, { encoding: "buffer", maxBuffer: 256 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run.error || run.status !== 0) return null;
    best = best === null ? ms : Math.min(best, ms);
  }
  return best;
}

/**
 * A figure with `digits` decimals, or "-" when there is none.
 * @param {number | null | undefined} n
 * @param {number} [digits]
 */
export const fmt = (n, digits = 0) =>
  n === null || n === undefined || !Number.isFinite(n) ? "-" : n.toFixed(digits);
