// The Refinement view: how refinement goes across the ART (for the RTE), the program
// backlog waiting for refinement, and one team's sessions and queue (for its scrum master).
import { useEffect, useId, useRef } from "react";
import type { ArtRefinementQuery, ArtRefinementQueryVariables } from "../../gql/types";
import { ART_REFINEMENT_QUERY } from "../../queries";
import { REFINEMENT, navigate } from "../../route";
import type { ArtRefinement } from "../../types";
import { useQuery } from "../../useQuery";
import { Panel } from "../Panel";
import { ErrorMessage, Loading } from "../Status";
import {
  AttentionList,
  ReworkList,
  TeamHealthTable,
  TotalsGrid,
  WaitingFeatures,
  WeeklyBars,
} from "./RefinementHealth";
import { TeamRefinement } from "./TeamRefinement";

/** How many weeks the weekly figures go back. */
const WEEKS = 4;

export function RefinementView({
  artKey,
  teamKey,
}: {
  readonly artKey: string;
  readonly teamKey: string | null;
}) {
  const result = useQuery<ArtRefinementQuery, ArtRefinementQueryVariables>(ART_REFINEMENT_QUERY, {
    key: artKey,
    weeks: WEEKS,
  });
  const teamPanel = useRef<HTMLDivElement>(null);
  const loaded = result.status === "ok";

  // A team picked anywhere on the page (attention list, table, picker, or back from one of
  // its sessions) is shown in the last panel: bring it into view.
  useEffect(() => {
    if (loaded && teamKey !== null) teamPanel.current?.scrollIntoView({ block: "start" });
  }, [loaded, teamKey]);

  if (result.status === "loading") return <Loading what={`the refinement of ${artKey}`} />;
  if (result.status === "error") return <ErrorMessage message={result.message} />;
  const art = result.data.art;
  if (art === null) return <ErrorMessage message={`There is no ART with key ${artKey}.`} />;
  const health = art.refinementHealth;

  return (
    <div className="refinement" data-testid="refinement-view">
      <h2 className="art-name" data-testid="refinement-title">
        Refinement{" "}
        <span className="muted">
          {art.name} ({art.key})
        </span>
      </h2>
      <div className="panel-row">
        <Panel title="Needs attention" note="most urgent first" testId="attention-panel">
          <AttentionList attention={health.attention} />
        </Panel>
        <Panel title="Totals" note={`last ${WEEKS} weeks`} testId="totals-panel">
          <TotalsGrid totals={health.totals} />
        </Panel>
      </div>
      <Panel title="Teams" testId="teams-panel">
        <TeamHealthTable teams={health.teams} selectedKey={teamKey} />
      </Panel>
      <div className="panel-row">
        <Panel title="Features refined per week" testId="refined-panel">
          <WeeklyBars weeks={health.featuresRefinedPerWeek} />
        </Panel>
        <Panel title="Rework" note="changed after they were ready" testId="rework-panel">
          <ReworkList rework={health.rework} />
        </Panel>
      </div>
      <Panel
        title="Waiting for program backlog refinement"
        note="by WSJF"
        testId="waiting-panel"
      >
        <WaitingFeatures queue={art.refinementQueue} />
      </Panel>
      <div ref={teamPanel}>
        <Panel
          title="Team refinement"
          testId="team-panel"
          tools={<TeamPicker teams={art.teams.nodes} selectedKey={teamKey} />}
        >
          {teamKey === null ? (
            <p className="empty" data-testid="team-prompt">
              Pick a team to see its sessions and refinement queue.
            </p>
          ) : (
            <TeamRefinement artKey={art.key} teamKey={teamKey} />
          )}
        </Panel>
      </div>
    </div>
  );
}

function TeamPicker({
  teams,
  selectedKey,
}: {
  readonly teams: ArtRefinement["teams"]["nodes"];
  readonly selectedKey: string | null;
}) {
  const id = useId();
  return (
    <div className="team-picker">
      <label htmlFor={id}>Team</label>
      <select
        id={id}
        data-testid="team-picker"
        value={selectedKey ?? ""}
        onChange={(event) => {
          const key = event.target.value;
          navigate(key ? { view: "refinement", teamKey: key } : REFINEMENT);
        }}
      >
        <option value="">Choose a team…</option>
        {teams.map((team) => (
          <option key={team.id} value={team.key}>
            {team.key} — {team.name}
          </option>
        ))}
      </select>
    </div>
  );
}
