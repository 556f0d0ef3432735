/**
 * What `npm run provision` does, as data: for every resource wrangler.toml names, the wrangler command
 * that finds out whether it exists and the one that creates it, plus the CORS rules browsers need to
 * upload straight to the buckets, and the secrets the operator sets by hand. The same list is printed
 * by `--dry-run` and executed by a real run, so the printed commands are exactly the ones that run.
 */
import os from "node:os";
import path from "node:path";

/**
 * @typedef {{ kind: "bucket" | "queue", label: string, name: string, check: string[], create: string[] }} EnsureStep
 * @typedef {{ kind: "database", label: string, name: string, list: string[], create: string[] }} DatabaseStep
 * @typedef {{ kind: "cors", label: string, bucket: string, set: string[] }} CorsStep
 * @typedef {EnsureStep | DatabaseStep | CorsStep} Step
 */

/** Where a real run writes the CORS rules that `wrangler r2 bucket cors set --file` reads. */
export const corsFile = path.join(os.tmpdir(), "sluice-provision", "r2-cors.json");

/**
 * The steps, in order: buckets (and their CORS when origins are given), queues, databases.
 * @param {import("../wrangler-config.mjs").Resources} resources
 * @param {{ origins: string[] }} options
 * @returns {Step[]}
 */
export function provisionSteps(resources, { origins }) {
  /** @type {Step[]} */
  const steps = [];
  for (const bucket of resources.buckets) {
    const where = bucket.jurisdiction ? ["--jurisdiction", bucket.jurisdiction] : [];
    steps.push({
      kind: "bucket",
      label: `R2 bucket ${bucket.name}${bucket.jurisdiction ? ` (jurisdiction ${bucket.jurisdiction})` : ""}, binding ${bucket.binding}`,
      name: bucket.name,
      check: ["r2", "bucket", "info", bucket.name, ...where],
      create: ["r2", "bucket", "create", bucket.name, ...where],
    });
    if (origins.length > 0) {
      steps.push({
        kind: "cors",
        label: `CORS of ${bucket.name}: browser uploads from ${origins.join(", ")}`,
        bucket: bucket.name,
        set: ["r2", "bucket", "cors", "set", bucket.name, ...where, "--file", corsFile, "--force"],
      });
    }
  }
  for (const queue of resources.queues) {
    steps.push({
      kind: "queue",
      label: `queue ${queue}`,
      name: queue,
      check: ["queues", "info", queue],
      create: ["queues", "create", queue],
    });
  }
  for (const database of resources.databases) {
    steps.push({
      kind: "database",
      label: `D1 database ${database.name}, binding ${database.binding}`,
      name: database.name,
      list: ["d1", "list", "--json"],
      create: ["d1", "create", database.name],
    });
  }
  return steps;
}

/**
 * R2 CORS rules for presigned uploads from browsers (docs/uploads.md): the dashboard PUTs each file or
 * part straight to R2 with the headers Sluice signed (content-type, if-none-match), and must read the
 * ETag of each part's answer to complete a multipart upload.
 * @param {string[]} origins
 */
export function corsRules(origins) {
  return {
    rules: [
      {
        allowed: { origins, methods: ["PUT", "GET", "HEAD"], headers: ["content-type", "if-none-match"] },
        exposeHeaders: ["ETag"],
        maxAgeSeconds: 3600,
      },
    ],
  };
}

/**
 * The Worker's secrets (src/config.ts documents each). Set after the first deploy with
 * `node scripts/wrangler.mjs secret put NAME`: secrets survive later deploys, and they keep
 * account-specific values out of wrangler.toml, whose [vars] would also apply to `npm start` and the
 * tests (R2_ACCOUNT_ID there would make local presigned URLs point at the real R2).
 */
export const SECRETS = [
  {
    name: "ADMIN_TOKEN",
    how: "a random string of 16+ characters, e.g. `openssl rand -hex 32`; the admin API is off without it",
  },
  {
    name: "R2_ACCESS_KEY_ID",
    how: "Access Key ID of an R2 API token (dashboard → R2 → Manage API tokens → Create: Object Read & Write on the buckets)",
  },
  { name: "R2_SECRET_ACCESS_KEY", how: "Secret Access Key of the same R2 API token" },
  {
    name: "R2_ACCOUNT_ID",
    how: "the 32-hex account id (printed above): presigned URLs name its R2 endpoint",
  },
];

/**
 * Variables of .dev.vars (and so of the generated Env type) that must NOT be set in production:
 * the local development tenant's key, and the jurisdiction simulation of local workerd.
 */
export const LOCAL_ONLY_VARS = ["DEV_API_KEY", "JURISDICTION_MODE"];

/**
 * A command as a user would type it (arguments quoted only when the shell needs it).
 * @param {string[]} args
 */
export function commandLine(args) {
  const quote = (/** @type {string} */ arg) =>
    /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
  return ["wrangler", ...args].map(quote).join(" ");
}
