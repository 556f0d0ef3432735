/** Request and response schemas of the /v1/jobs routes: the job object, its files, stages and events. */
import { z } from "@hono/zod-openapi";
import { FileIdSchema, JobIdSchema } from "../ids";
import { FILE_STATUSES, JOB_STATUSES, TASK_STATUSES } from "../jobs/types";
import { JobOptionsSchema } from "../pipeline/options";
import { STAGE_NAMES, pipelineProblems } from "../pipeline/stage-names";
import { Iso } from "./common";

export const MAX_FILES_PER_JOB = 1000;

const StageNameSchema = z.enum(STAGE_NAMES);

export const CreateJobSchema = z
  .object({
    files: z
      .array(FileIdSchema)
      .min(1, "a job needs at least one file")
      .max(MAX_FILES_PER_JOB, `a job can name at most ${MAX_FILES_PER_JOB} files`)
      .superRefine((ids, ctx) => {
        const seen = new Set<string>();
        for (const id of ids) {
          if (seen.has(id))
            ctx.addIssue({ code: "custom", message: `file '${id}' is listed more than once` });
          seen.add(id);
        }
      })
      .openapi({ example: ["file_01JD3Z6W8F4Q2X7V9K1M3N5P7R"] }),
    stages: z
      .array(StageNameSchema)
      .min(1, "a job needs at least one stage")
      .superRefine((stages, ctx) => {
        for (const message of pipelineProblems(stages)) ctx.addIssue({ code: "custom", message });
      })
      .openapi({ example: ["extract", "thumbnail"] }),
    options: JobOptionsSchema.optional(),
    webhook: z
      .string()
      .regex(/^wh_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a webhook endpoint id")
      .optional()
      .openapi({
        description:
          "Endpoint that receives this job's events; without it, the tenant's default endpoint (if any).",
      }),
  })
  .strict()
  .openapi("CreateJob");

export type CreateJobRequest = z.infer<typeof CreateJobSchema>;

const ProblemDetailSchema = z.object({ code: z.string(), message: z.string() });

export const StageStateSchema = z
  .object({
    status: z.enum(TASK_STATUSES),
    attempts: z.number().int(),
    startedAt: Iso.nullable(),
    completedAt: Iso.nullable(),
    durationMs: z.number().int().nullable(),
    result: z.record(z.string(), z.unknown()).optional().openapi({ description: "Present when completed." }),
    error: ProblemDetailSchema.optional().openapi({ description: "Present when failed." }),
    reason: ProblemDetailSchema.optional().openapi({ description: "Present when skipped." }),
    lastError: ProblemDetailSchema.optional().openapi({
      description: "The transient error of the last attempt while the stage waits to be retried.",
    }),
  })
  .openapi("StageState");

export const JobFileSchema = z
  .object({
    fileId: FileIdSchema,
    name: z.string(),
    size: z.number().int(),
    contentType: z.string(),
    status: z.enum(FILE_STATUSES),
    attempts: z.number().int(),
    stages: z.partialRecord(StageNameSchema, StageStateSchema),
  })
  .openapi("JobFile");

export const JobCountsSchema = z
  .object({
    total: z.number().int(),
    pending: z.number().int(),
    processing: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
  })
  .openapi("JobCounts");

export const JobSummarySchema = z
  .object({
    id: JobIdSchema.openapi({ example: "job_01JD3Z7A2B4C6D8E0F1G3H5J7K" }),
    status: z.enum(JOB_STATUSES),
    stages: z.array(StageNameSchema),
    createdAt: Iso,
    updatedAt: Iso,
    completedAt: Iso.nullable(),
    counts: JobCountsSchema,
  })
  .openapi("JobSummary");

export const JobSchema = JobSummarySchema.extend({
  options: JobOptionsSchema,
  startedAt: Iso.nullable(),
  files: z.array(JobFileSchema),
  filesNextCursor: z
    .string()
    .nullable()
    .openapi({ description: "Pass as `filesCursor` for the next files." }),
}).openapi("Job");

export type JobObject = z.infer<typeof JobSchema>;
export type JobFileObject = z.infer<typeof JobFileSchema>;
export type StageStateObject = z.infer<typeof StageStateSchema>;
export type JobSummaryObject = z.infer<typeof JobSummarySchema>;

export const JobListSchema = z
  .object({ jobs: z.array(JobSummarySchema), nextCursor: z.string().nullable() })
  .openapi("JobList");

export const EVENT_TYPES = [
  "job.created",
  "job.started",
  "job.stage_started",
  "job.stage_completed",
  "job.stage_failed",
  "job.stage_skipped",
  "job.file_completed",
  "job.file_failed",
  "job.file_cancelled",
  "job.completed",
  "job.failed",
  "job.cancelled",
  "job.retried",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EventSchema = z
  .object({
    id: z.string().openapi({ example: "evt_01JD3Z7A2B4C6D8E0F1G3H5J7K_1" }),
    seq: z.number().int().positive(),
    type: z.enum(EVENT_TYPES),
    jobId: JobIdSchema,
    fileId: FileIdSchema.optional(),
    stage: StageNameSchema.optional(),
    timestamp: Iso,
    data: z.record(z.string(), z.unknown()),
  })
  .openapi("Event");

export type EventObject = z.infer<typeof EventSchema>;

export const EventListSchema = z
  .object({
    events: z.array(EventSchema),
    nextAfter: z.number().int().nonnegative().openapi({
      description: "Pass as `after` to read the events that follow (the last `seq` returned).",
    }),
    ended: z.boolean().openapi({ description: "True when the job has ended and no events follow." }),
  })
  .openapi("EventList");

export const JobIdParamSchema = z.object({
  id: JobIdSchema.openapi({ param: { name: "id", in: "path" } }),
});
