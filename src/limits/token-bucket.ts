/**
 * A token bucket: `capacity` tokens, refilled continuously at `ratePerSecond`. Taking a token when
 * the bucket is empty is refused with the time until one is available. Pure and clock-injected, so
 * its arithmetic is tested without waiting.
 */
export interface BucketState {
  tokens: number;
  updatedAt: number;
}

export interface BucketLimits {
  ratePerSecond: number;
  capacity: number;
}

export type TakeResult = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export function take(state: BucketState, limits: BucketLimits, now: number): TakeResult {
  const elapsed = Math.max(0, now - state.updatedAt) / 1000;
  state.tokens = Math.min(limits.capacity, state.tokens + elapsed * limits.ratePerSecond);
  state.updatedAt = now;
  if (state.tokens >= 1) {
    state.tokens -= 1;
    return { allowed: true, remaining: Math.floor(state.tokens) };
  }
  return { allowed: false, retryAfterMs: Math.ceil(((1 - state.tokens) / limits.ratePerSecond) * 1000) };
}

export const fullBucket = (limits: BucketLimits, now: number): BucketState => ({
  tokens: limits.capacity,
  updatedAt: now,
});
