/**
 * What a tenant's jurisdiction rules out before any work starts. The search index lives in the one D1
 * database, which is not bound to a jurisdiction, and holds the extracted text of every indexed file
 * (up to 2,000,000 characters each). So until D1 data is split per jurisdiction, a job that asks an EU
 * tenant's files to be indexed is refused at creation with a 400 that names the reason, and nothing of
 * it is written anywhere.
 */
import { ApiError } from "../errors";
import type { StageName } from "../pipeline/stage-names";
import type { Jurisdiction, Tenant } from "./tenant";

/** Stages that write document content to D1, which lives outside any jurisdiction. */
const STAGES_WRITING_CONTENT_TO_D1: readonly StageName[] = ["index"];

/** Whether a tenant of `jurisdiction` may write document text into the search index (the one D1 database). */
export const searchIndexAllowedIn = (jurisdiction: Jurisdiction): boolean => jurisdiction === "default";

export function assertStagesAllowedForJurisdiction(tenant: Tenant, stages: readonly StageName[]): void {
  if (searchIndexAllowedIn(tenant.jurisdiction)) return;
  const refused = stages.filter((stage) => STAGES_WRITING_CONTENT_TO_D1.includes(stage));
  if (refused.length === 0) return;
  throw new ApiError(
    "stage_not_allowed_in_jurisdiction",
    `stage '${refused.join("', '")}' stores the document's text in the search database, which is not in ` +
      `the '${tenant.jurisdiction}' jurisdiction yet; run the job without it`,
    { stages: refused, jurisdiction: tenant.jurisdiction },
  );
}
