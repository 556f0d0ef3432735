/**
 * A tenant as the rest of the code sees it: its id and the jurisdiction its data must stay in. Every
 * place that stores or reaches tenant data asks here for the right R2 bucket and Durable Object
 * namespace, so pinning a tenant to the EU moves its bytes and its jobs together.
 */
export const JURISDICTIONS = ["default", "eu"] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export interface Tenant {
  id: string;
  jurisdiction: Jurisdiction;
}

/** The bucket holding this tenant's files and outputs. */
export function filesBucket(env: Env, tenant: Tenant): R2Bucket {
  return tenant.jurisdiction === "eu" ? env.FILES_EU : env.FILES;
}

/** The namespace of this tenant's Job Durable Objects (EU tenants' objects are created in the EU). */
export function jobNamespace(env: Env, tenant: Tenant): Env["JOBS"] {
  return tenant.jurisdiction === "eu" ? env.JOBS.jurisdiction("eu") : env.JOBS;
}
