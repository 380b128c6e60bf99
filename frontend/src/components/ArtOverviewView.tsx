import type { ArtOverviewQuery, ArtOverviewQueryVariables } from "../gql/types";
import { ART_OVERVIEW_QUERY } from "../queries";
import { useQuery } from "../useQuery";
import { BacklogTable } from "./BacklogTable";
import { PlanningBoard } from "./PlanningBoard";
import { ErrorMessage, Loading } from "./Status";
import { TeamList } from "./TeamList";

export function ArtOverviewView({ artKey }: { readonly artKey: string }) {
  const overview = useQuery<ArtOverviewQuery, ArtOverviewQueryVariables>(ART_OVERVIEW_QUERY, {
    key: artKey,
  });

  if (overview.status === "loading") return <Loading what={`ART ${artKey}`} />;
  if (overview.status === "error") return <ErrorMessage message={overview.message} />;
  const art = overview.data.art;
  if (art === null) return <ErrorMessage message={`There is no ART with key ${artKey}.`} />;

  const planningInterval = art.planningIntervals.nodes[0] ?? null;
  return (
    <div className="overview" data-testid="art-overview">
      <h2 className="art-name" data-testid="art-name">
        {art.name} <span className="muted">({art.key})</span>
      </h2>
      <section className="panel">
        <h3>Teams</h3>
        <TeamList teams={art.teams.nodes} />
      </section>
      <section className="panel">
        <h3>
          Program backlog <span className="muted">by WSJF</span>
        </h3>
        <BacklogTable features={art.features.nodes} />
      </section>
      <section className="panel">
        <h3>
          Planning board{" "}
          {planningInterval && <span className="muted">{planningInterval.name}</span>}
        </h3>
        <PlanningBoard
          planningInterval={planningInterval}
          teams={art.teams.nodes}
          features={art.features.nodes}
        />
      </section>
    </div>
  );
}
