// The browser session: GET /auth/session, POST /auth/sign-in and POST /auth/sign-out.
// The session itself is an HttpOnly cookie; the CSRF token is kept in memory only.

export interface SessionPerson {
  readonly name: string;
  readonly email: string;
  readonly isAdmin: boolean;
}

export interface Session {
  readonly person: SessionPerson;
  readonly csrfToken: string;
}

/** A refused or failed auth request, with the message to show (the server's when it gave one). */
export class AuthError extends Error {
  override readonly name = "AuthError";
}

const UNREACHABLE = "The Trainyard service cannot be reached.";

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, {
      credentials: "same-origin",
      cache: "no-store",
      ...init,
      headers: { Accept: "application/json", ...init.headers },
    });
  } catch {
    throw new AuthError(UNREACHABLE);
  }
}

async function readJson(response: Response): Promise<Record<string, unknown> | null> {
  try {
    const body: unknown = await response.json();
    return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function serverMessage(response: Response, body: Record<string, unknown> | null): string {
  if (body && typeof body["error"] === "string" && body["error"]) return body["error"];
  if (response.status === 429) return "Too many failed sign-ins; try again later.";
  return `The service answered ${response.status} ${response.statusText}.`.replace(" .", ".");
}

function asPerson(value: unknown): SessionPerson | null {
  if (typeof value !== "object" || value === null) return null;
  const { name, email, isAdmin } = value as Record<string, unknown>;
  if (typeof name !== "string" || typeof email !== "string") return null;
  return { name, email, isAdmin: isAdmin === true };
}

function asSession(body: Record<string, unknown> | null): Session | null {
  const person = asPerson(body?.["person"]);
  const csrfToken = body?.["csrfToken"];
  if (person === null || typeof csrfToken !== "string" || !csrfToken) return null;
  return { person, csrfToken };
}

/** The current session (from the cookie), or null when nobody is signed in. */
export async function fetchSession(): Promise<Session | null> {
  const response = await send("/auth/session", { method: "GET" });
  const body = await readJson(response);
  if (!response.ok) throw new AuthError(serverMessage(response, body));
  return body?.["signedIn"] === true ? asSession(body) : null;
}

export async function signIn(email: string, password: string): Promise<Session> {
  const response = await send("/auth/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const body = await readJson(response);
  if (!response.ok) throw new AuthError(serverMessage(response, body));
  const session = asSession(body);
  if (session === null) throw new AuthError("The service answered the sign-in without a session.");
  return session;
}

export async function signOut(csrfToken: string): Promise<void> {
  const response = await send("/auth/sign-out", {
    method: "POST",
    headers: { "X-CSRF-Token": csrfToken },
  });
  if (!response.ok) throw new AuthError(serverMessage(response, await readJson(response)));
}
