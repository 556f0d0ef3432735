// The Sluice server the harness runs and crashes: `npm start` in its own process group (so one
// SIGKILL takes down npm, wrangler and workerd together), on a persisted state directory that
// survives restarts, with its output appended to a log the harness reads fault counts from.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * @typedef {object} ServerSettings
 * @property {string} root      repository to run `npm start` in
 * @property {number} port
 * @property {string} stateDir  --persist-to
 * @property {string} logPath
 * @property {Record<string, string>} vars  Worker variables, passed as `--var NAME:VALUE`
 * @property {string[]} [devArgs]  more `wrangler dev` arguments
 */

export class DevServer {
  /** @param {ServerSettings} settings */
  constructor(settings) {
    this.settings = settings;
    /** @type {number | null} */
    this.pgid = null;
    this.baseUrl = `http://127.0.0.1:${settings.port}`;
    this.starts = 0;
  }

  /** Starts the server and waits until /healthz answers; returns how long that took (ms). */
  async start() {
    const { root, port, stateDir, logPath, vars, devArgs = [] } = this.settings;
    const varArgs = Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
    const args = ["start", "--", "--port", String(port), "--persist-to", stateDir, ...varArgs, ...devArgs];
    const log = openSync(logPath, "a");
    const started = Date.now();
    const child = spawn("npm", args, { cwd: root, detached: true, stdio: ["ignore", log, log] });
    closeSync(log);
    if (child.pid === undefined) throw new Error("could not start npm");
    this.pgid = child.pid;
    this.starts += 1;
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    while (Date.now() - started < 180_000) {
      if (exited) throw new Error(`the server exited during startup; see ${logPath}`);
      if (await this.healthy()) return Date.now() - started;
      await sleep(250);
    }
    throw new Error(`the server did not answer /healthz within 180 s; see ${logPath}`);
  }

  async healthy() {
    try {
      const response = await globalThis.fetch(`${this.baseUrl}/healthz`, {
        signal: globalThis.AbortSignal.timeout(2000),
      });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  /** SIGKILL to the whole process group: no shutdown, no flushing, like a machine losing power. */
  kill() {
    if (this.pgid === null) return;
    try {
      process.kill(-this.pgid, "SIGKILL");
    } catch {
      // Already gone.
    }
    this.pgid = null;
  }

  /** Stops the server politely, then for sure. */
  async stop() {
    if (this.pgid === null) return;
    const pgid = this.pgid;
    try {
      process.kill(-pgid, "SIGTERM");
    } catch {
      this.pgid = null;
      return;
    }
    for (let i = 0; i < 40; i++) {
      await sleep(250);
      try {
        process.kill(-pgid, 0);
      } catch {
        this.pgid = null;
        return;
      }
    }
    this.kill();
  }

  /** How many times each fault point fired, from the `fault injected` lines the Worker logged. */
  faultCounts() {
    /** @type {Record<string, number>} */
    const counts = {};
    const text = readFileSync(this.settings.logPath, "utf8");
    for (const match of text.matchAll(/"msg":"fault injected","point":"([a-z._]+)"(?:,"count":(\d+))?/g)) {
      const point = match[1] ?? "?";
      counts[point] = (counts[point] ?? 0) + Number(match[2] ?? 1);
    }
    return counts;
  }
}
