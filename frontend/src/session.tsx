import { createContext, useContext } from "react";
import type { Session } from "./auth";

export interface SessionContextValue {
  readonly session: Session;
  /** The server refused the session: return to the sign-in form with a message. */
  readonly onSessionLost: () => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

/** The signed-in session; only used below the sign-in gate in App. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error("useSession is used outside a signed-in session");
  return value;
}
