import { and, eq, sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { viewerOf } from '../context.ts';
import { isIdOf } from '../db/ids.ts';
import type { Database } from '../db/client.ts';
import { models, type Labels, type ModelRow, type ModelStatus as ModelStatusValue } from '../db/schema.ts';
import { preparedOnce } from '../db/sql.ts';
import { badUserInput } from '../pagination.ts';
import { checkText, fail, foldAscii, normalizeLabels, ok, type Problem, type Result } from '../validation.ts';
import type { ModelFilter as ModelFilterValue } from '../models.ts';
import { clientMutationIdProblem, forbidden, notFound, UserError, userErrors } from './errors.ts';
import { Label, LabelInput, labelList } from './label.ts';
import { Model, Workspace } from './refs.ts';

export const ModelStatus = builder.enumType('ModelStatus', {
  description: 'Whether a workspace may use a model.',
  values: {
    MODEL_STATUS_UNSPECIFIED: { description: 'No status: never set by this API, and refused as an input.' },
    MODEL_STATUS_ENABLED: { description: 'The workspace may use the model.' },
    MODEL_STATUS_DISABLED: { description: 'The workspace may not use the model.' },
  } satisfies Record<ModelStatusValue, unknown>,
});

const ResourceMetadata = builder.objectRef<ModelRow>('ResourceMetadata').implement({
  description: 'Standard metadata of a persistent, named resource.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The prefixed ULID of the resource, e.g. model_01HX…; also its global id.' }),
    accountId: t.exposeString('accountId', { description: 'The owning account (tenant), a prefixed ULID.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the resource was created (millisecond precision).' }),
    name: t.exposeString('name', { description: 'A human-readable name, e.g. "Claude Sonnet 4.6".' }),
    profileId: t.exposeString('profileId', { description: 'The actor (user or service account) that created the resource.' }),
    workspaceId: t.exposeString('workspaceId', { description: 'The owning workspace, a prefixed ULID.' }),
    bundleKey: t.exposeString('bundleKey', { nullable: true, description: 'Set when a configuration bundle manages the resource.' }),
    externalId: t.exposeString('externalId', {
      nullable: true,
      description: 'The id in an external system; for catalog models, "provider/family".',
    }),
    labels: t.field({ type: [Label], description: 'Labels, sorted by key.', resolve: (row) => labelList(row.labels) }),
    revision: t.exposeInt('revision', {
      description:
        'Starts at 1 and increases by one with every change to the resource (a write that changes nothing leaves it): order observations and detect concurrent changes with it.',
    }),
  }),
});

const ModelSpec = builder.objectRef<ModelRow>('ModelSpec').implement({
  description: 'What a model is, what it costs and whether it is enabled.',
  fields: (t) => ({
    provider: t.exposeString('provider', { description: 'The provider, e.g. "anthropic", "openai", "google".' }),
    family: t.exposeString('family', { description: 'The model family, e.g. "claude-sonnet-4.6".' }),
    status: t.expose('status', { type: ModelStatus, description: 'Whether the workspace may use the model.' }),
    inputPricePerMillionTokens: t.exposeString('inputPricePerMillionTokens', {
      nullable: true,
      description: 'Cents per million input tokens, as an exact decimal string: "300" is $3.00, "7.5" is $0.075.',
    }),
    outputPricePerMillionTokens: t.exposeString('outputPricePerMillionTokens', {
      nullable: true,
      description: 'Cents per million output tokens, as an exact decimal string.',
    }),
    maxInputTokens: t.exposeInt('maxInputTokens', { nullable: true, description: 'The largest input (context) in tokens.' }),
    maxOutputTokens: t.exposeInt('maxOutputTokens', { nullable: true, description: 'The largest output in tokens.' }),
  }),
});

