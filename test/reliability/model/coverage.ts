/** How often each interesting outcome happened over a model-test run (to show what it exercised). */
export const coverage = new Map<string, number>();

export function count(what: string): void {
  coverage.set(what, (coverage.get(what) ?? 0) + 1);
}
