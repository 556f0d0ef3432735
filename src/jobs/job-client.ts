/**
 * How the Worker reaches a job's Durable Object. The object's name carries the tenant, so a job id
 * presented by another tenant addresses a different (empty) object and is answered as not found.
 */
import { jobNamespace, type Tenant } from "../tenancy/tenant";
import type { JobDurableObject } from "./job-do";

type RpcMethods =
  | "create"
  | "get"
  | "events"
  | "eventStream"
  | "cancel"
  | "retry"
  | "output"
  | "claim"
  | "report"
  | "deadLetter"
  | "redrive"
  | "fileIds"
  | "purge"
  | "cancelFile"
  | "outputKeys"
  | "wake";

/**
 * The Job DO's RPC surface as callers see it: the class's own method signatures, each returning a
 * promise. (Typed from the class rather than through `DurableObjectStub<…>`, whose generic
 * serialisability checks do not terminate on the recursive JSON types of job results.)
 */
export type JobApi = {
  [K in RpcMethods]: (
    ...args: Parameters<JobDurableObject[K]>
  ) => Promise<Awaited<ReturnType<JobDurableObject[K]>>>;
};

export function jobStub(env: Env, tenant: Tenant, jobId: string): JobApi {
  const namespace = jobNamespace(env, tenant);
  const stub: unknown = namespace.get(namespace.idFromName(`${tenant.id}:${jobId}`));
  return stub as JobApi;
}
