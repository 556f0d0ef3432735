// The environment every wrangler invocation of this project runs with: the project's own tools first
// on PATH (so wrangler runs on the Node.js version installed with the project, whatever the shell's
// `node` is), no telemetry, and no calls to Cloudflare's network from local commands.
import path from "node:path";

const binDir = path.resolve(import.meta.dirname, "..", "node_modules", ".bin");

export function wranglerEnv() {
  return {
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    DO_NOT_TRACK: "1",
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env["PATH"] ?? ""}`,
  };
}
