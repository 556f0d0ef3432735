/**
 * The catalogue of pipeline stages and what each needs before it can run. This is the contract clients
 * build requests against; which of these stages have an implementation is decided by the registry.
 */
export const STAGE_NAMES = ["extract", "analyze", "enrich", "thumbnail", "index"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export const STAGE_DEPENDENCIES: Readonly<Record<StageName, readonly StageName[]>> = {
  extract: [],
  analyze: ["extract"],
  enrich: ["analyze"],
  thumbnail: [],
  index: ["extract"],
};

/**
 * Checks that a requested stage list is a valid pipeline: no duplicates and every stage listed after
 * the stages it needs. Returns the problems found (empty when valid) so callers can report them all.
 */
export function pipelineProblems(stages: readonly StageName[]): string[] {
  const problems: string[] = [];
  const seen = new Set<StageName>();
  for (const stage of stages) {
    if (seen.has(stage)) {
      problems.push(`stage '${stage}' is listed more than once`);
      continue;
    }
    for (const needed of STAGE_DEPENDENCIES[stage]) {
      if (!stages.includes(needed))
        problems.push(`stage '${stage}' needs '${needed}', which is not requested`);
      else if (!seen.has(needed)) problems.push(`stage '${stage}' needs '${needed}' to come before it`);
    }
    seen.add(stage);
  }
  return problems;
}
