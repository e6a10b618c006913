/**
 * A frontend's view of the API, typed by codegen from schema.graphql alone:
 * pages through every model of a workspace, reads one by id, disables it,
 * and prints a JSON summary. Settings come from the environment (README.md).
 */
import { getFragmentData } from './gql/fragment-masking.ts';
import { ModelByIdDocument, ModelFieldsFragmentDoc, SetModelStatusDocument, WorkspaceModelsDocument, type ModelStatus, type WorkspaceModelsQuery } from './gql/graphql.ts';
import { request, type Endpoint, type SendAs } from './request.ts';

interface Settings extends Endpoint {
  workspaceId: string;
  /** The model to disable; the workspace's first when not given. */
  modelId: string | null;
  pageSize: number;
}

/** Reads the settings, reporting every problem at once. */
function readSettings(env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = [];
  const url = env.GRAPHQL_URL || 'http://localhost:4000/graphql';
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) problems.push(`GRAPHQL_URL must be an http(s) URL, not ${JSON.stringify(url)}`);
  const apiKey = env.API_KEY ?? '';
  if (!apiKey) problems.push('API_KEY is required: an API key, e.g. the admin key `npm start` prints on an empty database');
  const workspaceId = env.WORKSPACE_ID ?? '';
  if (!workspaceId) problems.push('WORKSPACE_ID is required: the workspace whose models to page through (ws_…)');
  const pageSize = Number(env.PAGE_SIZE || '50');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) problems.push(`PAGE_SIZE must be an integer from 1 to 100, not ${JSON.stringify(env.PAGE_SIZE)}`);
  const sendAs = env.SEND_AS || 'text';
  if (sendAs !== 'text' && sendAs !== 'id') problems.push(`SEND_AS must be "text" or "id", not ${JSON.stringify(sendAs)}`);
  if (problems.length > 0) throw new Error(`Invalid settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  return { url, apiKey, sendAs: sendAs as SendAs, workspaceId, modelId: env.MODEL_ID || null, pageSize };
}

async function main(settings: Settings) {
  const modelIds: string[] = [];
  let workspace: { id: string; name: string } | null = null;
  let totalCount = 0;
  let pages = 0;
  let after: string | null = null;
  for (;;) {
    const data: WorkspaceModelsQuery = await request(settings, WorkspaceModelsDocument, { workspaceId: settings.workspaceId, first: settings.pageSize, after });
    if (!data.workspace) throw new Error(`Workspace ${settings.workspaceId} not found: unknown, malformed, or another account's.`);
    const { models } = data.workspace;
    workspace = { id: data.workspace.id, name: data.workspace.name };
    totalCount = models.totalCount;
    pages += 1;
    for (const model of getFragmentData(ModelFieldsFragmentDoc, models.edges.map((edge) => edge.node))) modelIds.push(model.id);
    const { hasNextPage, endCursor } = models.pageInfo;
    if (!hasNextPage) break;
    if (!endCursor) throw new Error('The server announced a next page without a cursor to it.');
    after = endCursor;
  }

  const modelId = settings.modelId ?? modelIds[0];
  if (!modelId) throw new Error(`Workspace ${settings.workspaceId} has no models to disable.`);
  const found = getFragmentData(ModelFieldsFragmentDoc, (await request(settings, ModelByIdDocument, { id: modelId })).model);
  if (!found) throw new Error(`Model ${modelId} not found: unknown, malformed, or another account's.`);

  const status: ModelStatus = 'MODEL_STATUS_DISABLED';
  const { setModelStatus } = await request(settings, SetModelStatusDocument, { input: { id: found.id, status, clientMutationId: 'example-client' } });
  if (setModelStatus.userErrors.length > 0) {
    const reasons = setModelStatus.userErrors.map(({ code, field, message }) => `${code}${field ? ` at ${field.join('.')}` : ''}: ${message}`);
    throw new Error(`Could not disable ${found.id}: ${reasons.join('; ')}`);
  }
  const changed = getFragmentData(ModelFieldsFragmentDoc, setModelStatus.model);
  if (!changed) throw new Error(`Could not disable ${found.id}: the payload has neither a model nor userErrors.`);

  return {
    workspace,
    sentAs: settings.sendAs,
    pageSize: settings.pageSize,
    pages,
    count: modelIds.length,
    totalCount,
    modelIds,
    model: {
      id: changed.id,
      name: changed.metadata.name,
      provider: changed.spec.provider,
      family: changed.spec.family,
      statusBefore: found.spec.status,
      status: changed.spec.status,
    },
  };
}

try {
  console.log(JSON.stringify(await main(readSettings(process.env)), null, 2));
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
