// Shapes of the query results the components draw, derived from the generated types.
import type {
  ArtOverviewQuery,
  ArtRefinementQuery,
  ArtsQuery,
  PrepDependencyFieldsFragment,
  SessionDetailFragment,
  SessionEventFragment,
  SessionOverviewFragment,
  TeamRefinementQuery,
} from "./gql/types";

export type ArtSummary = ArtsQuery["arts"]["nodes"][number];
export type ArtOverview = NonNullable<ArtOverviewQuery["art"]>;
export type Team = ArtOverview["teams"]["nodes"][number];
export type Feature = ArtOverview["features"]["nodes"][number];
export type PlanningInterval = ArtOverview["planningIntervals"]["nodes"][number];
export type Iteration = PlanningInterval["iterations"][number];

// Refinement
export type ArtRefinement = NonNullable<ArtRefinementQuery["art"]>;
export type ArtRefinementHealth = ArtRefinement["refinementHealth"];
export type RefinementTotals = ArtRefinementHealth["totals"];
export type TeamAttention = ArtRefinementHealth["attention"][number];
export type TeamHealth = ArtRefinementHealth["teams"][number];
export type WeekCount = ArtRefinementHealth["featuresRefinedPerWeek"][number];
export type ReworkedStory = ArtRefinementHealth["rework"][number];
export type FeatureQueue = ArtRefinement["refinementQueue"];
export type TeamRefinement = NonNullable<TeamRefinementQuery["art"]>["teams"]["nodes"][number];
export type StoryQueue = TeamRefinement["refinementQueue"];
export type SessionOverview = SessionOverviewFragment;
export type AgendaItem = SessionOverview["agenda"][number];
export type SessionSummary = NonNullable<SessionOverview["summary"]>;
export type SessionWarning = SessionOverview["warnings"][number];
export type SessionDetail = SessionDetailFragment;
export type PrepItem = SessionDetail["prepPack"][number];
export type PrepDependency = PrepDependencyFieldsFragment;
export type SessionEvent = SessionEventFragment;
