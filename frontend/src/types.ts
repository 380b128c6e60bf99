// Shapes of the query results the components draw, derived from the generated types.
import type { ArtOverviewQuery, ArtsQuery } from "./gql/types";

export type ArtSummary = ArtsQuery["arts"]["nodes"][number];
export type ArtOverview = NonNullable<ArtOverviewQuery["art"]>;
export type Team = ArtOverview["teams"]["nodes"][number];
export type Feature = ArtOverview["features"]["nodes"][number];
export type PlanningInterval = ArtOverview["planningIntervals"]["nodes"][number];
export type Iteration = PlanningInterval["iterations"][number];
