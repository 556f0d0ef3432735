/**
 * Concurrency slots of one tenant: how many of its files may be in flight (dispatched to the queue or
 * processing) at once, shared by all its jobs. A job reports how many files it has in flight and how
 * many more it wants; it never has to give back what is in flight, and it gets more only from what
 * the tenant's other jobs leave free. Jobs that wanted more than they got wait in line (oldest first)
 * and are woken when slots free up. Pure: the Durable Object stores the holdings and calls this.
 */
export interface Holding {
  held: number;
  /** Files the job wanted in flight beyond what it holds (0 when it got all it asked for). */
  waiting: number;
  /** When the job started waiting (for first-come, first-served wake-ups), null when not waiting. */
  waitingSince: number | null;
  expiresAt: number;
}

export interface Reservation {
  /** How many files the job may now have in flight in total. */
  allowed: number;
  holding: Holding | null;
}

export function reserve(
  others: readonly Holding[],
  current: Holding | null,
  inFlight: number,
  wanted: number,
  max: number,
  now: number,
  ttlMs: number,
): Reservation {
  const othersHeld = others.filter((h) => h.expiresAt > now).reduce((sum, h) => sum + h.held, 0);
  const free = Math.max(0, max - othersHeld);
  const allowed = Math.min(inFlight + wanted, Math.max(inFlight, free));
  const waiting = inFlight + wanted - allowed;
  if (allowed === 0 && waiting === 0) return { allowed, holding: null };
  return {
    allowed,
    holding: {
      held: allowed,
      waiting,
      waitingSince: waiting > 0 ? (current?.waitingSince ?? now) : null,
      expiresAt: now + ttlMs,
    },
  };
}

/** Waiting jobs to wake when `freed` slots became available, oldest first. */
export function toWake<K>(waiters: readonly (Holding & { key: K })[], freed: number): K[] {
  if (freed <= 0) return [];
  const line = waiters
    .filter((h) => h.waiting > 0 && h.waitingSince !== null)
    .sort((a, b) => (a.waitingSince ?? 0) - (b.waitingSince ?? 0));
  const woken: K[] = [];
  let left = freed;
  for (const waiter of line) {
    if (left <= 0) break;
    woken.push(waiter.key);
    left -= waiter.waiting;
  }
  return woken;
}
