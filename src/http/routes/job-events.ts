/**
 * GET /v1/jobs/{id}/events: the job's lifecycle events. As JSON, a page after `after`; with
 * `Accept: text/event-stream`, a live SSE stream from the job's Durable Object that resumes after
 * `Last-Event-ID` (or `after`) without gaps or repeats and ends after the job's terminal event, or
 * when the API key that opened it is revoked (checked every SSE_KEY_CHECK_MS).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { getConfig } from "../../config";
import { notFound } from "../../errors";
import { jobStub } from "../../jobs/job-client";
import { commonErrors, problemResponse } from "../../schemas/common";
import { EventListSchema, JobIdParamSchema } from "../../schemas/jobs";
import { endWhenUnauthorized } from "../revocable-stream";
import { bearerAuth, createRouter } from "../router";

export const jobEvents = createRouter();

const eventsRoute = createRoute({
  method: "get",
  path: "/v1/jobs/{id}/events",
  summary: "A job's events (JSON page or live SSE stream)",
  description:
    "Lifecycle events in order (`seq` increases by one per event). As JSON: pass `after` to read on. " +
    "With `Accept: text/event-stream`: a live stream; each event's SSE `id` is its `seq`, so a reconnect " +
    "with `Last-Event-ID` continues exactly where it stopped. The stream ends after the job's terminal event.",
  security: bearerAuth,
  request: {
    params: JobIdParamSchema,
    query: z.object({
      after: z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .openapi({ param: { name: "after", in: "query" } }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(100)
        .openapi({ param: { name: "limit", in: "query" } }),
    }),
    headers: z.object({
      "last-event-id": z
        .string()
        .regex(/^\d{1,12}$/, "must be the id (seq) of an event")
        .optional()
        .openapi({ param: { name: "last-event-id", in: "header" } }),
    }),
  },
  responses: {
    200: {
      description: "A page of events, or the live stream.",
      content: {
        "application/json": { schema: EventListSchema },
        "text/event-stream": {
          schema: { type: "string", description: "`id: <seq>` and `data: <event JSON>` per event." },
        },
      },
    },
    ...commonErrors,
    404: problemResponse("No such job for this tenant (`not_found`)."),
  },
});

jobEvents.openapi(eventsRoute, async (c) => {
  const { after, limit } = c.req.valid("query");
  const stub = jobStub(c.env, c.get("tenant"), c.req.valid("param").id);
  if ((c.req.header("Accept") ?? "").includes("text/event-stream")) {
    const lastEventId = c.req.valid("header")["last-event-id"];
    const stream = await stub.eventStream(lastEventId === undefined ? after : Number(lastEventId));
    if (!stream) throw notFound("the job");
    const checkEvery = getConfig(c.env).SSE_KEY_CHECK_MS;
    return c.body(endWhenUnauthorized(stream, c.get("stillAuthorized"), checkEvery), 200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      "X-Accel-Buffering": "no",
    });
  }
  const page = await stub.events(after, limit);
  if (!page) throw notFound("the job");
  const last = page.events[page.events.length - 1];
  return c.json({ events: page.events, nextAfter: last?.seq ?? after, ended: page.ended }, 200);
});
