/** Request and response schemas of GET /v1/stats. */
import { z } from "@hono/zod-openapi";
import { JOB_STATUSES, type JobStatus } from "../jobs/types";
import { STAGE_NAMES } from "../pipeline/stage-names";
import { Iso } from "./common";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const WINDOW = /^([1-9][0-9]{0,3})([mhd])$/;

/** The shortest and longest windows; metrics older than the longest are deleted by the hourly cron. */
export const MIN_WINDOW_MS = UNIT_MS.m;
export const MAX_WINDOW_MS = 30 * UNIT_MS.d;

/** A window such as `15m`, `24h` or `7d` in milliseconds; null when it is not one. */
export function windowMs(window: string): number | null {
  const match = WINDOW.exec(window);
  if (!match) return null;
  const [, amount = "", unit = "m"] = match;
  return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
}

export const StatsQuerySchema = z.object({
  window: z
    .string()
    .max(8)
    .regex(WINDOW, "must be a number and a unit: m (minutes), h (hours) or d (days), e.g. 24h")
    .refine((value) => {
      const ms = windowMs(value);
      return ms === null || (ms >= MIN_WINDOW_MS && ms <= MAX_WINDOW_MS);
    }, "must be between 1m and 30d")
    .default("24h")
    .openapi({
      param: { name: "window", in: "query" },
      description: "How far back to look: `<n>m`, `<n>h` or `<n>d`, from 1m to 30d (default 24h).",
      example: "24h",
    }),
});

const count = z.number().int().min(0);
const millis = z.number().int().min(0).nullable();

export const StageStatsSchema = z
  .object({
    stage: z.enum(STAGE_NAMES),
    runs: count.openapi({ description: "Stage runs reported in the window (every outcome)." }),
    completed: count,
    failed: count,
    skipped: count,
    retried: count.openapi({ description: "Runs that hit a transient error and were retried." }),
    durationMs: z
      .object({ p50: millis, p95: millis })
      .openapi({ description: "Percentiles (nearest rank) of completed runs; null when none completed." }),
  })
  .openapi("StageStats");

export const StatsSchema = z
  .object({
    window: z.string().openapi({ example: "24h" }),
    from: Iso,
    to: Iso,
    jobs: z
      .object({
        total: count,
        byStatus: z.object(
          Object.fromEntries(JOB_STATUSES.map((status) => [status, count])) as Record<
            JobStatus,
            typeof count
          >,
        ),
      })
      .openapi({ description: "Jobs created in the window, by their current status." }),
    files: z
      .object({
        processed: count.openapi({ description: "Files of any job with a stage run in the window." }),
        failed: count.openapi({ description: "Of those, files with a failed stage run in the window." }),
      })
      .openapi({ description: "Files worked on in the window (a file in two jobs counts twice)." }),
    failuresByCode: z
      .record(z.string(), count)
      .openapi({ description: "Failed stage runs by error code.", example: { corrupt_file: 2 } }),
    stages: z.array(StageStatsSchema).openapi({ description: "One entry per stage that ran in the window." }),
  })
  .openapi("Stats");

export type Stats = z.infer<typeof StatsSchema>;
export type StageStats = z.infer<typeof StageStatsSchema>;
