/**
 * The signed-in session: the API key lives in sessionStorage (gone when the tab closes, never sent
 * anywhere but this origin's API), and the client talks to the origin that served the dashboard.
 */
import { SluiceClient } from "sluice-client";

const STORAGE_KEY = "sluice.apiKey";

export const loadKey = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const saveKey = (key: string): void => {
  sessionStorage.setItem(STORAGE_KEY, key);
};
export const clearKey = (): void => {
  sessionStorage.removeItem(STORAGE_KEY);
};

/** A client for this origin; `onUnauthorized` hears of a 401 (the key was revoked, say). */
export function clientFor(apiKey: string, onUnauthorized?: () => void): SluiceClient {
  return new SluiceClient({
    baseUrl: location.origin,
    apiKey,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) onUnauthorized?.();
      return response;
    },
  });
}
