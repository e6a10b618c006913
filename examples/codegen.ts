import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The client repository's codegen: typed documents for examples/operations,
 * generated from the committed schema.graphql alone (never from src/ or a
 * running server), with the trusted-documents manifest beside them.
 * Paths are relative to the repository root, where the npm scripts run.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: 'examples/operations/*.graphql',
  generates: {
    'examples/client/gql/': {
      preset: 'client',
      presetConfig: {
        // The manifest maps each id (sha256 of the document text) to that text.
        persistedDocuments: { hashAlgorithm: 'sha256' },
        // Outside React, "useFragment" would read as a hook.
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
      },
      config: {
        // A scalar without a type here fails the generation instead of becoming `any`.
        strictScalars: true,
        scalars: {
          // RFC 3339 in UTC, e.g. 2026-11-28T18:00:00.000Z: JSON carries a string, not a Date.
          DateTime: 'string',
        },
        enumsAsTypes: true,
        useTypeImports: true,
        importExtension: '.ts',
      },
    },
  },
};

export default config;
