/**
 * Identifiers. Every id is a type prefix plus a ULID, so ids sort by creation time, say what they
 * name, and carry 80 random bits (nobody can guess another tenant's ids).
 */
import { ulid } from "ulid";
import { z } from "zod";

const ULID = "[0-9A-HJKMNP-TV-Z]{26}";

export const FILE_ID = new RegExp(`^file_${ULID}$`);
export const JOB_ID = new RegExp(`^job_${ULID}$`);

export const newFileId = (): string => `file_${ulid()}`;
export const newJobId = (): string => `job_${ulid()}`;

export const FileIdSchema = z.string().regex(FILE_ID, "must be a file id (file_ followed by 26 characters)");
export const JobIdSchema = z.string().regex(JOB_ID, "must be a job id (job_ followed by 26 characters)");
