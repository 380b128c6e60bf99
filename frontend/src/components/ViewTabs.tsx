import { OVERVIEW, REFINEMENT, type Route, routeHref } from "../route";

/** The views of an ART; the refinement of one session counts as the Refinement view. */
export function ViewTabs({ route }: { readonly route: Route }) {
  const tabs = [
    { label: "Overview", target: OVERVIEW, current: route.view === "overview" },
    { label: "Refinement", target: REFINEMENT, current: route.view !== "overview" },
  ];
  return (
    <nav className="view-tabs" aria-label="Views" data-testid="view-tabs">
      {tabs.map((tab) => (
        <a
          key={tab.label}
          className={tab.current ? "view-tab current" : "view-tab"}
          href={routeHref(tab.target)}
          aria-current={tab.current ? "page" : undefined}
          data-testid={`view-tab-${tab.label.toLowerCase()}`}
        >
          {tab.label}
        </a>
      ))}
    </nav>
  );
}
