import { parseArgs } from 'node:util';
import { startIdentityProvider } from './provider.ts';

/**
 * `npm run dev:issuer -- --account acct_… [--role admin|reader] [--sub <user>] [--port 4010]`
 *
 * Starts the development identity provider (provider.ts), prints the settings
 * that make the server accept its tokens and a fresh access token for the
 * account and role, then serves until stopped (Ctrl-C). GET /token mints more.
 */
const USAGE = 'Usage: npm run dev:issuer -- [--account acct_…] [--role admin|reader] [--sub <user id>] [--port 4010] [--audience workspace-models-api]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      account: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      sub: { type: 'string', default: 'dev-user' },
      port: { type: 'string', default: '4010' },
      audience: { type: 'string', default: 'workspace-models-api' },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message);
}
const { account, role, sub, audience } = values;
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer from 0 to 65535, got "${values.port}"`);
if (role !== 'admin' && role !== 'reader') fail(`--role must be admin or reader, got "${role}"`);
if (account !== undefined && !/^acct_[0-9A-HJKMNP-TV-Z]{26}$/.test(account)) fail(`--account must be an account id (acct_…), got "${account}"`);

const provider = await startIdentityProvider({ port, audience }).catch((error: NodeJS.ErrnoException) =>
  fail(error.code === 'EADDRINUSE' ? `Port ${port} is in use: pass --port` : error.message),
);
const lines = [
  `Development identity provider at ${provider.issuer} (discovery: /.well-known/openid-configuration, keys: /jwks)`,
  '',
  'Start the API server with:',
  `  export OIDC_ISSUER=${provider.issuer}`,
  `  export OIDC_AUDIENCE=${provider.audience}`,
  '',
];
if (account) {
  const token = await provider.token({ sub, account_id: account, role });
  lines.push(`Access token for ${sub} in ${account}, role ${role}, valid for 1 hour:`, `  ${token}`, '');
}
lines.push(
  `${account ? 'More tokens' : 'Access tokens'} (a stand-in for signing in):`,
  `  curl -s '${provider.issuer}/token?account=${account ?? 'acct_…'}&role=reader&sub=another-user'`,
  '',
  'Serving until stopped (Ctrl-C).',
);
console.log(lines.join('\n'));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void provider.close().then(() => process.exit(0)));
}
