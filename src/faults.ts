/**
 * Fault injection for reliability tests and the load harness. Named points in the pipeline ask
 * `faultAt(point)` (the caller then behaves as if that step was lost) or call `injectFault(point)`
 * (which throws, as if the process crashed right there). A fault fires when a test armed it with
 * `armFault` (deterministic: the next N times) or, when the FAULT_INJECTION setting is present, with
 * its probability, drawn from a PRNG seeded by the setting, so a run can be repeated from its seed.
 * The same setting can ask for every task message to be sent twice (`sendTaskBatch`). Nothing is on
 * unless a test arms it or the setting is present, so in normal operation every call is a cheap no-op.
 */
import { z } from "zod";
import { getConfig } from "./config";
import { errorText, log } from "./observability/log";

export const FAULT_POINTS = [
  /** The Job DO believes it sent a task message, but the queue never got it. */
  "dispatch.drop",
  /** A consumer claimed a file and died before doing any work (its message is gone with it). */
  "consumer.after_claim",
  /** A stage wrote an output to R2 and crashed right after (the write stays, the stage throws). */
  "output.after_write",
  /** A consumer processed its files and crashed before reporting to the Job DO. */
  "consumer.before_report",
  /** A consumer's report was accepted and it crashed before acking the messages. */
  "consumer.before_ack",
  /** The Job DO's alarm committed its sweep and crashed before delivering the outbox. */
  "alarm",
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/** The FAULT_INJECTION setting (JSON). */
export const FaultConfigSchema = z
  .object({
    seed: z.number().int().min(0).max(0xffffffff),
    /** Chance that a listed point fires each time it is reached. */
    probability: z.number().min(0).max(1).default(0),
    points: z.array(z.enum(FAULT_POINTS)).default([]),
    /** Send every task message twice: once now, once after 0-2 s (a concurrent or a late copy). */
    duplicateDelivery: z.boolean().default(false),
  })
  .strict();
export type FaultConfig = z.infer<typeof FaultConfigSchema>;

/** The error thrown at an injected crash; consumers and the runtime treat it like any other crash. */
export class InjectedFault extends Error {
  override readonly name = "InjectedFault";

  constructor(readonly point: FaultPoint) {
    super(`injected fault at ${point}`);
  }
}

const armed = new Map<FaultPoint, number>();
let configured: { raw: string | undefined; config: FaultConfig | null; random: () => number } = {
  raw: undefined,
  config: null,
  random: () => 0,
};

/**
 * Mulberry32: a tiny, well-known 32-bit PRNG. Fault decisions need reproducibility from a seed, not
 * statistical quality, and the generator must run in workerd without dependencies.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parses the FAULT_INJECTION setting; a present but invalid setting is an error, never ignored. */
export function parseFaultConfig(raw: string | undefined): FaultConfig | null {
  if (raw === undefined || raw.trim() === "") return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error("FAULT_INJECTION is not valid JSON");
  }
  return FaultConfigSchema.parse(json);
}

/** Turns probabilistic faults on (or off with null). Tests call this directly; the Worker via the env. */
export function configureFaults(config: FaultConfig | null, raw?: string): void {
  configured = { raw, config, random: seededRandom(config?.seed ?? 0) };
  if (config) log("warn", "fault injection on", { ...config });
}

/** Applies the Worker's FAULT_INJECTION setting once per isolate (again only when it changes). */
export function configureFaultsFromEnv(env: object): void {
  const raw = getConfig(env).FAULT_INJECTION;
  if (raw === configured.raw) return;
  configureFaults(parseFaultConfig(raw), raw);
}

/** Arms `point` to fire the next `times` times it is reached. */
export function armFault(point: FaultPoint, times = 1): void {
  armed.set(point, (armed.get(point) ?? 0) + times);
}

/** Disarms every armed fault and turns probabilistic faults off. */
export function disarmFaults(): void {
  armed.clear();
  configured = { raw: configured.raw, config: null, random: () => 0 };
}

/** True when a fault fires here (an armed shot is used up first, then the configured chance). */
export function faultAt(point: FaultPoint): boolean {
  const remaining = armed.get(point) ?? 0;
  if (remaining > 0) {
    armed.set(point, remaining - 1);
    return true;
  }
  const config = configured.config;
  if (!config || config.probability === 0 || !config.points.includes(point)) return false;
  if (configured.random() >= config.probability) return false;
  log("warn", "fault injected", { point });
  return true;
}

/** Throws an InjectedFault when a fault fires at `point`. */
export function injectFault(point: FaultPoint): void {
  if (faultAt(point)) throw new InjectedFault(point);
}

/** Queues take at most this many messages per sendBatch call. */
const SEND_BATCH_LIMIT = 100;

/**
 * Sends task messages, the way the outbox does. In duplicate-delivery mode every message is sent a
 * second time, in separate batches of at most SEND_BATCH_LIMIT, with a delay of 0-2 s, so a copy
 * sometimes races its original and sometimes arrives after it was processed. A copy that cannot be
 * sent is only logged: it was an extra.
 */
export async function sendTaskBatch<Body>(
  queue: Queue<Body>,
  messages: MessageSendRequest<Body>[],
): Promise<void> {
  await queue.sendBatch(messages);
  const copies = duplicatesOf(messages);
  try {
    for (let start = 0; start < copies.length; start += SEND_BATCH_LIMIT) {
      await queue.sendBatch(copies.slice(start, start + SEND_BATCH_LIMIT));
    }
  } catch (error) {
    log("error", "duplicate delivery not sent", { error: errorText(error) });
  }
}

/** The second copies to send in duplicate-delivery mode (none when it is off). */
export function duplicatesOf<Body>(messages: MessageSendRequest<Body>[]): MessageSendRequest<Body>[] {
  if (!configured.config?.duplicateDelivery || messages.length === 0) return [];
  const copies = messages.map((message) => ({
    ...message,
    delaySeconds: Math.floor(configured.random() * 3),
  }));
  log("warn", "fault injected", { point: "delivery.duplicate", count: copies.length });
  return copies;
}
