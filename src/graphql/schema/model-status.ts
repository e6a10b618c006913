import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import type { ModelRow, ModelStatus as ModelStatusValue } from '../../db/schema.ts';
import { BULK_IDS_MAX, changeModelStatuses, statusChange } from '../../domain/model-changes.ts';
import type { Problem } from '../../domain/validation.ts';
import { clientMutationIdProblem, UserError, userErrors } from './errors.ts';
import { ModelStatus, modelPayload, modelPayloadFields, type ModelPayload } from './model.ts';
import { Model } from './refs.ts';

/**
 * The mutations that change models' statuses. setModelStatus, enableModel and
 * disableModel answer with one payload type, so their inputs, payload and
 * clientMutationId are declared here rather than generated per mutation by
 * relayMutationField; they read as it would have made them.
 */

const relay = builder.options.relay ?? {};

type StatusPayload = ModelPayload & { clientMutationId: string | null };

const SetModelStatusPayload = builder.objectRef<StatusPayload>('SetModelStatusPayload').implement({
  description: 'What setModelStatus did: the model after the change, or why nothing changed.',
  fields: (t) => ({
    ...modelPayloadFields(t),
    clientMutationId: t.exposeID('clientMutationId', { nullable: true, description: relay.clientMutationIdFieldOptions?.description }),
  }),
});

const modelIdField = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  id: t.id({ required: true, description: 'The model to change (model_…); a malformed, unknown or foreign id is a NOT_FOUND user error.' }),
  clientMutationId: t.id({ description: relay.clientMutationIdInputOptions?.description }),
});

const SetModelStatusInput = builder.inputType('SetModelStatusInput', {
  description: 'Which model gets which status.',
  fields: (t) => ({
    ...modelIdField(t),
    status: t.field({ type: ModelStatus, required: true, description: 'MODEL_STATUS_ENABLED or MODEL_STATUS_DISABLED; MODEL_STATUS_UNSPECIFIED is an INVALID_ARGUMENT user error.' }),
  }),
});

const EnableModelInput = builder.inputType('EnableModelInput', {
  description: 'The model to enable.',
  fields: (t) => modelIdField(t),
});

const DisableModelInput = builder.inputType('DisableModelInput', {
  description: 'The model to disable.',
  fields: (t) => modelIdField(t),
});

/** Sets one model's status through the rules every surface shares, echoing the clientMutationId. */
async function statusPayload(ctx: Context, input: { id: string; clientMutationId?: string | null }, status: ModelStatusValue): Promise<StatusPayload> {
  const payload = await modelPayload(ctx, input, () => statusChange(status));
  return { ...payload, clientMutationId: input.clientMutationId ?? null };
}

const inputDescription = relay.mutationInputArgOptions?.description;

builder.mutationFields((t) => ({
  setModelStatus: t.field({
    type: SetModelStatusPayload,
    description:
      'Enables or disables a model in its workspace (ADMIN keys only). Setting the status it already has succeeds and changes nothing, revision included.',
    args: { input: t.arg({ type: SetModelStatusInput, required: true, description: inputDescription }) },
    resolve: (_root, { input }, ctx) => statusPayload(ctx, input, input.status),
  }),
  enableModel: t.field({
    type: SetModelStatusPayload,
    description:
      'Enables a model in its workspace (ADMIN keys only): setModelStatus with MODEL_STATUS_ENABLED. Enabling an enabled model succeeds and changes nothing.',
    args: { input: t.arg({ type: EnableModelInput, required: true, description: inputDescription }) },
    resolve: (_root, { input }, ctx) => statusPayload(ctx, input, 'MODEL_STATUS_ENABLED'),
  }),
  disableModel: t.field({
    type: SetModelStatusPayload,
    description:
      'Disables a model in its workspace (ADMIN keys only): setModelStatus with MODEL_STATUS_DISABLED. Disabling a disabled model succeeds and changes nothing.',
    args: { input: t.arg({ type: DisableModelInput, required: true, description: inputDescription }) },
    resolve: (_root, { input }, ctx) => statusPayload(ctx, input, 'MODEL_STATUS_DISABLED'),
  }),
}));

type StatusesPayload = { models: ModelRow[] | null; userErrors: Problem[] };

builder.relayMutationField(
  'setModelStatuses',
  {
    description: 'Which models of one workspace get which status.',
    inputFields: (t) => ({
      workspaceId: t.id({ required: true, description: 'The workspace of every model (ws_…); a malformed, unknown or foreign id is a NOT_FOUND user error.' }),
      ids: t.idList({
        required: true,
        description: `The models to change (model_…), 1 to ${BULK_IDS_MAX.toLocaleString('en-US')} of them (else INVALID_ARGUMENT). Each id that is malformed, unknown, foreign or of another workspace is a NOT_FOUND user error naming its index (["input", "ids", "<i>"]). An id given twice changes its model once and returns it at both indexes.`,
      }),
      status: t.field({ type: ModelStatus, required: true, description: 'MODEL_STATUS_ENABLED or MODEL_STATUS_DISABLED; MODEL_STATUS_UNSPECIFIED is an INVALID_ARGUMENT user error.' }),
    }),
  },
  {
    description:
      'Enables or disables many models of a workspace at once (ADMIN keys only), all or nothing: when any id is bad, nothing changes. Models that already have the status are returned unchanged and record no history.',
    resolve: async (_root, { input }, ctx): Promise<StatusesPayload> => {
      const changed = await changeModelStatuses(ctx, input.workspaceId, input.ids, () => {
        const badClientMutationId = clientMutationIdProblem(input);
        return badClientMutationId ? { ok: false, problem: badClientMutationId } : statusChange(input.status);
      });
      return changed.ok ? { models: changed.value, userErrors: [] } : { models: null, userErrors: changed.problems.flatMap(userErrors) };
    },
  },
  {
    description: 'What setModelStatuses did: the models after the change, or why nothing changed.',
    outputFields: (t) => ({
      models: t.field({
        type: [Model],
        nullable: true,
        description: 'The models after the change, in the order of input.ids (unchanged ones as they were); null when userErrors is not empty.',
        resolve: (payload) => payload.models,
      }),
      userErrors: t.field({
        type: [UserError],
        description: 'Why nothing changed: empty on success; otherwise one entry, or one NOT_FOUND per bad id.',
        resolve: (payload) => payload.userErrors,
      }),
    }),
  },
);
