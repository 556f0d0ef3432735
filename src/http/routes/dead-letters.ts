/**
 * /v1/dead-letters: the tenant's tasks that the queue gave up on (with their error and attempts), and
 * re-driving one: the Job DO runs the failed file again, even when the job had already ended.
 */
import { createRoute } from "@hono/zod-openapi";
import { ApiError, notFound } from "../../errors";
import { jobStub } from "../../jobs/job-client";
import { commonErrors, problemResponse } from "../../schemas/common";
import {
  DeadLetterIdParamSchema,
  DeadLetterListSchema,
  DeadLetterQuerySchema,
  DeadLetterSchema,
  toDeadLetterObject,
} from "../../schemas/dead-letters";
import { getDeadLetter, listDeadLetters, setDeadLetterStatus } from "../../storage/dead-letters-repo";
import { decodeCursor, paginate } from "../cursor";
import { bearerAuth, createRouter } from "../router";

export const deadLetters = createRouter();

const listRoute = createRoute({
  method: "get",
  path: "/v1/dead-letters",
  summary: "List dead letters",
  description:
    "Files whose task message the queue gave up on after its retries ran out, newest first. Each names " +
    "its job and file, the last error and the attempts; `open` ones can be re-driven.",
  security: bearerAuth,
  request: { query: DeadLetterQuerySchema },
  responses: {
    200: {
      description: "A page of dead letters.",
      content: { "application/json": { schema: DeadLetterListSchema } },
    },
    ...commonErrors,
  },
});

deadLetters.openapi(listRoute, async (c) => {
  const { limit, cursor, status } = c.req.valid("query");
  const rows = await listDeadLetters(c.env.DB, c.get("tenant").id, {
    status,
    limit: limit + 1,
    after: decodeCursor(cursor),
  });
  const { page, nextCursor } = paginate(rows, limit);
  return c.json({ deadLetters: page.map(toDeadLetterObject), nextCursor }, 200);
});

const redriveRoute = createRoute({
  method: "post",
  path: "/v1/dead-letters/{id}/redrive",
  summary: "Re-drive a dead letter",
  description:
    "Runs the dead-lettered file again: its failed stages go back to pending and a new task is sent. A " +
    "job that had ended goes back to `processing` (event `job.retried`) and ends again when the file does.",
  security: bearerAuth,
  request: { params: DeadLetterIdParamSchema },
  responses: {
    202: {
      description: "The dead letter, now `redriven`; `Location` is the job's URL.",
      headers: { Location: { schema: { type: "string" }, description: "The job's URL." } },
      content: { "application/json": { schema: DeadLetterSchema } },
    },
    ...commonErrors,
    404: problemResponse("No such dead letter for this tenant (`not_found`)."),
    409: problemResponse(
      "The file is no longer failed, or its job was cancelled (`not_redrivable`); nothing was changed.",
    ),
  },
});

deadLetters.openapi(redriveRoute, async (c) => {
  const tenant = c.get("tenant");
  const id = c.req.valid("param").id;
  const record = await getDeadLetter(c.env.DB, tenant.id, id);
  if (!record) throw notFound("the dead letter");
  const outcome = await jobStub(c.env, tenant, record.jobId).redrive(record.fileId);
  if (outcome.kind === "not_failed") {
    await setDeadLetterStatus(c.env.DB, tenant.id, id, "resolved", Date.now());
    throw new ApiError(
      "not_redrivable",
      `the file is '${outcome.status}' in its job, not failed; there is nothing to re-drive`,
    );
  }
  if (outcome.kind !== "redriven") {
    const why = outcome.kind === "cancelled" ? "its job was cancelled" : "its job or file no longer exists";
    throw new ApiError("not_redrivable", `the dead letter cannot be re-driven: ${why}`);
  }
  const updated = await setDeadLetterStatus(c.env.DB, tenant.id, id, "redriven", Date.now());
  c.header("Location", `/v1/jobs/${record.jobId}`);
  return c.json(toDeadLetterObject(updated ?? record), 202);
});
