/**
 * Exponential backoff with jitter for transient failures: the ceiling doubles with every attempt
 * (base, 2x base, 4x base, … up to the cap) and the delay is drawn from the upper half of it, so
 * retries of many messages that failed together spread out instead of arriving together again.
 */
export function backoffSeconds(
  attempt: number,
  baseSeconds: number,
  maxSeconds: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.ceil(ceiling / 2 + random() * (ceiling / 2));
}
