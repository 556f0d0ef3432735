/**
 * What verifying an upload costs: SHA-256 over an object streamed out of R2 through
 * `crypto.DigestStream`, as upload completion does (src/uploads/verify-object.ts), for a few sizes.
 * Prints one `BENCH_GUARDS {json}` line per size (MiB, ms, MiB/s); scripts/bench-stages/guards.mjs turns
 * them into a table with the time 5 GiB (MAX_VERIFIED_UPLOAD_BYTES) would take at that rate and compares
 * with the native `sha256sum` where it is installed. Figures from local workerd, whose R2 is disk-backed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const MiB = 1024 * 1024;
const SIZES_MIB = [16, 64, 256];

async function putGenerated(key: string, mib: number): Promise<void> {
  const chunk = new Uint8Array(MiB);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
  let left = mib;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left-- === 0) controller.close();
      else controller.enqueue(chunk.slice());
    },
  });
  await env.FILES.put(key, body.pipeThrough(new FixedLengthStream(mib * MiB)));
}

describe("upload verification cost", () => {
  it.each(SIZES_MIB)("hashes a %i MiB object streamed from R2", async (mib) => {
    const key = `bench/hash-${mib}`;
    await putGenerated(key, mib);
    const object = await env.FILES.get(key);
    if (!object) throw new Error("the object was not stored");
    const started = performance.now();
    const digest = new crypto.DigestStream("SHA-256");
    await object.body.pipeTo(digest);
    const bytes = new Uint8Array(await digest.digest);
    const ms = performance.now() - started;
    expect(bytes.byteLength).toBe(32);
    console.log(
      `BENCH_GUARDS ${JSON.stringify({ mib, ms: Math.round(ms), mibPerSecond: Math.round(mib / (ms / 1000)) })}`,
    );
    await env.FILES.delete(key);
  });
});
