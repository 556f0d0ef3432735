/** The signed-in client, handed to every view, and the way out when the key stops working. */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { SluiceClient } from "sluice-client";

export interface Session {
  client: SluiceClient;
  apiKey: string;
  signOut: (reason?: string) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in view");
  return session;
}
