/**
 * The Node-side suites: the typed client, the command line and the dashboard (in Chromium) against a
 * real `npm start` server that global-setup.ts starts on its own port and state directory. Files run
 * one after another: they share the server, and the machine may be small.
 */
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..", "..");

export default defineConfig({
  root,
  resolve: { alias: { "sluice-client": path.join(root, "src/client/index.ts") } },
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
