#!/usr/bin/env node
// Deploys Sluice to the Cloudflare account wrangler is logged in to: applies the D1 migrations to the
// remote database, then deploys the Worker. The resources it uses must exist first (README, "Deploy").
import { spawnSync } from "node:child_process";
import { wranglerEnv } from "./wrangler-env.mjs";

/** @param {string[]} args */
function wrangler(args) {
  const result = spawnSync("wrangler", args, { stdio: "inherit", env: wranglerEnv() });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

wrangler(["d1", "migrations", "apply", "DB", "--remote"]);
wrangler(["deploy", ...process.argv.slice(2)]);
