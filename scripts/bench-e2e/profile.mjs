// CPU profile of the Worker while a workload runs: wrangler dev exposes the Worker's isolate (HTTP
// handlers, queue consumers and Durable Objects all run in it locally) over the Chrome DevTools
// protocol on its inspector port. The profile is saved as a .cpuprofile (open it in Chrome DevTools
// or speedscope) and summarised as self time per function and per source file.
import { writeFileSync } from "node:fs";

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} Profile
 */

export class InspectorProfiler {
  /** @param {number} port the wrangler dev inspector port */
  constructor(port) {
    this.port = port;
    /** @type {WebSocket | null} */
    this.socket = null;
    this.nextId = 1;
    /** @type {Map<number, (message: { result?: unknown, error?: { message: string } }) => void>} */
    this.pending = new Map();
  }

  async start() {
    const targets = await (await globalThis.fetch(`http://127.0.0.1:${this.port}/json`)).json();
    const target = targets.find(
      (/** @type {{ webSocketDebuggerUrl?: string }} */ t) => t.webSocketDebuggerUrl,
    );
    if (!target) throw new Error(`no inspectable Worker on port ${this.port}`);
    // wrangler's inspector proxy refuses a connection without an Origin header; Node's WebSocket
    // (undici) takes extra headers in its second argument, which the DOM typings do not know.
    const init = /** @type {string[]} */ (
      /** @type {unknown} */ ({ headers: { Origin: `http://127.0.0.1:${this.port}` } })
    );
    const socket = new globalThis.WebSocket(target.webSocketDebuggerUrl, init);
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", reject, { once: true });
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data));
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
    this.socket = socket;
    await this.send("Profiler.enable");
    // 1 ms sampling: fine enough for per-file work of a few milliseconds, cheap enough not to skew it.
    await this.send("Profiler.setSamplingInterval", { interval: 1000 });
    await this.send("Profiler.start");
  }

  /** @returns {Promise<Profile>} */
  async stop() {
    const { profile } = /** @type {{ profile: Profile }} */ (await this.send("Profiler.stop"));
    this.socket?.close();
    return profile;
  }

  /**
   * @param {string} method
   * @param {Record<string, unknown>} [params]
   */
  send(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (message) =>
        message.error ? reject(new Error(message.error.message)) : resolve(message.result),
      );
      this.socket?.send(JSON.stringify({ id, method, params }));
    });
  }
}

/** A readable place for a frame: the package or the repository file it comes from. */
function place(/** @type {ProfileNode["callFrame"]} */ frame) {
  const url = frame.url;
  if (!url) return "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  const src = /\/(src\/.*)$/.exec(url);
  return src?.[1] ?? url.replace(/^.*\//, "");
}

/**
 * Writes the profile and prints self time by function and by source file.
 * @param {Profile} profile
 * @param {string} file
 * @param {number} top
 */
export function reportProfile(profile, file, top = 20) {
  writeFileSync(file, JSON.stringify(profile));
  /** @type {Map<number, number>} */
  const selfMs = new Map();
  profile.samples.forEach((nodeId, index) => {
    selfMs.set(nodeId, (selfMs.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  /** @type {Map<string, number>} */
  const byPlace = new Map();
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, lineNumber } = node.callFrame;
    const where = place(node.callFrame);
    const name = `${functionName || "(anonymous)"}  ${where}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byPlace.set(where, (byPlace.get(where) ?? 0) + ms);
  }
  const table = (/** @type {Map<string, number>} */ map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, ms]) =>
          `  ${(ms / 1000).toFixed(2).padStart(7)} s  ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${name}`,
      )
      .join("\n");
  console.log(
    `\nCPU profile of the Worker isolate (${(totalMs / 1000).toFixed(1)} s sampled), saved to ${file}`,
  );
  console.log(`self time by source:\n${table(byPlace)}`);
  console.log(`self time by function:\n${table(byFunction)}`);
}
