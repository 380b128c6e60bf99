// What a closed session achieved (RefinementSession.summary).
import { formatDateTime, formatMinutes } from "../../format";
import { routeHref } from "../../route";
import type { SessionSummary } from "../../types";

type Keyed = { readonly id: string; readonly key: string };

function Keys({ items }: { readonly items: readonly Keyed[] }) {
  if (items.length === 0) return <span className="muted">none</span>;
  return <>{items.map((item) => item.key).join(", ")}</>;
}

export function Summary({
  summary,
  timeboxMinutes,
}: {
  readonly summary: SessionSummary;
  readonly timeboxMinutes: number;
}) {
  const rows: readonly (readonly [string, readonly Keyed[]])[] = [
    ["Covered", summary.covered],
    ["Estimated", summary.estimated],
    ["Became ready", summary.becameReady],
    ["Flagged", summary.flagged],
    ["Left over", summary.leftOver],
    ["Spikes created", summary.spikesCreated],
  ];
  return (
    <dl className="summary" data-testid="session-summary">
      <div data-testid="summary-time">
        <dt>Time</dt>
        <dd>
          {formatMinutes(summary.minutes)} of {timeboxMinutes} minutes
          {summary.overTimeboxMinutes > 0 &&
            ` (${formatMinutes(summary.overTimeboxMinutes)} over the timebox)`}
        </dd>
      </div>
      {rows.map(([label, items]) => (
        <div key={label} data-testid="summary-row" data-label={label}>
          <dt>{label}</dt>
          <dd>
            <Keys items={items} />
          </dd>
        </div>
      ))}
      <div data-testid="summary-follow-ups">
        <dt>Follow-ups</dt>
        <dd>
          {summary.followUps.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            summary.followUps.map((followUp) => followUp.note).join("; ")
          )}
        </dd>
      </div>
      {summary.rolledTo && (
        <div data-testid="summary-rolled-to">
          <dt>Left over went to</dt>
          <dd>
            <a href={routeHref({ view: "session", sessionId: summary.rolledTo.id })}>
              {summary.rolledTo.title}
            </a>{" "}
            <span className="muted">({formatDateTime(summary.rolledTo.startsAt)})</span>
          </dd>
        </div>
      )}
    </dl>
  );
}
