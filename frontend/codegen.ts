// GraphQL types come from the committed SDL, never from a running server.
// `npm run codegen` writes src/gql/types.ts (generated at build, not committed).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema/schema.graphql",
  documents: ["src/queries.ts"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/types.ts": {
      plugins: ["typescript", "typescript-operations"],
      config: {
        avoidOptionals: { field: true, inputValue: false },
        enumsAsTypes: true,
        immutableTypes: true,
        scalars: { Date: "string", DateTime: "string", Time: "string", ID: "string" },
        onlyOperationTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
