import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { isIdOf } from '../../db/ids.ts';
import type { ModelRow, ModelStatus as ModelStatusValue } from '../../db/schema.ts';
import { changeModel, labelsChange, statusChange, type ModelChange } from '../../domain/model-changes.ts';
import { parseModelFilter as parseFilter, type ModelFilter as ModelFilterValue } from '../../domain/models.ts';
import { badUserInput } from '../../domain/pagination.ts';
import type { Problem, Result } from '../../domain/validation.ts';
import { clientMutationIdProblem, UserError, userErrors } from './errors.ts';
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

/** Validates a ModelFilter argument; a bad value is a BAD_USER_INPUT error naming it. */
export function parseModelFilter(input: typeof ModelFilter.$inferInput | null | undefined): ModelFilterValue {
  const filter = parseFilter(input ?? {}, (name) => ['filter', name]);
  if (!filter.ok) throw badUserInput(`Invalid filter: ${filter.problem.message}`);
  return filter.value;
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

/** A model mutation's payload, after the clientMutationId check every mutation shares. */
async function modelPayload(
  ctx: Context,
  input: { id: string; clientMutationId?: string | null },
  change: () => Result<ModelChange>,
): Promise<ModelPayload> {
  const changed = await changeModel(ctx, input.id, () => {
    const badClientMutationId = clientMutationIdProblem(input);
    return badClientMutationId ? { ok: false, problem: badClientMutationId } : change();
  });
  return changed.ok ? { model: changed.value, userErrors: [] } : { model: null, userErrors: userErrors(changed.problem) };
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
      modelPayload(ctx, input, () => statusChange(input.status)),
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
      modelPayload(ctx, input, () => labelsChange(input.labels)),
  },
  { description: 'The result of setModelLabels.', outputFields: modelPayloadFields },
);
