/**
 * The real R2 bucket behind a counter: every method call is counted by name and then made on the
 * bucket itself, so a test can check how many subrequests an operation makes. Calls whose arguments
 * mention `failFor` throw instead, as an unavailable storage backend would for that item.
 */
export interface CountingBucket {
  bucket: R2Bucket;
  calls: Record<string, number>;
}

export function countingBucket(real: R2Bucket, failFor?: string): CountingBucket {
  const calls: Record<string, number> = {};
  const bucket = new Proxy(real, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]): unknown => {
        const name = String(property);
        calls[name] = (calls[name] ?? 0) + 1;
        if (failFor !== undefined && JSON.stringify(args).includes(failFor)) {
          return Promise.reject(new Error(`storage unavailable for ${failFor}`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { bucket, calls };
}

/** The Worker's env with its default-jurisdiction bucket replaced (everything else is the real env). */
export const envWithBucket = (env: Env, bucket: R2Bucket): Env => ({ ...env, FILES: bucket });
