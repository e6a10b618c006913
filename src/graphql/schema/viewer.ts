import type { Viewer as ViewerValue } from '../../domain/auth.ts';
import { builder } from '../builder.ts';
import { viewerOf } from '../context.ts';

const Role = builder.enumType('Role', {
  description: 'What the caller (an API key, or a user signed in with OpenID Connect) may do.',
  values: {
    ADMIN: { description: 'Read everything of the account, and run every mutation.' },
    READER: { description: 'Read everything of the account; every mutation answers a FORBIDDEN user error.' },
  } as const,
});

const Viewer = builder.objectRef<ViewerValue>('Viewer').implement({
  description: 'The caller, as identified by its API key or OpenID Connect access token.',
  fields: (t) => ({
    profileId: t.exposeString('profileId', {
      description:
        "The profile (prof_…) the caller acts for: for an API key, the account owner's (the key made with the account) or the key's own service account; for a signed-in user, the user's own (one per issuer and subject). What the caller creates or changes carries it as profileId.",
    }),
    accountId: t.exposeString('accountId', { description: 'The account (acct_…) everything the caller sees and changes belongs to.' }),
    role: t.expose('role', { type: Role, description: 'What the caller may do: ADMIN reads and writes, READER only reads.' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({ type: Viewer, description: 'Who is calling: account, profile and role.', resolve: (_root, _args, ctx) => viewerOf(ctx) }),
);
