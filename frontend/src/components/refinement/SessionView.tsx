// One refinement session, kept live: it is read over HTTP, then followed over the WebSocket
// (live.ts); every update carries the session as it is then and the event that changed it.
import { useEffect, useState } from "react";
import { formatDateTime, formatMinutes, formatTime, plural } from "../../format";
import type {
  FollowRefinementSessionSubscription,
  FollowRefinementSessionSubscriptionVariables,
  RefinementSessionQuery,
  RefinementSessionQueryVariables,
} from "../../gql/types";
import { type LiveStatus, subscribe } from "../../live";
import { REFINEMENT_SESSION_QUERY, REFINEMENT_SESSION_SUBSCRIPTION } from "../../queries";
import { REFINEMENT, routeHref } from "../../route";
import { useSession } from "../../session";
import type { SessionDetail, SessionEvent } from "../../types";
import { useQuery } from "../../useQuery";
import { Panel } from "../Panel";
import { ErrorMessage, Loading } from "../Status";
import { PrepPack } from "./PrepPack";
import { AgendaTable, SessionStatusBadge, WarningList } from "./SessionParts";
import { Summary } from "./SessionSummary";

const LOG_SHOWN = 15;
const TICK_MS = 15_000;

type Loaded = Extract<
  NonNullable<RefinementSessionQuery["node"]>,
  { readonly __typename: "RefinementSession" }
>;

export function SessionView({ sessionId }: { readonly sessionId: string }) {
  const result = useQuery<RefinementSessionQuery, RefinementSessionQueryVariables>(
    REFINEMENT_SESSION_QUERY,
    { id: sessionId },
  );
  if (result.status === "loading") return <Loading what="the refinement session" />;
  if (result.status === "error") return <ErrorMessage message={result.message} />;
  const node = result.data.node;
  if (node === null || node.__typename !== "RefinementSession") {
    return <ErrorMessage message="There is no refinement session with that id." />;
  }
  return <LiveSession key={node.id} loaded={node} />;
}

/** The log so far plus one event, each event once, in the order they happened. */
function withEvent(log: readonly SessionEvent[], event: SessionEvent): readonly SessionEvent[] {
  return log.some((seen) => seen.id === event.id) ? log : [...log, event];
}

function LiveSession({ loaded }: { readonly loaded: Loaded }) {
  const { onSessionLost } = useSession();
  const [session, setSession] = useState<SessionDetail>(loaded);
  const [log, setLog] = useState<readonly SessionEvent[]>(loaded.events.nodes);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [liveError, setLiveError] = useState<string | null>(null);
  const sessionId = loaded.id;

  useEffect(
    () =>
      subscribe<
        FollowRefinementSessionSubscription,
        FollowRefinementSessionSubscriptionVariables
      >(
        REFINEMENT_SESSION_SUBSCRIPTION,
        { id: sessionId },
        {
          onData: ({ refinementSession: update }) => {
            setSession(update.session);
            setLog((previous) => withEvent(previous, update.event));
            setLiveError(null);
          },
          onStatus: setStatus,
          onError: (message) => setLiveError(message),
          onSessionLost,
        },
      ),
    [sessionId, onSessionLost],
  );

  const team = session.team;
  return (
    <div className="session-view" data-testid="session-view">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href={routeHref(REFINEMENT)}>Refinement</a>
        {team && (
          <>
            {" › "}
            <a href={routeHref({ view: "refinement", teamKey: team.key })}>{team.name}</a>
          </>
        )}
      </nav>
      <div className="session-heading">
        <h2 data-testid="session-title">{session.title}</h2>
        <SessionStatusBadge status={session.status} />
        <LiveIndicator status={status} />
      </div>
      <p className="muted session-facts" data-testid="session-facts">
        {team
          ? `Team ${team.name} (${team.key})`
          : `Program backlog refinement of ${session.art.key}`}
        {" · "}
        {formatDateTime(session.startsAt)}
        {" · "}
        {session.participants.length === 0
          ? "nobody invited"
          : `with ${session.participants.map((person) => person.name).join(", ")}`}
        {session.facilitator && ` · facilitated by ${session.facilitator.name}`}
      </p>
      {liveError !== null && (
        <p className="error live-error" role="alert" data-testid="live-error">
          Live updates: {liveError}
        </p>
      )}
      <Timebox session={session} />
      <WarningList warnings={session.warnings} testId="session-warnings" />
      <div className="session-grid">
        <Panel
          title="Agenda"
          note={plural(session.agenda.length, "item", "items")}
          testId="agenda-panel"
        >
          <AgendaTable agenda={session.agenda} />
          {session.agendaOverrideReason && (
            <p className="muted table-note">
              Overloaded on purpose: {session.agendaOverrideReason}
            </p>
          )}
        </Panel>
        <Panel title="Log" note="newest first" testId="log-panel">
          <EventLog log={log} />
        </Panel>
      </div>
      {session.summary && (
        <Panel title="Summary" testId="summary-panel">
          <Summary summary={session.summary} timeboxMinutes={session.timeboxMinutes} />
        </Panel>
      )}
      <Panel title="Prep pack" note="what to read before each item" testId="prep-panel">
        <PrepPack items={session.prepPack} />
      </Panel>
    </div>
  );
}

