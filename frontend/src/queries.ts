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
