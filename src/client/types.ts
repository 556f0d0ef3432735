/**
 * The client's types, derived from the zod schemas the server validates with: `z.output` for what the
 * API answers, `z.input` for what a caller sends (defaults may be left out). The imports are type-only,
 * so none of the server's code reaches a bundle of the client; a schema change shows up here as a type
 * error in the code that uses it.
 */
import type { z } from "zod";
import type { ErrorCode } from "../errors";
import { TERMINAL_JOB_STATUSES } from "../jobs/types";

export { JOB_STATUSES } from "../jobs/types";
import type { ApiKeySchema, CreatedApiKeySchema, CreateTenantSchema, TenantSchema } from "../schemas/admin";
import type { ProblemSchema } from "../schemas/common";
import type { DeadLetterListSchema, DeadLetterSchema } from "../schemas/dead-letters";
import type { FileListSchema, FileSchema } from "../schemas/files";
import type {
  CreateJobSchema,
  EventListSchema,
  EventSchema,
  JobFileSchema,
  JobListSchema,
  JobSchema,
  JobSummarySchema,
  StageStateSchema,
} from "../schemas/jobs";
import type { ProcessResponseSchema } from "../schemas/process";
import type { SearchResponseSchema, SearchResultSchema } from "../schemas/search";
import type {
  CompletedUploadSchema,
  CreateUploadSchema,
  MultipartCreatedSchema,
  PartSchema,
  PresignedRequestSchema,
  PresignedUploadSchema,
  UploadStatusSchema,
} from "../schemas/uploads";
import type {
  CreateEndpointSchema,
  DeliveryDetailSchema,
  DeliverySchema,
  EndpointSchema,
  EndpointWithSecretSchema,
} from "../schemas/webhooks";

export type { ErrorCode };
export { STAGE_DEPENDENCIES, STAGE_NAMES } from "../pipeline/stage-names";

export type Problem = z.output<typeof ProblemSchema>;

export type FileObject = z.output<typeof FileSchema>;
export type FileList = z.output<typeof FileListSchema>;

export type CreateJobRequest = z.input<typeof CreateJobSchema>;
export type Job = z.output<typeof JobSchema>;
export type JobSummary = z.output<typeof JobSummarySchema>;
export type JobList = z.output<typeof JobListSchema>;
export type JobFile = z.output<typeof JobFileSchema>;
export type StageState = z.output<typeof StageStateSchema>;
export type JobStatus = Job["status"];
export type FileStatus = JobFile["status"];
export type StageStatus = StageState["status"];
export type StageName = Job["stages"][number];
export type JobEvent = z.output<typeof EventSchema>;
export type JobEventType = JobEvent["type"];
export type EventPage = z.output<typeof EventListSchema>;

export type CreateUploadRequest = z.input<typeof CreateUploadSchema>;
export type PresignedUpload = z.output<typeof PresignedUploadSchema>;
export type PresignedRequest = z.output<typeof PresignedRequestSchema>;
export type CompletedUpload = z.output<typeof CompletedUploadSchema>;
export type UploadStatus = z.output<typeof UploadStatusSchema>;
export type MultipartUpload = z.output<typeof MultipartCreatedSchema>;
export type UploadedPart = z.output<typeof PartSchema>;

export type SearchResults = z.output<typeof SearchResponseSchema>;
export type SearchResult = z.output<typeof SearchResultSchema>;
export type ProcessResult = z.output<typeof ProcessResponseSchema>;

export type CreateWebhookRequest = z.input<typeof CreateEndpointSchema>;
export type WebhookEndpoint = z.output<typeof EndpointSchema>;
export type WebhookEndpointWithSecret = z.output<typeof EndpointWithSecretSchema>;
export type WebhookDelivery = z.output<typeof DeliverySchema>;
export type WebhookDeliveryDetail = z.output<typeof DeliveryDetailSchema>;

export type DeadLetter = z.output<typeof DeadLetterSchema>;
export type DeadLetterList = z.output<typeof DeadLetterListSchema>;

export type CreateTenantRequest = z.input<typeof CreateTenantSchema>;
export type Tenant = z.output<typeof TenantSchema>;
export type ApiKey = z.output<typeof ApiKeySchema>;
export type CreatedApiKey = z.output<typeof CreatedApiKeySchema>;

/** Whether a job has ended (nothing happens to it any more unless it is retried). */
export const isTerminalStatus = (status: JobStatus): boolean => TERMINAL_JOB_STATUSES.has(status);

/** The events that end a job (until it is retried). */
export const TERMINAL_EVENT_TYPES: readonly JobEventType[] = ["job.completed", "job.failed", "job.cancelled"];
