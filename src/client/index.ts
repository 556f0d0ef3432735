/**
 * The typed Sluice client: `SluiceClient`, its errors, the API's types (derived from the server's
 * schemas) and the helpers that progress displays share (`applyEvent`).
 */
export { SluiceClient, type ClientOptions } from "./client";
export {
  SluiceApiError,
  SluiceError,
  SluiceIntegrityError,
  SluiceNetworkError,
  isApiError,
  type ClientErrorCode,
} from "./errors";
export type { FollowOptions } from "./events";
export { applyEvent } from "./job-state";
export type { WaitOptions } from "./jobs";
export { collect } from "./pagination";
export { newIdempotencyKey, type FetchLike } from "./transport";
export type { UploadOptions, UploadProgress } from "./uploads";
export * from "./types";
