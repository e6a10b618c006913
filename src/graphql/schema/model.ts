import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { isIdOf } from '../../db/ids.ts';
import type { ModelRow, ModelStatus as ModelStatusValue } from '../../db/schema.ts';
import { changeModel, labelsChange, type ModelChange } from '../../domain/model-changes.ts';
import { parseModelFilter as parseFilter, type ModelFilter as ModelFilterValue } from '../../domain/models.ts';
import { badUserInput } from '../../domain/pagination.ts';
import type { Problem, Result } from '../../domain/validation.ts';
import { clientMutationIdProblem, UserError, userErrors } from './errors.ts';
import { Label, LabelInput, labelList } from './label.ts';
import { Model, Workspace } from './refs.ts';

export const ModelStatus = builder.enumType('ModelStatus', {
  description: 'Whether a workspace may use a model. Every model of a new workspace starts ENABLED.',
  values: {
    MODEL_STATUS_UNSPECIFIED: {
      description: 'No status: kept for compatibility with the REST resource. Never returned; as a mutation input it is INVALID_ARGUMENT.',
    },
    MODEL_STATUS_ENABLED: { description: 'The workspace may use the model (the default).' },
    MODEL_STATUS_DISABLED: { description: 'The workspace may not use the model: an admin turned it off.' },
  } satisfies Record<ModelStatusValue, unknown>,
});

const ResourceMetadata = builder.objectRef<ModelRow>('ResourceMetadata').implement({
  description: 'Identity, ownership, name and labels of a persistent, named resource, with the same fields as the REST resource.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The prefixed ULID of the resource, e.g. model_01HX…; the same as the global id of the object it describes.' }),
    accountId: t.exposeString('accountId', { description: 'The owning account (tenant), a prefixed ULID (acct_…).' }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When the resource was created, at millisecond precision; the CREATED_AT order sorts by exactly this value.',
    }),
    name: t.exposeString('name', { description: 'A human-readable name to show, e.g. "Claude Sonnet 4.6"; the catalog may update it.' }),
    profileId: t.exposeString('profileId', { description: 'The profile (prof_…) of the actor that created the resource (a user or an API key\'s service account); catalog models carry the creator of their workspace.' }),
    workspaceId: t.exposeString('workspaceId', { description: 'The owning workspace, a prefixed ULID (ws_…).' }),
    bundleKey: t.exposeString('bundleKey', { nullable: true, description: 'The key of the configuration bundle that manages the resource; null when none does.' }),
    externalId: t.exposeString('externalId', {
      nullable: true,
      description: 'The id of the resource in an external system; for catalog models "provider/family", e.g. "anthropic/claude-sonnet-4.6". Null when unset.',
    }),
    labels: t.field({
      type: [Label],
      description: 'The labels, sorted by key; empty when none. setModelLabels replaces them.',
      resolve: (row) => labelList(row.labels),
    }),
    revision: t.exposeInt('revision', {
      description:
        'Starts at 1 and increases by one with every change to the resource (a write that changes nothing leaves it): order observations and detect concurrent changes with it.',
    }),
  }),
});

const ModelSpec = builder.objectRef<ModelRow>('ModelSpec').implement({
  description: 'What a model is (provider and family), what it costs, how much it takes and gives, and whether the workspace may use it.',
  fields: (t) => ({
    provider: t.exposeString('provider', { description: 'The provider, lower case, e.g. "anthropic", "openai", "google".' }),
    family: t.exposeString('family', { description: 'The model family within the provider, e.g. "claude-sonnet-4.6". A workspace has at most one model per provider/family pair.' }),
    status: t.expose('status', {
      type: ModelStatus,
      description: 'Whether the workspace may use the model: MODEL_STATUS_ENABLED or MODEL_STATUS_DISABLED (never UNSPECIFIED).',
    }),
    inputPricePerMillionTokens: t.exposeString('inputPricePerMillionTokens', {
      nullable: true,
      description:
        'Price of input tokens in US cents per million tokens, as an exact decimal string (never a float): "300" is $3.00, "7.5" is $0.075. Null when unknown.',
    }),
    outputPricePerMillionTokens: t.exposeString('outputPricePerMillionTokens', {
      nullable: true,
      description: 'Price of output tokens in US cents per million tokens, as an exact decimal string: "1500" is $15.00. Null when unknown.',
    }),
    maxInputTokens: t.exposeInt('maxInputTokens', { nullable: true, description: 'The largest input (context window) the model takes, in tokens; null when unknown.' }),
    maxOutputTokens: t.exposeInt('maxOutputTokens', { nullable: true, description: 'The most tokens the model writes in one response; null when unknown.' }),
  }),
});

