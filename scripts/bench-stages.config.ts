/**
 * Vitest configuration of `npm run bench:stages`: the project's test configuration (workerd, real
 * bindings, the corpus served to the Worker) running only the benchmark file, with room for slow runs.
 */
import { defineConfig } from "vitest/config";
import base from "../vitest.config.ts";

export default defineConfig(async (env) => {
  const resolved = await base(env);
  return {
    ...resolved,
    test: {
      ...resolved.test,
      include: ["test/corpus/*.bench.ts"],
      testTimeout: 1_800_000,
      hookTimeout: 1_800_000,
    },
  };
});
