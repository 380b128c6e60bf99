// A minimal graphql-transport-ws client over the browser's WebSocket, for one subscription
// per socket (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md). The socket
// is same-origin, so the browser sends the session cookie with the upgrade request and that
// is what authenticates it: `connection_init` carries an empty payload.
//
// A dropped socket, or a subscription the server ended (e.g. it fell behind), is subscribed
// again after a growing pause; the server's first update then carries the session as it is
// now, so nothing is left stale. A refused subscription (`error`) is final.

export type LiveStatus = "connecting" | "live" | "reconnecting" | "stopped";

export interface LiveHandlers<TData> {
  readonly onData: (data: TData) => void;
  readonly onStatus: (status: LiveStatus) => void;
  /** The server refused the subscription or an update failed; `final` when it will not retry. */
  readonly onError: (message: string, final: boolean) => void;
  /** The socket was refused because nobody is signed in. */
  readonly onSessionLost: () => void;
}

interface ServerMessage {
  readonly type?: string;
  readonly id?: string;
  readonly payload?: unknown;
}

interface ExecutionResult<TData> {
  readonly data?: TData | null;
  readonly errors?: readonly { readonly message: string }[];
}

const PROTOCOL = "graphql-transport-ws";
const SUBSCRIPTION_ID = "1";
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];
const FORBIDDEN = 4403; // connection_init refused: no signed-in person on the socket
const BAD_REQUEST = 4400; // the server could not use a message: sending it again fails again

function socketUrl(): string {
  const url = new URL("/graphql", window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

function messages(errors: readonly { readonly message: string }[]): string {
  return errors.map((error) => error.message).join(" ");
}

/** Subscribe; returns the function that ends the subscription and closes the socket. */
export function subscribe<TData, TVariables extends object>(
  query: string,
  variables: TVariables,
  handlers: LiveHandlers<TData>,
): () => void {
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  const send = (ws: WebSocket, message: object) => ws.send(JSON.stringify(message));
  const startSubscription = (ws: WebSocket) =>
    send(ws, { id: SUBSCRIPTION_ID, type: "subscribe", payload: { query, variables } });

  function retry(run: () => void) {
    handlers.onStatus("reconnecting");
    const delay = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)];
    failures += 1;
    retryTimer = setTimeout(run, delay);
  }

  function stop() {
    stopped = true;
    clearTimeout(retryTimer);
    handlers.onStatus("stopped");
    const ws = socket;
    socket = null;
    if (ws === null) return;
    if (ws.readyState === WebSocket.CONNECTING) {
      ws.onopen = () => ws.close(1000); // closing before the handshake logs a browser error
    } else if (ws.readyState === WebSocket.OPEN) {
      ws.close(1000);
    }
  }

  function handle(ws: WebSocket, message: ServerMessage) {
    switch (message.type) {
      case "connection_ack":
        startSubscription(ws);
        return;
      case "ping":
        send(ws, { type: "pong" });
        return;
      case "next": {
        if (message.id !== SUBSCRIPTION_ID) return;
        const result = (message.payload ?? {}) as ExecutionResult<TData>;
        if (result.errors && result.errors.length > 0) {
          handlers.onError(messages(result.errors), false);
        }
        if (result.data != null) {
          failures = 0;
          handlers.onStatus("live");
          handlers.onData(result.data);
        }
        return;
      }
      case "error": {
        const errors = Array.isArray(message.payload) ? message.payload : [];
        handlers.onError(messages(errors as { message: string }[]) || "Refused.", true);
        stop();
        return;
      }
      case "complete":
        // The server ended the stream (after an error in it): take it up again.
        retry(() => {
          if (!stopped && socket === ws && ws.readyState === WebSocket.OPEN) {
            handlers.onStatus("connecting");
            startSubscription(ws);
          }
        });
        return;
      default:
        return;
    }
  }

  function connect() {
    if (stopped) return;
    handlers.onStatus(failures === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(socketUrl(), PROTOCOL);
    socket = ws;
    ws.onopen = () => send(ws, { type: "connection_init", payload: {} });
    ws.onmessage = (event: MessageEvent) => {
      if (socket !== ws || typeof event.data !== "string") return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      handle(ws, message);
    };
    ws.onclose = (event: CloseEvent) => {
      if (stopped || socket !== ws) return;
      socket = null;
      if (event.code === FORBIDDEN) {
        stop();
        handlers.onSessionLost();
        return;
      }
      if (event.code === BAD_REQUEST) {
        handlers.onError(event.reason || "The subscription was refused.", true);
        stop();
        return;
      }
      retry(connect);
    };
  }

  connect();
  return () => stop();
}
