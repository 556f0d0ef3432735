/**
 * Fault injection for reliability tests. Named points in the pipeline call `faultAt(point)`; when a
 * fault is armed for that point it fires (the caller then behaves as if that step crashed or was
 * lost). Nothing is armed unless a test arms it, so in normal operation every call is a cheap no-op.
 */
export const FAULT_POINTS = [
  /** The Job DO believes it sent a task message, but the queue never got it. */
  "dispatch.drop",
  /** A consumer claimed a file and died before doing any work (its message is gone with it). */
  "consumer.after_claim",
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

const armed = new Map<FaultPoint, number>();

/** Arms `point` to fire the next `times` times it is reached. */
export function armFault(point: FaultPoint, times = 1): void {
  armed.set(point, (armed.get(point) ?? 0) + times);
}

export function disarmFaults(): void {
  armed.clear();
}

/** True when an armed fault fires here (and uses up one of its shots). */
export function faultAt(point: FaultPoint): boolean {
  const remaining = armed.get(point) ?? 0;
  if (remaining <= 0) return false;
  armed.set(point, remaining - 1);
  return true;
}
