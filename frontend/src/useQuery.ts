import { useEffect, useState } from "react";
import { SessionLostError, graphqlRequest } from "./api";
import { useSession } from "./session";

export type QueryState<TData> =
  | { readonly status: "loading" }
  | { readonly status: "error"; readonly message: string }
  | { readonly status: "ok"; readonly data: TData };

/** Run a query whenever its variables change; `skip` holds it back (e.g. nothing selected). */
export function useQuery<TData, TVariables extends object>(
  query: string,
  variables: TVariables,
  skip = false,
): QueryState<TData> {
  const { session, onSessionLost } = useSession();
  const csrfToken = session.csrfToken;
  const [state, setState] = useState<QueryState<TData>>({ status: "loading" });
  const key = JSON.stringify(variables);

  useEffect(() => {
    if (skip) return undefined;
    const controller = new AbortController();
    setState({ status: "loading" });
    graphqlRequest<TData, TVariables>(
      query,
      JSON.parse(key) as TVariables,
      csrfToken,
      controller.signal,
    )
      .then((data) => setState({ status: "ok", data }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof SessionLostError) {
          onSessionLost();
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        setState({ status: "error", message });
      });
    return () => controller.abort();
  }, [query, key, skip, csrfToken, onSessionLost]);

  return state;
}
