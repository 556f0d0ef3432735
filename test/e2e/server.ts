/**
 * Starts Sluice the way a developer does (`npm start`, i.e. wrangler dev with local R2, Queues, D1 and
 * Durable Objects) on a port and a fresh state directory of its own, and stops it with its whole
 * process group. Settings come from `.dev.vars.example`, overridden by `.dev.vars`.
 */
import { spawn } from "node:child_process";
import { existsSync, openSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

export interface Server {
  url: string;
  vars: Record<string, string>;
  stop(): Promise<void>;
}

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");

export function localVars(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of [".dev.vars.example", ".dev.vars"]) {
    const file = path.join(repoRoot, name);
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (match?.[1] && match[2] !== undefined) vars[match[1]] = match[2];
    }
  }
  return vars;
}

export async function startServer(options: {
  port: number;
  stateDir: string;
  logFile: string;
}): Promise<Server> {
  const url = `http://127.0.0.1:${options.port}`;
  if (await healthy(url))
    throw new Error(`something already answers on ${url}; stop it or set SLUICE_E2E_PORT`);
  rmSync(options.stateDir, { recursive: true, force: true });
  const vars = localVars();
  const args = ["start", "--", "--port", String(options.port), "--persist-to", options.stateDir];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const log = openSync(options.logFile, "w");
  const child = spawn("npm", args, { cwd: repoRoot, detached: true, stdio: ["ignore", log, log] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 90_000;
  while (!(await healthy(url))) {
    if (child.exitCode !== null)
      throw new Error(`npm start exited (${child.exitCode}); see ${options.logFile}`);
    if (Date.now() > deadline)
      throw new Error(`Sluice did not answer on ${url} in 90 s; see ${options.logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    vars,
    stop: async () => {
      if (child.pid !== undefined && child.exitCode === null) {
        process.kill(-child.pid, "SIGTERM");
        const timer = setTimeout(() => {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        }, 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}
