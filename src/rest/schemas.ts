import { Type, type TSchema } from '@sinclair/typebox';

/**
 * The JSON schemas of the REST resource: fets validates requests with them
 * and writes the OpenAPI document from them.
 */
const described = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description });

export const ModelStatus = Type.Union(
  [Type.Literal('MODEL_STATUS_UNSPECIFIED'), Type.Literal('MODEL_STATUS_ENABLED'), Type.Literal('MODEL_STATUS_DISABLED')],
  { description: 'Whether the workspace may use the model.' },
);

export const Model = Type.Object(
  {
    metadata: Type.Object(
      {
        id: described(Type.String(), 'The prefixed ULID of the model, e.g. model_01HX….'),
        accountId: described(Type.String(), 'The owning account (tenant).'),
        createdAt: Type.String({ format: 'date-time', description: 'Creation time, RFC 3339 in UTC with milliseconds.' }),
        name: described(Type.String(), 'A human-readable name, e.g. "Claude Sonnet 4.6".'),
        profileId: described(Type.String(), 'The actor (user or service account) that created it.'),
        workspaceId: described(Type.String(), 'The owning workspace.'),
        bundleKey: Type.Optional(described(Type.String(), 'Set when a configuration bundle manages the model.')),
        externalId: Type.Optional(described(Type.String(), 'The id in an external system; for catalog models "provider/family".')),
        labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Labels, keys sorted; omitted when there are none.' })),
      },
      { description: 'Standard metadata of a persistent, named resource.' },
    ),
    spec: Type.Object(
      {
        family: described(Type.String(), 'The model family, e.g. "claude-sonnet-4.6".'),
        inputPricePerMillionTokens: Type.Optional(described(Type.String(), 'Cents per million input tokens, an exact decimal string: "300" is $3.00.')),
        maxInputTokens: Type.Optional(Type.Integer({ format: 'int32', description: 'The largest input (context) in tokens.' })),
        maxOutputTokens: Type.Optional(Type.Integer({ format: 'int32', description: 'The largest output in tokens.' })),
        outputPricePerMillionTokens: Type.Optional(described(Type.String(), 'Cents per million output tokens, an exact decimal string.')),
        provider: described(Type.String(), 'The provider, e.g. "anthropic".'),
        status: ModelStatus,
      },
      { description: 'What the model is, what it costs and whether it is enabled.' },
    ),
  },
  { title: 'Model', description: 'An LLM model (a provider/family pair) as available to one workspace.' },
);

export const ModelList = Type.Object(
  {
    items: Type.Array(Model, { description: 'This page of models, in the requested order.' }),
    pagination: Type.Object(
      {
        next_cursor: Type.Optional(described(Type.String(), "Pass as `cursor` for the next page; absent on the last page.")),
      },
      { description: 'Where the next page starts.' },
    ),
  },
  { title: 'ModelList', description: 'A page of a workspace’s models.' },
);

export const Status = Type.Object(
  {
    code: Type.Integer({ description: 'The google.rpc.Code: 3 INVALID_ARGUMENT, 5 NOT_FOUND, 7 PERMISSION_DENIED, 12 UNIMPLEMENTED, 13 INTERNAL, 14 UNAVAILABLE, 16 UNAUTHENTICATED.' }),
    message: described(Type.String(), 'A developer-facing explanation.'),
    details: Type.Array(
      Type.Union([
        Type.Object(
          {
            '@type': Type.Literal('type.googleapis.com/google.rpc.BadRequest', { description: 'The detail type.' }),
            fieldViolations: Type.Array(
              Type.Object({
                field: described(Type.String(), 'The parameter or body field, e.g. "limit", "cursor", "status", "body".'),
                description: described(Type.String(), 'What is wrong with it.'),
              }),
              { description: 'One entry per invalid field.' },
            ),
          },
          { description: 'Which parameters or body fields are invalid, and why.' },
        ),
        Type.Object(
          {
            '@type': Type.Literal('type.googleapis.com/google.rpc.RequestInfo', { description: 'The detail type.' }),
            requestId: described(Type.String(), 'The request id, as in the x-request-id header and the server log.'),
          },
          { description: 'The request id of a masked server error, as logged.' },
        ),
      ]),
      { description: 'Machine-readable details.' },
    ),
  },
  { title: 'Status', description: 'A google.rpc.Status error.' },
);

export const WorkspaceParams = Type.Object({
  workspaceId: described(Type.String(), 'The workspace, e.g. ws_01HX….'),
});

export const ModelParams = Type.Object({
  workspaceId: described(Type.String(), 'The workspace, e.g. ws_01HX….'),
  id: described(Type.String(), 'The model, e.g. model_01HX….'),
});

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Page size, 1 to 100.' })),
    cursor: Type.Optional(described(Type.String(), "The previous page's `pagination.next_cursor`; valid only with the same filters and sortOrder.")),
    status: Type.Optional(
      Type.Union([Type.Literal('MODEL_STATUS_UNSPECIFIED'), Type.Literal('MODEL_STATUS_ENABLED'), Type.Literal('MODEL_STATUS_DISABLED')], {
        description: 'Only models with this status; MODEL_STATUS_UNSPECIFIED means no filter.',
      }),
    ),
    bundleKey: Type.Optional(described(Type.String(), 'Only models managed by this configuration bundle (exact match).')),
    labels: Type.Optional(described(Type.String(), 'key=value pairs separated by commas; every pair must match.')),
    prefix: Type.Optional(described(Type.String(), 'A case-insensitive (ASCII) prefix of the name, the externalId or the id.')),
    query: Type.Optional(described(Type.String(), 'Free text: a case-insensitive (ASCII) substring of the name, provider or family.')),
    sortOrder: Type.Optional(
      Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'By createdAt then id; default asc.' }),
    ),
  },
  // Unknown parameters are ignored, so newer clients keep working.
  { additionalProperties: true },
);

export const StatusBody = Type.Object(
  { status: ModelStatus },
  { description: 'The new status: MODEL_STATUS_ENABLED or MODEL_STATUS_DISABLED.' },
);
