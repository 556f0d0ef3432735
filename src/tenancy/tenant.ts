/**
 * A tenant as the rest of the code sees it: its id, the jurisdiction its data must stay in, and its
 * settings. Every place that stores or reaches tenant data asks here for the right R2 bucket and
 * Durable Object namespace, so pinning a tenant to the EU moves its bytes and its jobs together.
 *
 * Local workerd cannot create Durable Objects in a jurisdiction ("not implemented"), so with
 * JURISDICTION_MODE=simulate (set in .dev.vars and the tests) EU jobs use the plain namespace; the
 * routing decision itself (`jobPlacement`) is the same in both modes and is what the tests check.
 */
import { getConfig } from "../config";
import type { TenantSettings } from "./settings";

export const JURISDICTIONS = ["default", "eu"] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export interface Tenant {
  id: string;
  jurisdiction: Jurisdiction;
  /** Overrides of the deployment's limits and retention (empty for defaults). */
  settings: TenantSettings;
}

/** The bucket holding this tenant's files and outputs. */
export function filesBucket(env: Env, tenant: Tenant): R2Bucket {
  return tenant.jurisdiction === "eu" ? env.FILES_EU : env.FILES;
}

/** Where a tenant's Job DOs are created: the jurisdiction to ask for, or null for anywhere. */
export function jobPlacement(tenant: Tenant): { jurisdiction: "eu" | null } {
  return { jurisdiction: tenant.jurisdiction === "eu" ? "eu" : null };
}

/** The namespace of this tenant's Job Durable Objects (EU tenants' objects are created in the EU). */
export function jobNamespace(env: Env, tenant: Tenant): Env["JOBS"] {
  const { jurisdiction } = jobPlacement(tenant);
  if (jurisdiction === null || getConfig(env).JURISDICTION_MODE === "simulate") return env.JOBS;
  return env.JOBS.jurisdiction(jurisdiction);
}
