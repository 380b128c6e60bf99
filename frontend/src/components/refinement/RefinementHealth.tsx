// The RTE's figures of refinement across the ART (Art.refinementHealth and the program
// backlog's refinement queue), one small component per panel.
import { formatDateTime, formatWsjf, plural } from "../../format";
import { routeHref } from "../../route";
import type {
  FeatureQueue,
  RefinementTotals,
  ReworkedStory,
  TeamAttention,
  TeamHealth,
  WeekCount,
} from "../../types";

function teamHref(teamKey: string): string {
  return routeHref({ view: "refinement", teamKey });
}

export function AttentionList({ attention }: { readonly attention: readonly TeamAttention[] }) {
  if (attention.length === 0) {
    return (
      <p className="empty" data-testid="attention-empty">
        No team needs attention.
      </p>
    );
  }
  return (
    <ol className="attention-list" data-testid="attention-list">
      {attention.map(({ team, reasons }) => (
        <li key={team.id} data-testid="attention-team" data-team-key={team.key}>
          <a className="attention-team" href={teamHref(team.key)}>
            <span className="team-key">{team.key}</span> {team.name}
          </a>
          <ul className="reasons">
            {reasons.map((reason) => (
              <li key={reason} data-testid="attention-reason">
                {reason}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

const TOTALS: readonly (readonly [keyof Omit<RefinementTotals, "__typename">, string])[] = [
  ["readyStories", "Ready stories"],
  ["readyPoints", "Ready points"],
  ["heldSessions", "Sessions held"],
  ["skippingTeams", "Teams skipping"],
  ["overloadedSessions", "Overloaded sessions"],
  ["sessionsWithoutTechnicalRepresentation", "Without a developer or tech lead"],
  ["openFollowUps", "Open follow-ups"],
  ["overdueFollowUps", "Overdue follow-ups"],
  ["openSpikes", "Open spikes"],
];

export function TotalsGrid({ totals }: { readonly totals: RefinementTotals }) {
  return (
    <dl className="stat-grid" data-testid="refinement-totals">
      {TOTALS.map(([field, label]) => (
        <div key={field} className="stat" data-testid={`total-${field}`}>
          <dt>{label}</dt>
          <dd>{totals[field]}</dd>
        </div>
      ))}
    </dl>
  );
}

const DEPTH_BASIS: Record<TeamHealth["depthBasis"], string> = {
  VELOCITY: "by velocity",
  CAPACITY: "by capacity",
  NONE: "no velocity or capacity",
};

function depth(team: TeamHealth): string {
  if (team.depthIterations === null) return "—";
  const unit = team.depthIterations === 1 ? "iteration" : "iterations";
  return `${team.depthIterations.toFixed(1)} ${unit}`;
}

function teamWarnings(team: TeamHealth): string[] {
  const warnings: string[] = [];
  if (team.skipping) warnings.push("Skipping refinement");
  const overloaded = team.overloadedSessions.length;
  if (overloaded > 0) warnings.push(plural(overloaded, "overloaded agenda", "overloaded agendas"));
  const withoutTech = team.sessionsWithoutTechnicalRepresentation.length;
  if (withoutTech > 0) {
    warnings.push(`${plural(withoutTech, "session", "sessions")} without a developer or tech lead`);
  }
  return warnings;
}

export function TeamHealthTable({
  teams,
  selectedKey,
}: {
  readonly teams: readonly TeamHealth[];
  readonly selectedKey: string | null;
}) {
  if (teams.length === 0) return <p className="empty">This ART has no teams yet.</p>;
  return (
    <div className="table-wrapper">
      <table className="backlog" data-testid="team-health-table">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Ready backlog</th>
            <th scope="col">Depth</th>
            <th scope="col" className="num">
              Sessions held
            </th>
            <th scope="col" className="num">
              Skipped weeks
            </th>
            <th scope="col">Follow-ups</th>
            <th scope="col">Open spikes</th>
            <th scope="col">Warnings</th>
          </tr>
        </thead>
        <tbody>
          {teams.map((health) => {
            const { team } = health;
            const warnings = teamWarnings(health);
            const overdue = health.overdueFollowUps;
            return (
              <tr
                key={team.id}
                data-testid="team-health-row"
                data-team-key={team.key}
                aria-current={team.key === selectedKey ? "true" : undefined}
                className={team.key === selectedKey ? "selected" : undefined}
              >
                <th scope="row" className="row-header">
                  <a href={teamHref(team.key)} data-testid="team-health-team">
                    <span className="team-key">{team.key}</span> {team.name}
                  </a>
                </th>
                <td data-testid="team-health-ready">
                  {plural(health.readyStories, "story", "stories")},{" "}
                  {plural(health.readyPoints, "point", "points")}
                </td>
                <td data-testid="team-health-depth">
                  {depth(health)}{" "}
                  <span className="muted">({DEPTH_BASIS[health.depthBasis]})</span>
                </td>
                <td className="num" data-testid="team-health-held">
                  {health.heldSessions.length}
                </td>
                <td
                  className="num"
                  data-testid="team-health-skipped"
                  title={health.skippedWeeks.map((week) => `Week of ${week}`).join(", ")}
                >
                  {health.skippedWeeks.length}
                </td>
                <td data-testid="team-health-follow-ups">
                  {health.openFollowUps.length} open
                  {", "}
                  <span className={overdue > 0 ? "alert-text" : undefined}>{overdue} overdue</span>
                </td>
                <td data-testid="team-health-spikes">
                  {health.openSpikes.length === 0
                    ? "—"
                    : health.openSpikes.map(({ spike }) => spike.key).join(", ")}
                </td>
                <td data-testid="team-health-warnings">
                  {warnings.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <ul className="inline-list">
                      {warnings.map((warning) => (
                        <li key={warning} className="badge warn-badge">
                          {warning}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function WeeklyBars({ weeks }: { readonly weeks: readonly WeekCount[] }) {
  if (weeks.length === 0) return <p className="empty">No weeks to show.</p>;
  const most = Math.max(1, ...weeks.map((week) => week.count));
  return (
    <ol className="week-bars" data-testid="refined-per-week">
      {weeks.map((week) => (
        <li key={week.weekStart} data-testid="refined-week" data-week-start={week.weekStart}>
          <span className="week-label">Week of {week.weekStart}</span>
          <span className="bar-track" aria-hidden="true">
            <span className="bar" style={{ width: `${(100 * week.count) / most}%` }} />
          </span>
          <span className="num week-count" data-testid="refined-week-count">
            {plural(week.count, "feature", "features")}
          </span>
        </li>
      ))}
    </ol>
  );
}

const REWORK_FIELDS: Readonly<Record<string, string>> = {
  acceptance_criteria: "acceptance criteria",
  points: "points",
  tshirt_size: "t-shirt size",
};

export function ReworkList({ rework }: { readonly rework: readonly ReworkedStory[] }) {
  if (rework.length === 0) {
    return <p className="empty">No story changed after it became ready.</p>;
  }
  return (
    <ul className="plain-list" data-testid="rework-list">
      {rework.map(({ story, changes }) => (
        <li key={story.id} data-testid="rework-story">
          <span className="key">{story.key}</span> {story.title}
          <ul className="reasons">
            {changes.map((change) => (
              <li key={change.at}>
                {formatDateTime(change.at)}:{" "}
                {change.fields.map((field) => REWORK_FIELDS[field] ?? field).join(", ")}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

export function WaitingFeatures({ queue }: { readonly queue: FeatureQueue }) {
  if (queue.entries.length === 0) {
    return <p className="empty">No feature waits for program backlog refinement.</p>;
  }
  return (
    <>
      <table className="backlog" data-testid="waiting-features">
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Key</th>
            <th scope="col">Title</th>
            <th scope="col" className="num">
              WSJF
            </th>
            <th scope="col">Why it waits</th>
          </tr>
        </thead>
        <tbody>
          {queue.entries.map((entry) => (
            <tr
              key={entry.feature.id}
              data-testid="waiting-row"
              data-feature-key={entry.feature.key}
            >
              <td className="num">{entry.position}</td>
              <td className="key" data-testid="waiting-key">
                {entry.feature.key}
              </td>
              <td data-testid="waiting-title">{entry.feature.title}</td>
              <td className="num" data-testid="waiting-wsjf">
                {formatWsjf(entry.wsjf)}
              </td>
              <td data-testid="waiting-reason">{entry.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {queue.totalCount > queue.entries.length && (
        <p className="muted table-note">
          The first {queue.entries.length} of {queue.totalCount} waiting features.
        </p>
      )}
    </>
  );
}
