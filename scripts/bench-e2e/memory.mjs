// Peak resident memory of a process tree (npm start: node, wrangler, workerd), sampled from /proc every
// ~200 ms: the sum of VmRSS over the root and all its descendants at each sample, the largest sum kept.
// On systems without /proc it reports null.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { clearInterval, setInterval } from "node:timers";

/** @returns {Map<number, number[]>} parent pid -> child pids */
function childrenByParent() {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may contain spaces and parentheses: the parent pid follows the last ")".
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** @param {number} pid @returns {number} bytes */
function rssOf(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** @param {number} root @returns {number} bytes over the tree */
export function treeRss(root) {
  const children = childrenByParent();
  let total = 0;
  const stack = [root];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    total += rssOf(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export class MemorySampler {
  /** @param {() => number | null} rootPid */
  constructor(rootPid) {
    this.rootPid = rootPid;
    this.peak = 0;
    /** @type {ReturnType<typeof setInterval> | null} */
    this.timer = null;
  }

  /** Starts a new measurement (the peak starts again from zero). */
  start() {
    this.peak = 0;
    if (!existsSync("/proc/self/status")) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
  }

  sample() {
    const pid = this.rootPid();
    if (pid !== null) this.peak = Math.max(this.peak, treeRss(pid));
  }

  /** @returns {number | null} the peak in bytes since start(), null without /proc */
  stop() {
    if (this.timer === null) return null;
    clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return this.peak;
  }
}