builder.objectType(Model, {
  description: 'An LLM model (a provider/family pair) as available to one workspace.',
  interfaces: [builder.nodeInterfaceRef()],
  isTypeOf: (value) => isIdOf('Model', (value as { id?: unknown }).id as string),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The prefixed ULID of the model, e.g. model_01HX….' }),
    metadata: t.field({ type: ResourceMetadata, description: 'Identity, ownership, name and labels.', resolve: (row) => row }),
    spec: t.field({ type: ModelSpec, description: 'Provider, family, prices, limits and status.', resolve: (row) => row }),
    workspace: t.field({
      type: Workspace,
      description: 'The workspace the model belongs to.',
      resolve: async (row, _args, ctx) => {
        const workspace = await ctx.loaders.workspaces.load(row.workspaceId);
        if (!workspace) throw new Error(`Model ${row.id} has no workspace ${row.workspaceId}`);
        return workspace;
      },
    }),
  }),
});

export const ModelFilter = builder.inputType('ModelFilter', {
  description: 'Conditions on models; every given condition must hold.',
  fields: (t) => ({
    status: t.field({ type: ModelStatus, description: 'Only models with this status.' }),
    provider: t.string({ description: 'Only models of this provider (exact match).' }),
    family: t.string({ description: 'Only models of this family (exact match).' }),
    bundleKey: t.string({ description: 'Only models managed by this configuration bundle.' }),
    labels: t.field({ type: [LabelInput], description: 'Only models carrying every one of these labels.' }),
    search: t.string({
      description: 'A case-insensitive (ASCII) substring of the name, provider or family; "%" and "_" match literally.',
    }),
  }),
});

const ModelOrderField = builder.enumType('ModelOrderField', {
  description: 'The key models are sorted by; ties are broken by id.',
  values: {
    CREATED_AT: { description: 'Creation time.' },
    NAME: { description: 'Name, with ASCII letters folded to lower case, otherwise by code point.' },
    PROVIDER: { description: 'Provider, then family, by code point.' },
  } as const,
});

export const OrderDirection = builder.enumType('OrderDirection', {
  description: 'Sort direction; DESC reverses the whole key, id included.',
  values: { ASC: { description: 'Ascending.' }, DESC: { description: 'Descending.' } } as const,
});

export const ModelOrder = builder.inputType('ModelOrder', {
  description: 'How to sort models.',
  fields: (t) => ({
    field: t.field({ type: ModelOrderField, required: true, description: 'The sort key.' }),
    direction: t.field({ type: OrderDirection, required: true, description: 'The direction.' }),
  }),
});

export const SEARCH_MAX = 200;
const FILTER_TEXT_MAX = 255;

/** Validates a ModelFilter argument; a bad value is a BAD_USER_INPUT error naming it. */
export function parseModelFilter(input: typeof ModelFilter.$inferInput | null | undefined): ModelFilterValue {
  if (!input) return {};
  const filter: ModelFilterValue = {};
  const fail = (problem: Problem) => badUserInput(`Invalid filter: ${problem.message}`);
  if (input.status != null) filter.status = input.status;
  for (const name of ['provider', 'family', 'bundleKey'] as const) {
    const value = input[name];
    if (value == null) continue;
    const text = checkText(value, ['filter', name]);
    if (!text.ok) throw fail(text.problem);
    if (value.length > FILTER_TEXT_MAX) throw badUserInput(`Invalid filter: filter.${name} must be at most ${FILTER_TEXT_MAX} characters.`);
    filter[name] = value;
  }
  if (input.labels != null) {
    const labels = normalizeLabels(input.labels, ['filter', 'labels']);
    if (!labels.ok) throw fail(labels.problem);
    filter.labels = labels.value;
  }
  if (input.search != null) {
    const text = checkText(input.search, ['filter', 'search']);
    if (!text.ok) throw fail(text.problem);
    if (input.search.length > SEARCH_MAX) throw badUserInput(`Invalid filter: filter.search must be at most ${SEARCH_MAX} characters.`);
    filter.search = foldAscii(input.search);
  }
  return filter;
}

builder.queryField('model', (t) =>
  t.field({
    type: Model,
    nullable: true,
    description: 'A model by id; null when the id is malformed, unknown, of another type or owned by another account.',
    args: { id: t.arg.id({ required: true, description: 'A model id, e.g. model_01HX….' }) },
    resolve: (_root, { id }, ctx) => ctx.loaders.models.load(id),
  }),
);

type ModelPayload = { model: ModelRow | null; userErrors: Problem[] };

