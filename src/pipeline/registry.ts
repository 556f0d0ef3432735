/**
 * The stages that have an implementation. Adding a stage means writing it in its own folder and
 * listing it here; the catalogue of names and dependencies lives in stage-names.ts.
 */
import { analyzeStage } from "./analyze";
import { enrichStage } from "./enrich";
import { extractStage } from "./extract";
import { indexStage } from "./indexing";
import type { Stage } from "./stage";
import type { StageName } from "./stage-names";
import { thumbnailStage } from "./thumbnail";

export const STAGE_REGISTRY: Readonly<Partial<Record<StageName, Stage>>> = {
  extract: extractStage,
  analyze: analyzeStage,
  enrich: enrichStage,
  thumbnail: thumbnailStage,
  index: indexStage,
};

export const isStageAvailable = (stage: StageName): boolean => STAGE_REGISTRY[stage] !== undefined;
