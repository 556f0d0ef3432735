/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the trace id of an incoming `traceparent`
 * header, or a new one when the header is missing or invalid (an invalid header is ignored, as the
 * specification asks). The trace id follows a job from the request that created it, through the task
 * messages, into the consumers' log lines; the response names it in `traceresponse`.
 */

export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** The caller's span (16 hex digits), or null when Sluice started the trace. */
  parentId: string | null;
  /** Trace flags (2 hex digits); `01` = sampled. */
  flags: string;
}

export const TRACE_ID = /^[0-9a-f]{32}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/** Parses a `traceparent` header value; null when it is not a valid one. */
export function parseTraceparent(header: string | undefined | null): TraceContext | null {
  const match = TRACEPARENT.exec(header?.trim() ?? "");
  if (!match) return null;
  const [, version = "", traceId = "", parentId = "", flags = "", rest] = match;
  // Version ff is forbidden; version 00 has exactly four fields (later versions may append more).
  if (version === "ff" || (version === "00" && rest !== undefined)) return null;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return null;
  return { traceId, parentId, flags };
}

function randomHex(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  const hex = Array.from(values, (value) => value.toString(16).padStart(2, "0")).join("");
  // An all-zero id is invalid; the chance is 2^-64 or less, but it costs nothing to rule out.
  return ALL_ZERO.test(hex) ? randomHex(bytes) : hex;
}

/** The request's trace: continued from a valid `traceparent`, else a new sampled one. */
export function traceFrom(header: string | undefined | null): TraceContext {
  return parseTraceparent(header) ?? { traceId: randomHex(16), parentId: null, flags: "01" };
}

/** The `traceresponse` header value: the trace id with the span that handled this request. */
export function traceResponse(trace: TraceContext): string {
  return `00-${trace.traceId}-${randomHex(8)}-${trace.flags}`;
}
