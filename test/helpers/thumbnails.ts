/**
 * Running the thumbnail stage on bytes in a test: the completed result, its thumbnails, each thumbnail's
 * output file and its pixels decoded again by photon (independently of the stage), or the stage error a
 * bad input must fail with.
 */
import { PhotonImage } from "@cf-wasm/photon/workerd";
import { expect } from "vitest";
import { StageError, type StageErrorCode } from "../../src/pipeline/stage";
import { thumbnailStage } from "../../src/pipeline/thumbnail";
import { MemoryOutputs, stageInput, type InputOverrides } from "./memory-outputs";

export interface Thumb {
  size: number;
  width: number;
  height: number;
  fit: string;
  format: string;
  url: string;
}

export async function thumbnails(bytes: Uint8Array, overrides: InputOverrides = {}) {
  const outputs = new MemoryOutputs("thumbnail");
  const outcome = await thumbnailStage.run(stageInput(bytes, outputs, overrides));
  if (outcome.status !== "completed") throw new Error(`expected completed, got ${JSON.stringify(outcome)}`);
  const thumbs = outcome.result["thumbnails"] as unknown as Thumb[];
  const output = (thumb: Thumb) => outputs.get(decodeURIComponent(thumb.url.split("/").pop() ?? ""));
  return { result: outcome.result, thumbs, output, decoded: (thumb: Thumb) => decode(output(thumb).body) };
}

export function decode(bytes: Uint8Array) {
  const image = PhotonImage.new_from_byteslice(bytes);
  try {
    return { width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() };
  } finally {
    image.free();
  }
}

export type Decoded = ReturnType<typeof decode>;

/** Runs the stage, expects it to throw a StageError with `code`, and returns that error. */
export async function expectThumbnailError(
  bytes: Uint8Array,
  code: StageErrorCode,
  overrides: InputOverrides = {},
): Promise<StageError> {
  const error = await thumbnailStage
    .run(stageInput(bytes, new MemoryOutputs("thumbnail"), overrides))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StageError);
  expect(error).toMatchObject({ code });
  return error as StageError;
}
