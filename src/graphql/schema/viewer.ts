import type { Viewer as ViewerValue } from '../../domain/auth.ts';
import { builder } from '../builder.ts';
import { viewerOf } from '../context.ts';

const Role = builder.enumType('Role', {
  description: 'What an API key may do.',
  values: {
    ADMIN: { description: 'Read and mutate.' },
    READER: { description: 'Read only.' },
  } as const,
});

const Viewer = builder.objectRef<ViewerValue>('Viewer').implement({
  description: 'The caller, as identified by its API key.',
  fields: (t) => ({
    profileId: t.exposeString('profileId', { description: 'The profile (user or service account) of the API key.' }),
    accountId: t.exposeString('accountId', { description: 'The account (tenant) everything the caller sees belongs to.' }),
    role: t.expose('role', { type: Role, description: 'What the key may do.' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({ type: Viewer, description: 'Who is calling.', resolve: (_root, _args, ctx) => viewerOf(ctx) }),
);