const LIVE_LABELS: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  stopped: "Not live",
};

function LiveIndicator({ status }: { readonly status: LiveStatus }) {
  return (
    <span
      className={`live-indicator live-${status}`}
      role="status"
      data-testid="live-indicator"
      data-status={status}
    >
      {LIVE_LABELS[status]}
    </span>
  );
}

/** Minutes since the session started, ticking while it runs. */
function useElapsedMinutes(session: SessionDetail): number | null {
  const running = session.status === "IN_PROGRESS" && session.startedAt !== null;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [running]);
  if (!running || session.startedAt === null) return session.elapsedMinutes;
  // Never behind the server's own figure (the browser's clock may lag the server's).
  const local = (now - new Date(session.startedAt).getTime()) / 60_000;
  return Math.max(session.elapsedMinutes ?? 0, local);
}

function Timebox({ session }: { readonly session: SessionDetail }) {
  const elapsed = useElapsedMinutes(session);
  const timebox = session.timeboxMinutes;
  if (elapsed === null) {
    return (
      <p className="timebox" data-testid="timebox">
        Not started · {timebox}-minute timebox
      </p>
    );
  }
  const over = elapsed > timebox;
  const used = Math.min(elapsed, timebox);
  const words =
    session.status === "IN_PROGRESS"
      ? `${formatMinutes(elapsed)} of ${timebox} minutes used`
      : `Took ${formatMinutes(elapsed)} of ${timebox} minutes`;
  return (
    <div className="timebox" data-testid="timebox">
      <span data-testid="timebox-text">
        {words}
        {over
          ? ` · ${formatMinutes(elapsed - timebox)} over`
          : session.status === "IN_PROGRESS"
            ? ` · ${formatMinutes(timebox - elapsed)} left`
            : ""}
      </span>
      <div
        className={over ? "timebox-track over" : "timebox-track"}
        role="progressbar"
        aria-label="Timebox used"
        aria-valuemin={0}
        aria-valuemax={timebox}
        aria-valuenow={Math.round(used)}
        aria-valuetext={words}
      >
        <div className="timebox-fill" style={{ width: `${(100 * used) / timebox}%` }} />
      </div>
    </div>
  );
}

function EventLog({ log }: { readonly log: readonly SessionEvent[] }) {
  if (log.length === 0) return <p className="empty">Nothing happened yet.</p>;
  const latest = log.slice(-LOG_SHOWN).reverse();
  return (
    <ol className="event-log" aria-live="polite" aria-label="Session log" data-testid="event-log">
      {latest.map((event) => (
        <li key={event.id} data-testid="event" data-kind={event.kind}>
          <time className="muted event-time" dateTime={event.at}>
            {formatTime(event.at)}
          </time>{" "}
          <span className="event-message" data-testid="event-message">
            {event.message}
          </span>
          {event.actor && <span className="muted event-actor"> — {event.actor.name}</span>}
        </li>
      ))}
    </ol>
  );
}
