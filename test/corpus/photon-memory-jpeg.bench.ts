// Photon's memory for full JPEG decodes, 1-12 MP, in a fresh isolate (see photon-memory.ts).
import { it } from "vitest";
import { measurePhotonMemory } from "./photon-memory";

it("bench: photon memory by pixels (JPEG)", { timeout: 600_000 }, async () => {
  await measurePhotonMemory("jpeg");
});
