/**
 * Structured logs: every line is one JSON object with a `level`, a `msg` and the context that lets an
 * operator follow one request, job, file or stage run (request id, trace id, tenant, job, file, stage,
 * attempt, duration, error code). Workers Logs indexes these fields, so a job's whole story is one
 * filter on `jobId` or `traceId`. Lines carry ids, counts and codes only, never file content.
 */

import { z } from "zod";

export const LogLevelSchema = z.enum(["debug", "info", "warn", "error"]);
export type LogLevel = z.infer<typeof LogLevelSchema>;

const SEVERITY: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

let minimumLevel: LogLevel = "info";

/**
 * Applies `LOG_LEVEL` (default `info`): lines below it are not written. Every entry point (fetch,
 * queue, scheduled, the Durable Objects) calls it with its env. An invalid value keeps `info` rather
 * than failing the request: config validation reports it where settings are read.
 */
export function configureLogging(env: object): void {
  const parsed = LogLevelSchema.safeParse("LOG_LEVEL" in env ? env.LOG_LEVEL : undefined);
  minimumLevel = parsed.success ? parsed.data : "info";
}

/** The context fields every part of the system uses with the same name and meaning. */
export interface LogContext {
  requestId?: string;
  traceId?: string;
  tenantId?: string;
  jobId?: string;
  fileId?: string;
  stage?: string;
  attempt?: number;
  durationMs?: number;
  /** A stable error or outcome code (a stage error code, an API error code). */
  code?: string;
}

export type LogFields = LogContext & Record<string, unknown>;

const WRITERS: Record<LogLevel, (line: string) => void> = {
  // Looked up at call time, so a test that spies on console sees the lines.
  debug: (line) => {
    console.debug(line);
  },
  info: (line) => {
    console.log(line);
  },
  warn: (line) => {
    console.warn(line);
  },
  error: (line) => {
    console.error(line);
  },
};

/** Writes one log line; fields that are undefined are left out. */
export function log(level: LogLevel, msg: string, fields: LogFields = {}): void {
  if (SEVERITY[level] < SEVERITY[minimumLevel]) return;
  WRITERS[level](JSON.stringify({ level, msg, ...fields }));
}

/** A logger that adds the same context to every line it writes. */
export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  with(fields: LogFields): Logger;
}

export function logger(context: LogFields = {}): Logger {
  return {
    info: (msg, fields) => {
      log("info", msg, { ...context, ...fields });
    },
    warn: (msg, fields) => {
      log("warn", msg, { ...context, ...fields });
    },
    error: (msg, fields) => {
      log("error", msg, { ...context, ...fields });
    },
    with: (fields) => logger({ ...context, ...fields }),
  };
}

/** An error as a short string for the `error` field (the message, not a stack or payload). */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