builder.objectType(Model, {
  description:
    'An LLM model (a provider/family pair from the catalog) as available to one workspace: the same pair in two workspaces is two models with their own ids, statuses and labels.',
  interfaces: [builder.nodeInterfaceRef()],
  isTypeOf: (value) => isIdOf('Model', (value as { id?: unknown }).id as string),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The prefixed ULID of the model, e.g. model_01HX…; also its global id for `node`.' }),
    metadata: t.field({ type: ResourceMetadata, description: 'Identity, ownership, name, labels and revision.', resolve: (row) => row }),
    spec: t.field({ type: ModelSpec, description: 'Provider, family, prices, token limits and status.', resolve: (row) => row }),
    workspace: t.field({
      type: Workspace,
      description: 'The workspace the model belongs to (never null).',
      resolve: async (row, _args, ctx) => {
        const workspace = await ctx.loaders.workspaces.load(row.workspaceId);
        if (!workspace) throw new Error(`Model ${row.id} has no workspace ${row.workspaceId}`);
        return workspace;
      },
    }),
  }),
});

export const ModelFilter = builder.inputType('ModelFilter', {
  description: 'Conditions on models: every given condition must hold; an omitted or null one matches everything. A value breaking a rule is a BAD_USER_INPUT error.',
  fields: (t) => ({
    status: t.field({ type: ModelStatus, description: 'Only models with this status; MODEL_STATUS_UNSPECIFIED matches none.' }),
    provider: t.string({ description: 'Only models of this provider: exact, case-sensitive match; at most 255 characters.' }),
    family: t.string({ description: 'Only models of this family: exact, case-sensitive match; at most 255 characters.' }),
    bundleKey: t.string({ description: 'Only models managed by the configuration bundle of this key: exact match; at most 255 characters.' }),
    labels: t.field({ type: [LabelInput], description: 'Only models carrying every one of these key/value pairs (they may carry others); at most 64 pairs with distinct keys.' }),
    search: t.string({
      description:
        'Only models whose name, provider or family contains this text, ignoring ASCII case; "%" and "_" match literally. At most 200 characters.',
    }),
  }),
});

const ModelOrderField = builder.enumType('ModelOrderField', {
  description: 'The key models are sorted by. Ties are broken by id, so the order is total and pages never repeat or skip a model.',
  values: {
    CREATED_AT: { description: 'Creation time (ResourceMetadata.createdAt), to the millisecond: the default.' },
    NAME: { description: 'Name, with ASCII letters folded to lower case, then compared by code point (not locale-aware).' },
    PROVIDER: { description: 'Provider, then family, each compared by code point.' },
  } as const,
});

export const OrderDirection = builder.enumType('OrderDirection', {
  description: 'Sort direction. DESC reverses the whole key, the id that breaks ties included.',
  values: {
    ASC: { description: 'Smallest key first: oldest first for CREATED_AT, A to Z for NAME.' },
    DESC: { description: 'Largest key first: newest first for CREATED_AT, Z to A for NAME.' },
  } as const,
});

export const ModelOrder = builder.inputType('ModelOrder', {
  description: 'How to sort models; a cursor is valid only under the orderBy that produced it.',
  fields: (t) => ({
    field: t.field({ type: ModelOrderField, required: true, description: 'What to sort by; ties are broken by id.' }),
    direction: t.field({ type: OrderDirection, required: true, description: 'ASC or DESC.' }),
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
    args: { id: t.arg.id({ required: true, description: 'A model id, e.g. model_01HX…. Any string is accepted: one that names no model of yours answers null.' }) },
    resolve: (_root, { id }, ctx) => ctx.loaders.models.load(id),
  }),
);

export type ModelPayload = { model: ModelRow | null; userErrors: Problem[] };

export const modelPayloadFields = (t: PayloadFieldBuilder) => ({
  model: t.field({
    type: Model,
    nullable: true,
    description: 'The model after the change (or unchanged, when it already had that value); null when userErrors is not empty.',
    resolve: (payload: ModelPayload) => payload.model,
  }),
  userErrors: t.field({
    type: [UserError],
    description: 'Why nothing changed: empty on success, otherwise exactly one entry.',
    resolve: (payload: ModelPayload) => payload.userErrors,
  }),
});
type PayloadFieldBuilder = Parameters<Parameters<typeof builder.objectFields>[1]>[0];

/** A model mutation's payload, after the clientMutationId check every mutation shares. */
export async function modelPayload(
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
  'setModelLabels',
  {
    description: "A model and the complete new set of its labels.",
    inputFields: (t) => ({
      id: t.id({ required: true, description: 'The model to change (model_…); a malformed, unknown or foreign id is a NOT_FOUND user error.' }),
      labels: t.field({ type: [LabelInput], required: true, description:
          'Every label the model will have, replacing all it had: at most 64 pairs with distinct keys, in any order; [] removes them all. A bad pair is an INVALID_ARGUMENT user error naming it.' }),
    }),
  },
  {
    description: "Replaces all of a model's labels (ADMIN keys only). Labels come back sorted by key.",
    resolve: (_root, { input }, ctx) =>
      modelPayload(ctx, input, () => labelsChange(input.labels)),
  },
  { description: 'What setModelLabels did: the model after the change, or why nothing changed.', outputFields: modelPayloadFields },
);
