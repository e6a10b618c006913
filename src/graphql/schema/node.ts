import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { idKind } from '../../db/ids.ts';
import type { ModelRow, WorkspaceRow } from '../../db/schema.ts';
import { badUserInput } from '../../domain/pagination.ts';

export const MAX_NODE_IDS = 100;

/** Any object by its global id, through the per-request loaders; null for anything not found. */
function loadNode(ctx: Context, id: string): Promise<ModelRow | WorkspaceRow | null> | null {
  switch (idKind(id)) {
    case 'Model':
      return ctx.loaders.models.load(id);
    case 'Workspace':
      return ctx.loaders.workspaces.load(id);
    default:
      return null;
  }
}

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'A Workspace or Model by its id; null when the id is malformed, unknown, of a type that is not a Node, or owned by another account.',
    args: { id: t.arg.id({ required: true, description: 'A global id: the prefix names the type (ws_… or model_…).' }) },
    resolve: (_root, { id }, ctx) => loadNode(ctx, id),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: `Workspaces and models by id, in the order of \`ids\`, with null where \`node\` would answer null; loaded in one batch per type. More than ${MAX_NODE_IDS} ids is a BAD_USER_INPUT error.`,
    args: { ids: t.arg.idList({ required: true, description: `0 to ${MAX_NODE_IDS} global ids; repeats are allowed and answered in place.` }) },
    resolve: (_root, { ids }, ctx) => {
      if (ids.length > MAX_NODE_IDS) throw badUserInput(`\`ids\` may hold at most ${MAX_NODE_IDS} ids (got ${ids.length}).`);
      return ids.map((id) => loadNode(ctx, id));
    },
  }),
}));
