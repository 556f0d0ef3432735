/** Request and response schemas of POST /v1/process (synchronous processing of a few small files). */
import { z } from "@hono/zod-openapi";
import { JobOptionsSchema } from "../pipeline/options";
import { pipelineProblems, STAGE_NAMES, type StageName } from "../pipeline/stage-names";
import { splitCommas } from "../util/comma-list";

export const ProcessQuerySchema = z.object({
  stages: z
    .string()
    .max(200)
    .optional()
    .openapi({
      param: { name: "stages", in: "query" },
      description: "Comma-separated stages (default `extract`); `index` needs a job: it stores data.",
      example: "extract,analyze,enrich,thumbnail",
    }),
  options: z
    .string()
    .max(4096)
    .optional()
    .openapi({
      param: { name: "options", in: "query" },
      description: 'Job options as JSON, as in POST /v1/jobs (e.g. `{"thumbnail":{"size":128}}`).',
    }),
  name: z
    .string()
    .max(1024)
    .optional()
    .openapi({
      param: { name: "name", in: "query" },
      description: "The file's name for a raw-body request.",
    }),
});

/** The stages of a synchronous request: a valid pipeline, without `index` (nothing is stored). */
export const ProcessStagesSchema = z
  .string()
  .transform(splitCommas)
  .pipe(
    z
      .array(z.enum(STAGE_NAMES))
      .min(1, "name at least one stage")
      .superRefine((stages: StageName[], ctx) => {
        for (const message of pipelineProblems(stages)) ctx.addIssue({ code: "custom", message });
        if (stages.includes("index")) {
          ctx.addIssue({
            code: "custom",
            message: "stage 'index' stores the document for search: run it through POST /v1/jobs",
          });
        }
      }),
  );

export const ProcessOptionsSchema = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "options must be JSON" });
      return z.NEVER;
    }
  })
  .pipe(JobOptionsSchema);

const StageStateSchema = z.object({
  status: z.enum(["completed", "failed", "skipped"]),
  durationMs: z.number().int(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  reason: z.object({ code: z.string(), message: z.string() }).optional(),
});

const InlineOutputSchema = z
  .object({
    contentType: z.string(),
    bytes: z.number().int(),
    text: z.string().optional(),
    truncated: z.boolean().optional(),
    json: z.unknown().optional(),
    base64: z.string().optional(),
  })
  .openapi("InlineOutput", {
    description: "A stage output: `text` (text/*), `json` (application/json) or `base64` (images).",
  });

export const ProcessResponseSchema = z
  .object({
    files: z.array(
      z.object({
        name: z.string(),
        size: z.number().int(),
        contentType: z.string(),
        status: z.enum(["completed", "failed"]),
        stages: z.partialRecord(z.enum(STAGE_NAMES), StageStateSchema),
        outputs: z.record(z.string(), InlineOutputSchema).openapi({
          description: "Outputs by name; stage results refer to them as `inline:<name>`.",
        }),
      }),
    ),
    counts: z.object({ total: z.number().int(), completed: z.number().int(), failed: z.number().int() }),
  })
  .openapi("ProcessResult");