const modelPayloadFields = (t: PayloadFieldBuilder) => ({
  model: t.field({
    type: Model,
    nullable: true,
    description: 'The model after the change; null when userErrors is not empty.',
    resolve: (payload: ModelPayload) => payload.model,
  }),
  userErrors: t.field({
    type: [UserError],
    description: 'Why nothing changed; empty on success.',
    resolve: (payload: ModelPayload) => payload.userErrors,
  }),
});
type PayloadFieldBuilder = Parameters<Parameters<typeof builder.objectFields>[1]>[0];

/** The change a model mutation makes: one column, given as the value SQL compares and stores. */
type ModelChange = { column: 'status'; value: ModelStatusValue } | { column: 'labels'; value: Labels };

/**
 * One prepared UPDATE … RETURNING per changed column. The revision moves only
 * when the value really changes, so repeating a write is a no-op.
 */
const updateOf = (column: 'status' | 'labels', type: 'text' | 'jsonb') =>
  preparedOnce((db: Database) => {
    const value = sql`${sql.placeholder('value')}::${sql.raw(type)}`;
    return db
      .update(models)
      .set({ [column]: value, revision: sql`${models.revision} + (${models[column]} is distinct from ${value})::int` })
      .where(and(eq(models.id, sql.placeholder('id')), eq(models.accountId, sql.placeholder('accountId'))))
      .returning()
      .prepare(`set_model_${column}`);
  });

const updateStatements = { status: updateOf('status', 'text'), labels: updateOf('labels', 'jsonb') };

/** Updates one of the viewer's models, after the checks every model mutation shares. */
async function updateModel(
  ctx: Context,
  input: { id: string; clientMutationId?: string | null },
  change: () => Result<ModelChange>,
): Promise<ModelPayload> {
  const { id } = input;
  const viewer = viewerOf(ctx);
  const failed = (problem: Problem) => ({ model: null, userErrors: userErrors(problem) });
  if (viewer.role !== 'ADMIN') return failed(forbidden);
  const badClientMutationId = clientMutationIdProblem(input);
  if (badClientMutationId) return failed(badClientMutationId);
  const validated = change();
  if (!validated.ok) return failed(validated.problem);
  if (!isIdOf('Model', id)) return failed(notFound(['id'], 'model'));
  const { column, value } = validated.value;
  const [row] = await updateStatements[column](ctx.db).execute({
    id,
    accountId: viewer.accountId,
    value: column === 'labels' ? JSON.stringify(value) : value,
  });
  if (!row) return failed(notFound(['id'], 'model'));
  ctx.loaders.models.clear(row.id).prime(row.id, row);
  return { model: row, userErrors: [] };
}

builder.relayMutationField(
  'setModelStatus',
  {
    description: 'Input of setModelStatus.',
    inputFields: (t) => ({
      id: t.id({ required: true, description: 'The model to change.' }),
      status: t.field({ type: ModelStatus, required: true, description: 'The new status: ENABLED or DISABLED.' }),
    }),
  },
  {
    description: 'Enables or disables a model in its workspace. Setting the status it already has succeeds and changes nothing.',
    resolve: (_root, { input }, ctx) =>
      updateModel(ctx, input, () =>
        input.status === 'MODEL_STATUS_UNSPECIFIED'
          ? fail('INVALID_ARGUMENT', ['status'], 'status must be MODEL_STATUS_ENABLED or MODEL_STATUS_DISABLED')
          : ok({ column: 'status', value: input.status }),
      ),
  },
  { description: 'The result of setModelStatus.', outputFields: modelPayloadFields },
);

builder.relayMutationField(
  'setModelLabels',
  {
    description: 'Input of setModelLabels.',
    inputFields: (t) => ({
      id: t.id({ required: true, description: 'The model to change.' }),
      labels: t.field({ type: [LabelInput], required: true, description: 'The complete new set of labels (replaces all).' }),
    }),
  },
  {
    description: "Replaces all of a model's labels: at most 64 pairs with distinct keys.",
    resolve: (_root, { input }, ctx) =>
      updateModel(ctx, input, () => {
        const labels = normalizeLabels(input.labels, ['labels']);
        return labels.ok ? ok({ column: 'labels', value: labels.value }) : labels;
      }),
  },
  { description: 'The result of setModelLabels.', outputFields: modelPayloadFields },
);
