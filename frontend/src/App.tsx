import { useState } from "react";
import { ArtOverviewView } from "./components/ArtOverviewView";
import { ArtPicker } from "./components/ArtPicker";
import { ErrorMessage, Loading } from "./components/Status";
import type { ArtsQuery, ArtsQueryVariables } from "./gql/types";
import { ARTS_QUERY } from "./queries";
import { useQuery } from "./useQuery";

const NO_VARIABLES: ArtsQueryVariables = {};

export function App() {
  const arts = useQuery<ArtsQuery, ArtsQueryVariables>(ARTS_QUERY, NO_VARIABLES);
  const [chosenKey, setChosenKey] = useState<string | null>(null);

  const nodes = arts.status === "ok" ? arts.data.arts.nodes : [];
  // The first ART is selected until the user picks another one.
  const selectedKey = chosenKey ?? nodes[0]?.key ?? null;

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">Trainyard</h1>
        {arts.status === "ok" && nodes.length > 0 && selectedKey !== null && (
          <ArtPicker arts={nodes} selectedKey={selectedKey} onSelect={setChosenKey} />
        )}
      </header>
      <main className="app-main">
        {arts.status === "loading" && <Loading what="Agile Release Trains" />}
        {arts.status === "error" && <ErrorMessage message={arts.message} />}
        {arts.status === "ok" && selectedKey === null && (
          <p className="empty" data-testid="no-arts">
            No Agile Release Train yet. Create one with the <code>createArt</code> mutation.
          </p>
        )}
        {selectedKey !== null && <ArtOverviewView artKey={selectedKey} />}
      </main>
    </div>
  );
}
