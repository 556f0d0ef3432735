/** GET /v1/stats: the tenant's jobs, files, failures and stage durations over a recent window. */
import { createRoute } from "@hono/zod-openapi";
import { readStats } from "../../observability/stats-repo";
import { commonErrors } from "../../schemas/common";
import { StatsQuerySchema, StatsSchema, windowMs } from "../../schemas/stats";
import { bearerAuth, createRouter } from "../router";

export const stats = createRouter();

const statsRoute = createRoute({
  method: "get",
  path: "/v1/stats",
  summary: "Processing statistics",
  description:
    "What happened for this tenant in the last `window`: jobs created, by their current status; files " +
    "worked on and how many had a failed stage; failed stage runs by error code; and per stage the runs " +
    "by outcome with p50/p95 durations of the completed ones. Stage figures count what the queue " +
    "consumers reported, so a run that was retried counts once per attempt.",
  security: bearerAuth,
  request: { query: StatsQuerySchema },
  responses: {
    200: { description: "The statistics.", content: { "application/json": { schema: StatsSchema } } },
    ...commonErrors,
  },
});

stats.openapi(statsRoute, async (c) => {
  const { window } = c.req.valid("query");
  const to = Date.now();
  // The schema accepted the window, so it parses.
  const from = to - (windowMs(window) ?? 0);
  const body = await readStats(c.env.DB, c.get("tenant").id, from);
  return c.json({ window, from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...body }, 200);
});
