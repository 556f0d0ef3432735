/** GET /healthz: liveness without authentication (it touches no storage). */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../router";

export const health = createRouter();

const healthRoute = createRoute({
  method: "get",
  path: "/healthz",
  summary: "Liveness check",
  responses: {
    200: {
      description: "The service is up.",
      content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } },
    },
  },
});

health.openapi(healthRoute, (c) => c.json({ status: "ok" as const }, 200));
