/**
 * Node-side checks that read the project's files and need neither workerd nor a server: the
 * consistency of wrangler.toml with the code, the tests' settings and the provisioning script.
 * `npm run test:node` (part of `npm test`). Files under test/node/ that are not `*.test.ts` are
 * helpers (the webhook receiver of the workerd suite lives here too).
 */
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: path.resolve(import.meta.dirname, "..", ".."),
  test: {
    include: ["test/node/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
  },
});
