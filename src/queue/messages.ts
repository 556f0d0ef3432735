/**
 * The task message: "work on this file of this job". It carries ids only; the Job DO hands out the
 * details (stages to run, options, lease) when the consumer claims the file, so a stale or duplicated
 * message can never make a consumer do work the job no longer wants.
 */
import { z } from "zod";
import { FileIdSchema, JobIdSchema } from "../ids";
import { JURISDICTIONS, type Tenant } from "../tenancy/tenant";
import { TRACE_ID } from "../observability/trace";

export const TaskMessageSchema = z.object({
  v: z.literal(1),
  tenantId: z.string().min(1),
  jurisdiction: z.enum(JURISDICTIONS),
  jobId: JobIdSchema,
  fileId: FileIdSchema,
  /**
   * The W3C trace id of the request that created the job, so the consumer's log lines join its trace.
   * Optional: messages sent before it existed stay valid.
   */
  traceId: z.string().regex(TRACE_ID).optional(),
  /**
   * The file's dispatch generation when this message was sent (the Job DO counts every message it sends
   * for a file). A dead letter of an older generation than the file's current one is late: a retry or
   * re-drive already sent a newer message, so it changes nothing. Optional: older messages stay valid
   * (and count as current).
   */
  generation: z.number().int().positive().optional(),
});

export type TaskMessage = z.infer<typeof TaskMessageSchema>;

export const messageTenant = (message: TaskMessage): Tenant => ({
  id: message.tenantId,
  jurisdiction: message.jurisdiction,
  settings: {},
});

export const TASKS_QUEUE = "sluice-tasks";
export const TASKS_DLQ = "sluice-tasks-dlq";

/** Queues accept at most 100 messages per sendBatch call. */
export const SEND_BATCH_LIMIT = 100;
