// Pieces of a refinement session shared by the team's list and the session view.
import { formatEstimate, humanize } from "../../format";
import type { AgendaStep, SessionStatus } from "../../gql/types";
import type { AgendaItem, SessionWarning } from "../../types";

type Readiness = NonNullable<AgendaItem["readiness"]>;

export function SessionStatusBadge({ status }: { readonly status: SessionStatus }) {
  return (
    <span
      className={`badge status-badge status-${status.toLowerCase()}`}
      data-testid="session-status"
    >
      {humanize(status)}
    </span>
  );
}

export function WarningList({
  warnings,
  testId,
}: {
  readonly warnings: readonly SessionWarning[];
  readonly testId: string;
}) {
  if (warnings.length === 0) return null;
  return (
    <ul className="warnings" aria-label="Warnings" data-testid={testId}>
      {warnings.map((warning) => (
        <li key={warning.code} className="warning" data-testid="warning" data-code={warning.code}>
          {warning.message}
        </li>
      ))}
    </ul>
  );
}

/** A table cell: "Ready", or "Not ready" with what the Definition of Ready still lacks. */
export function ReadinessCell({ readiness }: { readonly readiness: Readiness | null }) {
  if (readiness === null) return <td className="muted">—</td>;
  if (readiness.ready) {
    return (
      <td data-testid="readiness">
        <span className="badge ready-badge">Ready</span>
      </td>
    );
  }
  return (
    <td data-testid="readiness">
      <span className="badge not-ready-badge">Not ready</span>
      <ul className="failures">
        {readiness.failures.map((failure) => (
          <li key={failure.rule} data-testid="readiness-failure">
            {failure.message}
          </li>
        ))}
      </ul>
    </td>
  );
}

const STEP_LABELS: Record<AgendaStep, string> = {
  CLARIFY: "Clarified",
  ACCEPTANCE_CRITERIA: "Acceptance criteria",
  ESTIMATE: "Estimated",
  TECHNICAL_DETAILS: "Technical details",
  FLAG: "Flagged",
  SPIKE: "Spike",
};
const STEP_ORDER: readonly AgendaStep[] = [
  "CLARIFY",
  "ACCEPTANCE_CRITERIA",
  "ESTIMATE",
  "TECHNICAL_DETAILS",
  "FLAG",
  "SPIKE",
];

function Steps({ steps }: { readonly steps: readonly AgendaStep[] }) {
  if (steps.length === 0) return <span className="muted">—</span>;
  const done = new Set(steps);
  return (
    <ul className="inline-list">
      {STEP_ORDER.filter((step) => done.has(step)).map((step) => (
        <li key={step} className="badge step-badge" data-testid="agenda-step">
          {STEP_LABELS[step]}
        </li>
      ))}
    </ul>
  );
}

export function AgendaTable({ agenda }: { readonly agenda: readonly AgendaItem[] }) {
  if (agenda.length === 0) return <p className="empty">The agenda is empty.</p>;
  return (
    <div className="table-wrapper">
      <table className="backlog agenda" data-testid="agenda">
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Item</th>
            <th scope="col">Title</th>
            <th scope="col" className="num">
              Estimate
            </th>
            <th scope="col">Steps</th>
            <th scope="col">Covered</th>
            <th scope="col">Ready</th>
          </tr>
        </thead>
        <tbody>
          {agenda.map((item) => {
            const work = item.story ?? item.feature;
            return (
              <tr
                key={item.position}
                data-testid="agenda-row"
                data-key={work?.key}
                className={item.covered ? "covered" : undefined}
              >
                <td className="num">{item.position}</td>
                <td className="key" data-testid="agenda-key">
                  {work?.key ?? "—"}
                </td>
                <td data-testid="agenda-title">{work?.title ?? ""}</td>
                <td className="num" data-testid="agenda-estimate">
                  {item.story ? formatEstimate(item.story.points, item.story.tshirtSize) : "—"}
                </td>
                <td data-testid="agenda-steps">
                  <Steps steps={item.steps} />
                </td>
                <td data-testid="agenda-covered">
                  {item.covered ? (
                    <span className="covered-mark">Covered</span>
                  ) : (
                    <span className="muted">Not yet</span>
                  )}
                </td>
                <ReadinessCell readiness={item.readiness} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
