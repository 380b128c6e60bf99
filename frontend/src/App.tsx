import { useCallback, useEffect, useMemo, useState } from "react";
import { AuthError, type Session, fetchSession, signOut } from "./auth";
import { ArtOverviewView } from "./components/ArtOverviewView";
import { ArtPicker } from "./components/ArtPicker";
import { RefinementView } from "./components/refinement/RefinementView";
import { SessionView } from "./components/refinement/SessionView";
import { SignInForm } from "./components/SignInForm";
import { ErrorMessage, Loading } from "./components/Status";
import { ViewTabs } from "./components/ViewTabs";
import type { ArtsQuery, ArtsQueryVariables } from "./gql/types";
import { ARTS_QUERY } from "./queries";
import { REFINEMENT, navigate, useRoute } from "./route";
import { SessionContext, type SessionContextValue, useSession } from "./session";
import { useQuery } from "./useQuery";

const NO_VARIABLES: ArtsQueryVariables = {};
const SESSION_ENDED = "Your session has ended. Sign in again.";

type AuthState =
  | { readonly status: "checking" }
  | { readonly status: "signed-out"; readonly notice: string | null }
  | { readonly status: "signed-in"; readonly session: Session };

export function App() {
  const [auth, setAuth] = useState<AuthState>({ status: "checking" });

  useEffect(() => {
    let current = true;
    fetchSession()
      .then((session) => {
        if (!current) return;
        setAuth(
          session ? { status: "signed-in", session } : { status: "signed-out", notice: null },
        );
      })
      .catch((error: unknown) => {
        if (!current) return;
        const notice = error instanceof AuthError ? error.message : String(error);
        setAuth({ status: "signed-out", notice });
      });
    return () => {
      current = false;
    };
  }, []);

  const onSignedIn = useCallback(
    (session: Session) => setAuth({ status: "signed-in", session }),
    [],
  );
  // The server's own message is meant for API clients; the person just signs in again.
  const onSessionLost = useCallback(
    () => setAuth({ status: "signed-out", notice: SESSION_ENDED }),
    [],
  );
  const onSignedOut = useCallback(
    (notice: string | null) => setAuth({ status: "signed-out", notice }),
    [],
  );

  const session = auth.status === "signed-in" ? auth.session : null;
  const context = useMemo<SessionContextValue | null>(
    () => (session ? { session, onSessionLost } : null),
    [session, onSessionLost],
  );

  if (context !== null) {
    return (
      <SessionContext.Provider value={context}>
        <SignedInApp onSignedOut={onSignedOut} />
      </SessionContext.Provider>
    );
  }
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">Trainyard</h1>
      </header>
      <main className="app-main">
        {auth.status === "checking" && <Loading what="your session" />}
        {auth.status === "signed-out" && (
          <SignInForm notice={auth.notice} onSignedIn={onSignedIn} />
        )}
      </main>
    </div>
  );
}

function SignedInApp({ onSignedOut }: { readonly onSignedOut: (notice: string | null) => void }) {
  const { session } = useSession();
  const arts = useQuery<ArtsQuery, ArtsQueryVariables>(ARTS_QUERY, NO_VARIABLES);
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const route = useRoute();

  const nodes = arts.status === "ok" ? arts.data.arts.nodes : [];
  // The first ART is selected until the user picks another one.
  const selectedKey = chosenKey ?? nodes[0]?.key ?? null;

  function selectArt(key: string) {
    setChosenKey(key);
    // A team or a session belongs to the ART that was shown: go back to the new ART's view.
    if (route.view === "session" || (route.view === "refinement" && route.teamKey !== null)) {
      navigate(REFINEMENT);
    }
  }

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut(session.csrfToken);
      onSignedOut(null);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      onSignedOut(`Signing out failed: ${message}`);
    }
  }

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">Trainyard</h1>
        <div className="app-header-tools">
          {arts.status === "ok" && nodes.length > 0 && selectedKey !== null && (
            <ArtPicker arts={nodes} selectedKey={selectedKey} onSelect={selectArt} />
          )}
          <div className="account">
            <span
              className="account-name"
              data-testid="signed-in-person"
              title={session.person.email}
            >
              {session.person.name}
            </span>
            {session.person.isAdmin && <span className="badge admin-badge">admin</span>}
            <button
              type="button"
              className="button header-button"
              onClick={() => void handleSignOut()}
              disabled={signingOut}
              data-testid="sign-out"
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main className="app-main">
        {arts.status === "loading" && <Loading what="Agile Release Trains" />}
        {arts.status === "error" && <ErrorMessage message={arts.message} />}
        {arts.status === "ok" && selectedKey === null && (
          <p className="empty" data-testid="no-arts">
            {session.person.isAdmin ? (
              <>
                No Agile Release Train yet. Create one with the <code>createArt</code> mutation.
              </>
            ) : (
              <>You have no role in an Agile Release Train yet: ask a portfolio admin for one.</>
            )}
          </p>
        )}
        {selectedKey !== null && (
          <>
            <ViewTabs route={route} />
            {route.view === "overview" && <ArtOverviewView artKey={selectedKey} />}
            {route.view === "refinement" && (
              <RefinementView artKey={selectedKey} teamKey={route.teamKey} />
            )}
            {route.view === "session" && <SessionView sessionId={route.sessionId} />}
          </>
        )}
      </main>
    </div>
  );
}
