#!/usr/bin/env node
// Runs Sluice locally: makes sure `.dev.vars` exists, applies the D1 migrations to the local database,
// then starts `wrangler dev` with every binding local and state persisted under `.wrangler/state`.
// Extra arguments are passed to `wrangler dev` (e.g. `npm start -- --port 8788`); a `--persist-to DIR`
// among them is also given to the migration step, so the database that gets migrated is the one served.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { wranglerEnv } from "./wrangler-env.mjs";

const env = wranglerEnv();

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example (it holds DEV_API_KEY for the local tenant).");
}

/**
 * @param {string[]} args
 * @param {{ forwardSignals?: boolean }} [options]
 * @returns {Promise<number>}
 */
function run(args, { forwardSignals = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn("wrangler", args, { stdio: "inherit", env });
    if (forwardSignals) {
      for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"]))
        process.on(signal, () => child.kill(signal));
    }
    child.on("exit", (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

/**
 * The `--persist-to` option among the arguments, in either form (`--persist-to DIR`, `--persist-to=DIR`).
 * @param {string[]} args
 * @returns {string[]}
 */
function persistOption(args) {
  const index = args.findIndex((arg) => arg === "--persist-to" || arg.startsWith("--persist-to="));
  if (index === -1) return [];
  const arg = args[index] ?? "";
  if (arg.includes("=")) return [arg];
  const dir = args[index + 1];
  return dir === undefined ? [] : [arg, dir];
}

const migrated = await run([
  "d1",
  "migrations",
  "apply",
  "DB",
  "--local",
  ...persistOption(process.argv.slice(2)),
]);
if (migrated !== 0) process.exit(migrated);

const hasIp = process.argv.slice(2).some((arg) => arg === "--ip" || arg.startsWith("--ip="));
const args = ["dev", ...(hasIp ? [] : ["--ip", "127.0.0.1"]), ...process.argv.slice(2)];
process.exit(await run(args, { forwardSignals: true }));
