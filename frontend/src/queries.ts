// The operations the web app sends. `npm run codegen` reads the /* GraphQL */ strings
// below and generates their result and variable types into src/gql/types.ts.

export const ARTS_QUERY = /* GraphQL */ `
  query Arts {
    arts(first: 100) {
      nodes {
        id
        key
        name
      }
    }
  }
`;

export const ART_OVERVIEW_QUERY = /* GraphQL */ `
  query ArtOverview($key: String!) {
    art(key: $key) {
      id
      key
      name
      teams(first: 100) {
        nodes {
          id
          key
          name
          isSharedServices
        }
      }
      features(first: 100) {
        totalCount
        nodes {
          id
          key
          title
          kind
          state
          wsjf
          owningTeam {
            id
            key
          }
          iteration {
            id
          }
          stories {
            totalCount
          }
          dependsOn {
            totalCount
          }
        }
      }
      planningIntervals(first: 1) {
        nodes {
          id
          name
          iterations {
            id
            index
            name
            kind
          }
        }
      }
    }
  }
`;

// Refinement: the RTE's view of the ART, a team's sessions and queue, and one session (also
// followed live over the WebSocket with the same fields, see live.ts).

export const ART_REFINEMENT_QUERY = /* GraphQL */ `
  query ArtRefinement($key: String!, $weeks: Int!) {
    art(key: $key) {
      id
      key
      name
      teams(first: 100) {
        nodes {
          id
          key
          name
        }
      }
      refinementHealth(weeks: $weeks) {
        totals {
          readyStories
          readyPoints
          heldSessions
          skippingTeams
          overloadedSessions
          sessionsWithoutTechnicalRepresentation
          openFollowUps
          overdueFollowUps
          openSpikes
        }
        featuresRefinedPerWeek {
          weekStart
          count
        }
        attention {
          team {
            id
            key
            name
          }
          reasons
        }
        rework {
          story {
            id
            key
            title
          }
          changes {
            at
            fields
          }
        }
        teams {
          team {
            id
            key
            name
          }
          readyStories
          readyPoints
          depthIterations
          depthBasis
          lastHeldAt
          skipping
          skippedWeeks
          overdueFollowUps
          heldSessions {
            id
          }
          sessionsWithoutTechnicalRepresentation {
            id
          }
          overloadedSessions {
            items
          }
          openFollowUps {
            ageDays
            overdue
            followUp {
              id
              note
            }
          }
          openSpikes {
            spike {
              id
              key
            }
          }
        }
      }
      refinementQueue(first: 10) {
        totalCount
        entries {
          position
          wsjf
          reason
          feature {
            id
            key
            title
          }
        }
      }
    }
  }
`;


// A session as the team's list shows it; the session view adds SessionDetail.
export const SESSION_OVERVIEW_FRAGMENT = /* GraphQL */ `
  fragment SessionOverview on RefinementSession {
    id
    title
    status
    startsAt
    timeboxMinutes
    elapsedMinutes
    remainingMinutes
    warnings {
      code
      message
    }
    agenda {
      position
      covered
      steps
      story {
        id
        key
        title
        points
        tshirtSize
      }
      feature {
        id
        key
        title
      }
      readiness {
        ready
        failures {
          rule
          message
        }
      }
    }
    summary {
      minutes
      overTimeboxMinutes
      covered {
        id
        key
      }
      estimated {
        id
        key
      }
      becameReady {
        id
        key
      }
      flagged {
        id
        key
      }
      leftOver {
        id
        key
      }
      spikesCreated {
        id
        key
      }
      followUps {
        id
        note
      }
      rolledTo {
        id
        title
        startsAt
      }
    }
  }
`;

const PREP_DEPENDENCY_FIELDS = /* GraphQL */ `
  fragment PrepDependencyFields on PrepDependency {
    health
    reason
    dependency {
      id
      type
    }
    other {
      id
      key
      title
    }
    otherTeam {
      id
      key
    }
  }
`;

export const SESSION_DETAIL_FRAGMENT = /* GraphQL */ `
  fragment SessionDetail on RefinementSession {
    ...SessionOverview
    version
    level
    startedAt
    closedAt
    agendaOverrideReason
    art {
      id
      key
    }
    team {
      id
      key
      name
    }
    facilitator {
      id
      name
    }
    participants {
      id
      name
    }
    prepPack {
      position
      acceptanceCriteria
      story {
        id
        key
        title
      }
      feature {
        id
        key
        title
      }
      upstream {
        ...PrepDependencyFields
      }
      downstream {
        ...PrepDependencyFields
      }
      components {
        component {
          id
          name
        }
        owningTeam {
          id
          key
        }
      }
      questions {
        id
        note
      }
      followUps {
        id
        kind
        note
      }
      failures {
        rule
        message
      }
    }
  }
  ${SESSION_OVERVIEW_FRAGMENT}
  ${PREP_DEPENDENCY_FIELDS}
`;

export const TEAM_REFINEMENT_QUERY = /* GraphQL */ `
  query TeamRefinement($artKey: String!, $teamKey: String!) {
    art(key: $artKey) {
      id
      teams(first: 1, filter: { key: { eq: $teamKey } }) {
        nodes {
          id
          key
          name
          refinementSchedule {
            id
            weekdayName
            startTime
            timezone
            timeboxMinutes
          }
          refinementSessions(first: 5) {
            totalCount
            nodes {
              ...SessionOverview
            }
          }
          refinementQueue(first: 10) {
            totalCount
            entries {
              position
              reason
              story {
                id
                key
                title
                points
                tshirtSize
              }
              feature {
                id
                key
              }
              readiness {
                ready
                failures {
                  rule
                  message
                }
              }
            }
          }
        }
      }
    }
  }
  ${SESSION_OVERVIEW_FRAGMENT}
`;

const SESSION_EVENT_FRAGMENT = /* GraphQL */ `
  fragment SessionEvent on RefinementEvent {
    id
    at
    kind
    message
    actor {
      id
      name
    }
  }
`;

export const REFINEMENT_SESSION_QUERY = /* GraphQL */ `
  query RefinementSession($id: ID!) {
    node(id: $id) {
      __typename
      ... on RefinementSession {
        ...SessionDetail
        events(first: 100) {
          totalCount
          nodes {
            ...SessionEvent
          }
        }
      }
    }
  }
  ${SESSION_DETAIL_FRAGMENT}
  ${SESSION_EVENT_FRAGMENT}
`;

/** Sent over the WebSocket (graphql-transport-ws): one update per change to the session. */
export const REFINEMENT_SESSION_SUBSCRIPTION = /* GraphQL */ `
  subscription FollowRefinementSession($id: ID!) {
    refinementSession(id: $id) {
      event {
        ...SessionEvent
      }
      session {
        ...SessionDetail
      }
    }
  }
  ${SESSION_DETAIL_FRAGMENT}
  ${SESSION_EVENT_FRAGMENT}
`;
