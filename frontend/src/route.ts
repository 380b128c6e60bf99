// Which view is shown, kept in the URL's hash so that views can be linked to and the
// browser's back button works, without a router dependency or server-side routes:
//   #/                          the ART overview
//   #/refinement                the ART's refinement health
//   #/refinement/teams/ATL      ... with team ATL's sessions and queue
//   #/refinement/sessions/<id>  one refinement session, followed live
import { useSyncExternalStore } from "react";

export type Route =
  | { readonly view: "overview" }
  | { readonly view: "refinement"; readonly teamKey: string | null }
  | { readonly view: "session"; readonly sessionId: string };

export const OVERVIEW: Route = { view: "overview" };
export const REFINEMENT: Route = { view: "refinement", teamKey: null };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter((part) => part !== "")
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
  if (parts[0] !== "refinement") return OVERVIEW;
  if (parts[1] === "teams" && parts[2]) return { view: "refinement", teamKey: parts[2] };
  if (parts[1] === "sessions" && parts[2]) return { view: "session", sessionId: parts[2] };
  return REFINEMENT;
}

export function routeHref(route: Route): string {
  switch (route.view) {
    case "overview":
      return "#/";
    case "refinement":
      return route.teamKey === null
        ? "#/refinement"
        : `#/refinement/teams/${encodeURIComponent(route.teamKey)}`;
    case "session":
      return `#/refinement/sessions/${encodeURIComponent(route.sessionId)}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

function currentHash(): string {
  return window.location.hash;
}

/** The route of the current URL; re-renders when the hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return parseRoute(hash);
}
