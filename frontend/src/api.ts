// A minimal GraphQL-over-HTTP client: POST /graphql on the same origin, JSON in and out.

interface GraphQLErrorBody {
  readonly message: string;
}

interface GraphQLResponseBody<TData> {
  readonly data?: TData | null;
  readonly errors?: readonly GraphQLErrorBody[];
}

/** A failed request: the network, the HTTP layer or the GraphQL errors, as one message. */
export class ApiError extends Error {
  override readonly name = "ApiError";
}

export async function graphqlRequest<TData, TVariables extends object>(
  query: string,
  variables: TVariables,
  signal?: AbortSignal,
): Promise<TData> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/graphql-response+json, application/json;q=0.9",
      },
      body: JSON.stringify({ query, variables }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError("The Trainyard service cannot be reached.");
  }

  let body: GraphQLResponseBody<TData>;
  try {
    body = (await response.json()) as GraphQLResponseBody<TData>;
  } catch {
    throw new ApiError(`The service answered ${response.status} ${response.statusText}.`);
  }
  if (body.errors && body.errors.length > 0) {
    throw new ApiError(body.errors.map((e) => e.message).join(" "));
  }
  if (!response.ok || body.data == null) {
    throw new ApiError(`The service answered ${response.status} without data.`);
  }
  return body.data;
}
