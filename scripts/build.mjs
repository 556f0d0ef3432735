#!/usr/bin/env node
// Builds what is not the Worker itself, into dist/ (git-ignored):
//   dist/cli/sluice.cjs  the command line (`npx sluice`), one file for Node.js 20+, from src/cli/
//   dist/public/         the Worker's static assets: the dashboard (src/dashboard/) at /, and the API
//                        reference's renderer (swagger-ui-dist) under /docs/
//   dist/types/          declarations of the typed client (src/client/), which the command line, the
//                        dashboard and the Node-side tests type-check against as `sluice-client`
// It runs on `npm install` (the `prepare` script) and before `npm start`, `npm test` and deploys.
// `--watch` rebuilds the bundles on changes; `--no-types` skips the declarations (only type checks use them).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "dist");
const publicDir = path.join(out, "public");
const watch = process.argv.includes("--watch");
const withTypes = !process.argv.includes("--no-types");
const version = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version;

// Files are overwritten in place, never deleted first: a server or test run in this checkout may be
// reading the assets directory right now, and it must never find it missing.
mkdirSync(path.join(publicDir, "docs"), { recursive: true });

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    // CommonJS, so the bundled CommonJS libraries can `require` Node's built-ins.
    entryPoints: [path.join(root, "src/cli/main.ts")],
    outfile: path.join(out, "cli/sluice.cjs"),
    platform: "node",
    target: "node20",
    format: "cjs",
    banner: { js: "#!/usr/bin/env node" },
    define: { SLUICE_VERSION: JSON.stringify(version) },
  },
  {
    // The browser bundle: any Node built-in reaching it (through the client, say) fails the build.
    entryPoints: { app: path.join(root, "src/dashboard/main.tsx") },
    outdir: publicDir,
    platform: "browser",
    target: "es2022",
    format: "esm",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    sourcemap: "linked",
    define: { SLUICE_VERSION: JSON.stringify(version) },
  },
  {
    entryPoints: { init: path.join(root, "src/dashboard/docs/init.ts") },
    outdir: path.join(publicDir, "docs"),
    platform: "browser",
    target: "es2022",
    format: "iife",
    minify: true,
  },
];

/** @type {[string, string][]} Files served as they are: from the repository to dist/public. */
const copies = [
  ["src/dashboard/index.html", "index.html"],
  ["src/dashboard/favicon.svg", "favicon.svg"],
  ["src/dashboard/docs/docs.css", "docs/docs.css"],
  ["node_modules/swagger-ui-dist/swagger-ui-bundle.js", "docs/swagger-ui-bundle.js"],
  ["node_modules/swagger-ui-dist/swagger-ui.css", "docs/swagger-ui.css"],
  ["node_modules/swagger-ui-dist/LICENSE", "docs/swagger-ui.LICENSE.txt"],
];
for (const [from, to] of copies) copyFileSync(path.join(root, from), path.join(publicDir, to));

// The CLI and the dashboard import the client as `sluice-client` (see src/client/tsconfig.json).
/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  logLevel: "warning",
  legalComments: "linked",
  alias: { "sluice-client": path.join(root, "src/client/index.ts") },
};
if (watch) {
  for (const options of builds) await (await esbuild.context({ ...common, ...options })).watch();
  console.log("watching src/cli and src/dashboard for changes");
} else {
  const started = Date.now();
  await Promise.all(builds.map((options) => esbuild.build({ ...common, ...options })));
  chmodSync(path.join(out, "cli/sluice.cjs"), 0o755);
  if (withTypes) {
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    const types = spawnSync(process.execPath, [tsc, "-p", "src/client/tsconfig.json"], {
      cwd: root,
      stdio: "inherit",
    });
    if (types.status !== 0) process.exit(types.status ?? 1);
  }
  console.log(
    `built dist/cli, dist/public${withTypes ? " and dist/types" : ""} in ${Date.now() - started} ms`,
  );
}
