/**
 * What the client throws. Every API error arrives as RFC 9457 problem+json and becomes a
 * `SluiceApiError` carrying the problem's stable `code`, the HTTP `status` and the `requestId` to quote
 * when asking about it; `SluiceNetworkError` means no answer arrived at all. Callers branch on
 * `error.code` (typed with the server's own list of codes) rather than on messages.
 */
import type { ErrorCode, Problem } from "./types";

/** Base class of every error the client throws itself. */
export class SluiceError extends Error {
  override name = "SluiceError";
}

/** The code of an answer that was not a problem document (a proxy's HTML error page, say). */
export type ClientErrorCode = ErrorCode | "unexpected_response";

export class SluiceApiError extends SluiceError {
  override name = "SluiceApiError";
  readonly code: ClientErrorCode;
  readonly status: number;
  readonly requestId: string | null;
  readonly title: string;
  readonly detail: string;
  /** The whole problem document, extensions (`errors`, `limit`, …) included. */
  readonly problem: Readonly<Record<string, unknown>>;

  constructor(status: number, problem: Partial<Problem> & Record<string, unknown>, requestId: string | null) {
    const code: ClientErrorCode = problem.code ?? "unexpected_response";
    const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
    super(`${code}: ${detail}`);
    this.code = code;
    this.status = status;
    this.requestId = problem.requestId ?? requestId;
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = detail;
    this.problem = problem;
  }

  /** Reads a failed response into an error (its body is consumed). */
  static async from(response: Response): Promise<SluiceApiError> {
    const requestId = response.headers.get("X-Request-Id");
    const text = await response.text().catch(() => "");
    let problem: Record<string, unknown> = {};
    if (/json/i.test(response.headers.get("Content-Type") ?? "")) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === "object") problem = parsed as Record<string, unknown>;
      } catch {
        // Not JSON after all: described below as an unexpected response.
      }
    }
    if (typeof problem["code"] !== "string") {
      problem = {
        code: "unexpected_response",
        title: `HTTP ${response.status} ${response.statusText}`.trim(),
        detail: text.slice(0, 200) || `the server answered HTTP ${response.status}`,
      };
    }
    return new SluiceApiError(response.status, problem, requestId);
  }
}

/** The request never got an answer (connection refused, reset, DNS, …). */
export class SluiceNetworkError extends SluiceError {
  override name = "SluiceNetworkError";
}

/** What arrived is not what was sent (the server's SHA-256 differs from the local one). */
export class SluiceIntegrityError extends SluiceError {
  override name = "SluiceIntegrityError";
}

/** True when `error` is an API error, optionally with one of the given codes. */
export function isApiError(error: unknown, ...codes: ClientErrorCode[]): error is SluiceApiError {
  return error instanceof SluiceApiError && (codes.length === 0 || codes.includes(error.code));
}
