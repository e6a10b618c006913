import type { Viewer as ViewerValue } from '../../domain/auth.ts';
import { builder } from '../builder.ts';
import { viewerOf } from '../context.ts';

const Role = builder.enumType('Role', {
  description: 'What the caller (an API key, or a user signed in with OpenID Connect) may do.',
  values: {
    ADMIN: { description: 'Read and mutate.' },
    READER: { description: 'Read only.' },
  } as const,
});

const Viewer = builder.objectRef<ViewerValue>('Viewer').implement({
  description: 'The caller, as identified by its API key or OpenID Connect access token.',
  fields: (t) => ({
    profileId: t.exposeString('profileId', { description: "The caller's profile: the API key's (a user or service account), or the signed-in user's (one per issuer and subject), the actor of its changes." }),
    accountId: t.exposeString('accountId', { description: 'The account (tenant) everything the caller sees belongs to.' }),
    role: t.expose('role', { type: Role, description: 'What the caller may do.' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({ type: Viewer, description: 'Who is calling.', resolve: (_root, _args, ctx) => viewerOf(ctx) }),
);
