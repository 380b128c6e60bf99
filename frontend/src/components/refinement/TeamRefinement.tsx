// One team's refinement: its weekly schedule, its latest sessions (newest first) and the
// queue its scrum master pulls the next agenda from.
import { formatDateTime, formatEstimate, plural } from "../../format";
import type { TeamRefinementQuery, TeamRefinementQueryVariables } from "../../gql/types";
import { TEAM_REFINEMENT_QUERY } from "../../queries";
import { routeHref } from "../../route";
import type { SessionOverview, StoryQueue, TeamRefinement as Team } from "../../types";
import { useQuery } from "../../useQuery";
import { ErrorMessage, Loading } from "../Status";
import { ReadinessCell, SessionStatusBadge, WarningList } from "./SessionParts";

const SESSIONS_SHOWN = 5;

export function TeamRefinement({
  artKey,
  teamKey,
}: {
  readonly artKey: string;
  readonly teamKey: string;
}) {
  const result = useQuery<TeamRefinementQuery, TeamRefinementQueryVariables>(
    TEAM_REFINEMENT_QUERY,
    { artKey, teamKey },
  );
  if (result.status === "loading") return <Loading what={`team ${teamKey}`} />;
  if (result.status === "error") return <ErrorMessage message={result.message} />;
  const team = result.data.art?.teams.nodes[0] ?? null;
  if (team === null) {
    return <p className="empty">There is no team {teamKey} in this ART.</p>;
  }
  return (
    <div className="team-refinement" data-testid="team-refinement" data-team-key={team.key}>
      <p className="muted schedule" data-testid="team-schedule">
        {schedule(team)}
      </p>
      <h4>
        Sessions <span className="muted">newest first</span>
      </h4>
      <SessionList team={team} />
      <h4>
        Refinement queue <span className="muted">what the next agenda is pulled from</span>
      </h4>
      <StoryQueueTable queue={team.refinementQueue} />
    </div>
  );
}

function schedule(team: Team): string {
  const weekly = team.refinementSchedule;
  if (weekly === null) return `${team.name} has no weekly refinement scheduled.`;
  // Time is an "HH:MM:SS" string on the wire (codegen leaves the scalar untyped).
  const time = weekly.startTime.slice(0, 5);
  return (
    `${team.name} refines weekly on ${weekly.weekdayName} at ${time} (${weekly.timezone}), ` +
    `${weekly.timeboxMinutes} minutes.`
  );
}

function SessionList({ team }: { readonly team: Team }) {
  const { nodes, totalCount } = team.refinementSessions;
  if (nodes.length === 0) {
    return <p className="empty">{team.name} has no refinement sessions yet.</p>;
  }
  return (
    <>
      <ul className="session-list" data-testid="team-sessions">
        {nodes.map((session) => (
          <SessionCard key={session.id} session={session} />
        ))}
      </ul>
      {totalCount > SESSIONS_SHOWN && (
        <p className="muted table-note">
          The latest {nodes.length} of {totalCount} sessions.
        </p>
      )}
    </>
  );
}

function SessionCard({ session }: { readonly session: SessionOverview }) {
  const stories = session.agenda.map((item) => item.story ?? item.feature);
  return (
    <li className="session-card" data-testid="team-session" data-status={session.status}>
      <div className="session-card-heading">
        <a
          className="session-link"
          href={routeHref({ view: "session", sessionId: session.id })}
          data-testid="team-session-link"
        >
          {session.title}
        </a>
        <SessionStatusBadge status={session.status} />
      </div>
      <p className="muted session-when" data-testid="team-session-when">
        {formatDateTime(session.startsAt)} · {session.timeboxMinutes}-minute timebox ·{" "}
        {plural(session.agenda.length, "item", "items")} on the agenda
      </p>
      {stories.length > 0 && (
        <ol className="agenda-keys" aria-label={`Agenda of ${session.title}`}>
          {stories.map((item, index) => (
            <li key={item?.id ?? index} className="card" data-testid="team-session-agenda-item">
              {item?.key ?? "—"}
            </li>
          ))}
        </ol>
      )}
      <WarningList warnings={session.warnings} testId="team-session-warnings" />
    </li>
  );
}

function StoryQueueTable({ queue }: { readonly queue: StoryQueue }) {
  if (queue.entries.length === 0) {
    return <p className="empty">No story waits for refinement.</p>;
  }
  return (
    <>
      <table className="backlog" data-testid="team-queue">
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Story</th>
            <th scope="col">Title</th>
            <th scope="col">Feature</th>
            <th scope="col" className="num">
              Estimate
            </th>
            <th scope="col">Ready</th>
            <th scope="col">Why here</th>
          </tr>
        </thead>
        <tbody>
          {queue.entries.map((entry) => (
            <tr key={entry.story.id} data-testid="queue-row" data-story-key={entry.story.key}>
              <td className="num">{entry.position}</td>
              <td className="key" data-testid="queue-key">
                {entry.story.key}
              </td>
              <td>{entry.story.title}</td>
              <td className="key">{entry.feature.key}</td>
              <td className="num">{formatEstimate(entry.story.points, entry.story.tshirtSize)}</td>
              <ReadinessCell readiness={entry.readiness} />
              <td data-testid="queue-reason">{entry.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {queue.totalCount > queue.entries.length && (
        <p className="muted table-note">
          The first {queue.entries.length} of {queue.totalCount} stories.
        </p>
      )}
    </>
  );
}
