/**
 * Where things live in the R2 bucket. Every key starts with the tenant, and everything derived from a
 * file sits under that file's prefix, so deleting a file is one prefix sweep. Output keys are
 * deterministic in (tenant, file, job, stage, name): a retried task overwrites its own output.
 *
 *   t/{tenantId}/f/{fileId}/source                          the uploaded bytes
 *   t/{tenantId}/f/{fileId}/jobs/{jobId}/{stage}/{name}      a stage output
 */
import type { StageName } from "../pipeline/stage-names";

export const fileSourceKey = (tenantId: string, fileId: string): string => `t/${tenantId}/f/${fileId}/source`;

export const filePrefix = (tenantId: string, fileId: string): string => `t/${tenantId}/f/${fileId}/`;

export const outputKey = (
  tenantId: string,
  fileId: string,
  jobId: string,
  stage: StageName,
  name: string,
): string => `t/${tenantId}/f/${fileId}/jobs/${jobId}/${stage}/${name}`;

export const outputsOfJobPrefix = (tenantId: string, fileId: string, jobId: string): string =>
  `t/${tenantId}/f/${fileId}/jobs/${jobId}/`;

/** The API path that serves an output (same key as the job's owner). */
export const outputUrl = (jobId: string, fileId: string, name: string): string =>
  `/v1/jobs/${jobId}/files/${fileId}/outputs/${encodeURIComponent(name)}`;
