#!/usr/bin/env node
// Runs the project's wrangler with the project's offline, telemetry-free environment.
// Usage: node scripts/wrangler.mjs <wrangler arguments…>
import { spawn } from "node:child_process";
import { wranglerEnv } from "./wrangler-env.mjs";

const child = spawn("wrangler", process.argv.slice(2), { stdio: "inherit", env: wranglerEnv() });
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"]))
  process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
