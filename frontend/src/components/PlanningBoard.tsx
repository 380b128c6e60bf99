import type { Feature, Iteration, PlanningInterval, Team } from "../types";

interface Props {
  readonly planningInterval: PlanningInterval | null;
  readonly teams: readonly Team[];
  readonly features: readonly Feature[];
}

/** A board row: one team, or the features of the interval that have no owning team. */
interface Row {
  readonly id: string;
  readonly key: string;
  readonly label: string;
}

const NO_TEAM: Row = { id: "", key: "", label: "No owning team" };

function cellKey(teamId: string, iterationId: string): string {
  return `${teamId}/${iterationId}`;
}

export function PlanningBoard({ planningInterval, teams, features }: Props) {
  if (planningInterval === null) {
    return <p className="empty">This ART has no planning interval yet.</p>;
  }
  const iterations = [...planningInterval.iterations].sort((a, b) => a.index - b.index);
  const iterationIds = new Set(iterations.map((iteration) => iteration.id));

  const cells = new Map<string, Feature[]>();
  let unplanned = 0;
  for (const feature of features) {
    if (feature.iteration === null || !iterationIds.has(feature.iteration.id)) {
      unplanned += 1;
      continue;
    }
    const key = cellKey(feature.owningTeam?.id ?? NO_TEAM.id, feature.iteration.id);
    cells.set(key, [...(cells.get(key) ?? []), feature]);
  }

  const rows: Row[] = teams.map((team) => ({ id: team.id, key: team.key, label: team.name }));
  if (iterations.some((iteration) => cells.has(cellKey(NO_TEAM.id, iteration.id)))) {
    rows.push(NO_TEAM);
  }

  return (
    <div className="board-wrapper">
      <table className="board" data-testid="board">
        <thead>
          <tr>
            <th className="board-corner">Team</th>
            {iterations.map((iteration) => (
              <IterationHeader key={iteration.id} iteration={iteration} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id || "no-team"} data-testid="board-row" data-team-key={row.key}>
              <th className="board-team" scope="row">
                {row.key && <span className="team-key">{row.key}</span>}
                <span className="team-name">{row.label}</span>
              </th>
              {iterations.map((iteration) => (
                <td
                  key={iteration.id}
                  className={iteration.kind === "IP" ? "board-cell ip" : "board-cell"}
                  data-testid="board-cell"
                  data-team-key={row.key}
                  data-iteration-index={iteration.index}
                >
                  {(cells.get(cellKey(row.id, iteration.id)) ?? []).map((feature) => (
                    <span
                      key={feature.id}
                      className="card"
                      data-testid="board-feature"
                      title={feature.title}
                    >
                      {feature.key}
                    </span>
                  ))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {unplanned > 0 && (
        <p className="muted board-note" data-testid="board-unplanned">
          {unplanned} {unplanned === 1 ? "feature is" : "features are"} not planned in an
          iteration of {planningInterval.name}.
        </p>
      )}
    </div>
  );
}

function IterationHeader({ iteration }: { readonly iteration: Iteration }) {
  const isIp = iteration.kind === "IP";
  return (
    <th
      scope="col"
      className={isIp ? "board-iteration ip" : "board-iteration"}
      data-testid="board-iteration"
      data-iteration-index={iteration.index}
      data-iteration-kind={iteration.kind}
    >
      <span>{iteration.name}</span>
      {isIp && (
        <span className="badge ip-badge" data-testid="ip-marker" title="Innovation and Planning">
          IP
        </span>
      )}
    </th>
  );
}
