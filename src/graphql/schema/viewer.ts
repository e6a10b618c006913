import type { Viewer as ViewerValue } from '../../domain/auth.ts';
import { builder } from '../builder.ts';
import { viewerOf } from '../context.ts';

const Role = builder.enumType('Role', {
  description: 'What the caller may do.',
  values: {
    ADMIN: { description: 'Read everything of the account, and run every mutation.' },
    READER: { description: 'Read everything of the account; every mutation answers a FORBIDDEN user error.' },
  } as const,
});

const Viewer = builder.objectRef<ViewerValue>('Viewer').implement({
  description: 'The caller, as identified by the API key in the Authorization header.',
  fields: (t) => ({
    profileId: t.exposeString('profileId', {
      description:
        "The profile (prof_…) the API key acts for: the account owner's for the key made with the account, the key's own service account for any other. What the caller creates carries it as profileId.",
    }),
    accountId: t.exposeString('accountId', { description: 'The account (acct_…) everything the caller sees and changes belongs to.' }),
    role: t.expose('role', { type: Role, description: 'What the caller may do: ADMIN reads and writes, READER only reads.' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({ type: Viewer, description: 'Who is calling: account, profile and role.', resolve: (_root, _args, ctx) => viewerOf(ctx) }),
);
