// A minimal GraphQL-over-HTTP client: POST /graphql on the same origin, JSON in and out,
// authenticated by the session cookie plus the session's CSRF token in a header.

interface GraphQLErrorBody {
  readonly message: string;
  readonly extensions?: { readonly code?: string } | null;
}

interface GraphQLResponseBody<TData> {
  readonly data?: TData | null;
  readonly errors?: readonly GraphQLErrorBody[];
}

/** A failed request: the network, the HTTP layer or the GraphQL errors, as one message. */
export class ApiError extends Error {
  override readonly name: string = "ApiError";
}

/**
 * The server no longer accepts the session: nobody is signed in (UNAUTHENTICATED), or the
 * cookie and the CSRF token do not match (401/403 before anything ran). Sign in again.
 */
export class SessionLostError extends ApiError {
  override readonly name: string = "SessionLostError";
}

export async function graphqlRequest<TData, TVariables extends object>(
  query: string,
  variables: TVariables,
  csrfToken: string,
  signal?: AbortSignal,
): Promise<TData> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/graphql-response+json, application/json;q=0.9",
        "X-CSRF-Token": csrfToken,
      },
      body: JSON.stringify({ query, variables }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError("The Trainyard service cannot be reached.");
  }

  let body: GraphQLResponseBody<TData> | null = null;
  try {
    body = (await response.json()) as GraphQLResponseBody<TData>;
  } catch {
    body = null;
  }
  const errors = body?.errors ?? [];
  // 401/403 answer only when the credentials were refused before the query ran.
  if (
    response.status === 401 ||
    response.status === 403 ||
    errors.some((e) => e.extensions?.code === "UNAUTHENTICATED")
  ) {
    throw new SessionLostError(errors.map((e) => e.message).join(" "));
  }
  if (body === null) {
    throw new ApiError(`The service answered ${response.status} ${response.statusText}.`);
  }
  if (errors.length > 0) {
    throw new ApiError(errors.map((e) => e.message).join(" "));
  }
  if (!response.ok || body.data == null) {
    throw new ApiError(`The service answered ${response.status} without data.`);
  }
  return body.data;
}
