/**
 * Sends the same operations, with the same variables, to our server and to
 * the baseline and checks that the answers are byte-for-byte identical: every
 * scenario of bench/scenarios.ts (GraphQL and REST) with random variables,
 * plus the edges of paging (following endCursor or next_cursor to the end, an
 * empty page, first: 0, sizes up to 100, foreign and unknown ids, user errors,
 * REST's 404s and 401s).
 *
 *   node --import tsx bench/check-equal.ts [DATABASE_URL]   # seeds if needed, starts both servers, exits 1 on a difference
 *   OURS_URL=http://… BASELINE_URL=http://… node --import tsx bench/check-equal.ts   # servers already running (origins)
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { DEFAULT_BENCH_DATABASE_URL, seed } from './seed.ts';
import { GRAPHQL_PATH, op, rest, restPath, scenarios, send, succeeded, type Answer, type BenchData, type Operation } from './scenarios.ts';
import { startBaseline, startOurs, type RunningServer } from './servers.ts';

export interface Check {
  name: string;
  operation: Operation;
  /**
   * exact: identical bytes, a success. same error: identical bytes, an error
   * (REST's 404 and 401 carry nothing that differs between servers). errors:
   * both answer errors with the same codes (and GraphQL's paths and data, or
   * REST's violated fields), ignoring what cannot match (request ids,
   * messages, locations).
   */
  compare?: 'exact' | 'same error' | 'errors';
}

export interface Difference {
  name: string;
  operation: Operation;
  ours: Answer;
  baseline: Answer;
  note: string;
}

/** Where two JSON texts first differ, with some context. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  return `at byte ${i}:\n    ours:     …${a.slice(from, i + 120)}…\n    baseline: …${b.slice(from, i + 120)}…`;
}

/** Errors reduced to what both servers must agree on: GraphQL's errors, or REST's google.rpc.Status. */
function errorShape(operation: Operation, body: string): unknown {
  if (operation.path !== GRAPHQL_PATH) {
    const status = JSON.parse(body) as { code?: unknown; details?: { fieldViolations?: { field?: unknown }[] }[] };
    return {
      codes: typeof status.code === 'number' ? [status.code] : null,
      fields: status.details?.flatMap((d) => d.fieldViolations?.map((v) => v.field) ?? []) ?? null,
    };
  }
  const parsed = JSON.parse(body) as { errors?: { path?: unknown; extensions?: { code?: unknown } }[]; data?: unknown };
  return {
    codes: parsed.errors?.map((e) => e.extensions?.code) ?? null,
    paths: parsed.errors?.map((e) => e.path ?? null) ?? null,
    data: parsed.data ?? null,
  };
}

export async function compare(ours: string, baseline: string, check: Check): Promise<Difference | null> {
  // Ours first: for a mutation, the baseline then repeats a write already made (see setModelStatus below).
  const a = await send(ours, check.operation);
  const b = await send(baseline, check.operation);
  const differ = (note: string): Difference => ({ name: check.name, operation: check.operation, ours: a, baseline: b, note });
  if (a.status !== b.status) return differ(`HTTP ${a.status} vs ${b.status}`);
  const mode = check.compare ?? 'exact';
  if (mode === 'errors') {
    const [x, y] = [JSON.stringify(errorShape(check.operation, a.body)), JSON.stringify(errorShape(check.operation, b.body))];
    if (!x.includes('"codes":[')) return differ('expected errors from both');
    return x === y ? null : differ(`error shapes differ: ${x} vs ${y}`);
  }
  if (a.body === b.body) {
    const ok = succeeded(check.operation, a.status, a.body);
    if (mode === 'exact' && !ok) return differ('both answered errors where data was expected');
    if (mode === 'same error' && ok) return differ('both answered a success where an error was expected');
    return null;
  }
  // The revision is the only value allowed to move between the two calls of a mutation.
  if (check.operation.body?.operationName === 'SetStatus') {
    const strip = (body: string) => body.replace(/"revision":\d+/g, '"revision":0');
    if (strip(a.body) === strip(b.body)) return null;
  }
  return differ(firstDifference(a.body, b.body));
}

/** Each scenario's operations, `perScenario` times with random variables, and the edge cases. */
export async function* checks(data: BenchData, ours: string, perScenario: number): AsyncGenerator<Check> {
  for (const scenario of scenarios) {
    for (let i = 0; i < perScenario; i++) yield { name: scenario.name, operation: scenario.next(data) };
  }

  const [accountA, accountB] = [data.accounts[0]!, data.accounts[1]!];
  const workspace = accountA.workspaceIds[3]!;
  const foreignModel = data.models.find((m) => m.adminKey !== accountA.adminKey)!;
  const ownModel = data.models.find((m) => m.adminKey === accountA.adminKey)!;

  // Follow endCursor through a 100-model workspace, then one page past its end (empty: null cursors).
  let after: string | null = null;
  for (let page = 1; page <= 7; page++) {
    const operation = op(accountA.adminKey, 'ModelsPage', { workspace, first: 20, ...(after ? { after } : {}) });
    yield { name: `paging: page ${page}`, operation };
    const answer = JSON.parse((await send(ours, operation)).body) as {
      data: { workspace: { models: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
    };
    const { hasNextPage, endCursor } = answer.data.workspace.models.pageInfo;
    if (!endCursor) break;
    after = endCursor;
    if (!hasNextPage) {
      yield { name: 'paging: past the end', operation: op(accountA.adminKey, 'ModelsPage', { workspace, first: 20, after }) };
      break;
    }
  }
  // The big workspace: deep pages at every deep cursor's neighbour sizes, and the next page after one.
  for (const first of [0, 1, 37, 100]) {
    yield { name: `deep page, first ${first}`, operation: op(data.big.adminKey, 'ModelsPage', { workspace: data.big.workspaceId, first, after: data.big.deepCursors[5] }) };
    yield { name: `first page, first ${first}`, operation: op(accountB.adminKey, 'ModelsPage', { workspace: accountB.workspaceIds[0], first }) };
    yield { name: `page + count, first ${first}`, operation: op(accountB.adminKey, 'ModelsPageWithCount', { workspace: accountB.workspaceIds[1], first }) };
  }
  yield { name: 'big: first page + count, first 100', operation: op(data.big.adminKey, 'ModelsPageWithCount', { workspace: data.big.workspaceId, first: 100 }) };
  yield { name: 'big: first page, first 100', operation: op(data.big.adminKey, 'ModelsPage', { workspace: data.big.workspaceId, first: 100 }) };

  // Ids that are not the caller's.
  yield { name: 'model of another account', operation: op(accountA.adminKey, 'ModelById', { id: foreignModel.id }) };
  yield { name: 'unknown model id', operation: op(accountA.adminKey, 'ModelById', { id: 'model_01K00000000000000000000000' }) };
  yield { name: 'malformed model id', operation: op(accountA.adminKey, 'ModelById', { id: 'model_nope' }) };
  yield { name: 'workspace id as model id', operation: op(accountA.adminKey, 'ModelById', { id: workspace }) };
  yield { name: 'workspace of another account', operation: op(accountA.adminKey, 'ModelsPage', { workspace: accountB.workspaceIds[0], first: 20 }) };
  yield { name: 'unknown workspace', operation: op(accountA.adminKey, 'ModelsPageWithCount', { workspace: 'ws_01K00000000000000000000000', first: 20 }) };

  // Nested sizes.
  for (const [workspaces, models] of [[20, 20], [100, 5], [0, 20], [20, 0], [3, 100]] as const) {
    yield { name: `nested ${workspaces} × ${models}`, operation: op(accountB.adminKey, 'Nested', { workspaces, models }) };
  }
  yield { name: 'nested on the big account', operation: op(data.big.adminKey, 'Nested', { workspaces: 20, models: 20 }) };

  // Mutations: a change, its repetition (no-op), its reversal; user errors.
  for (const status of ['MODEL_STATUS_DISABLED', 'MODEL_STATUS_DISABLED', 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_ENABLED']) {
    yield { name: `setModelStatus ${status}`, operation: op(accountA.adminKey, 'SetStatus', { id: ownModel.id, status }) };
  }
  yield { name: 'setModelStatus: foreign id', operation: op(accountA.adminKey, 'SetStatus', { id: foreignModel.id, status: 'MODEL_STATUS_DISABLED' }) };
  yield { name: 'setModelStatus: malformed id', operation: op(accountA.adminKey, 'SetStatus', { id: 'nope', status: 'MODEL_STATUS_DISABLED' }) };
  yield { name: 'setModelStatus: UNSPECIFIED', operation: op(accountA.adminKey, 'SetStatus', { id: ownModel.id, status: 'MODEL_STATUS_UNSPECIFIED' }) };

  yield* restChecks(data, ours);

  // Errors: compared by code, path and data only (request ids and locations cannot match).
  const errors = (name: string, operation: Operation): Check => ({ name, operation, compare: 'errors' });
  yield errors('cursor of another workspace', op(data.big.adminKey, 'ModelsPage', { workspace: data.big.workspaceId, first: 20, after: Buffer.from(JSON.stringify([`${workspace}:CREATED_AT:ASC`, '2026-01-01T00:00:00.000Z', ownModel.id])).toString('base64url') }));
  yield errors('malformed cursor', op(accountA.adminKey, 'ModelsPage', { workspace, first: 20, after: 'not-a-cursor' }));
  yield errors('first over 100', op(accountA.adminKey, 'ModelsPage', { workspace, first: 101 }));
  yield errors('negative first', op(accountA.adminKey, 'ModelsPageWithCount', { workspace, first: -1 }));
  yield errors('bad key', { ...op(accountA.adminKey, 'ModelById', { id: ownModel.id }), key: `${accountA.adminKey.slice(0, -4)}AAAA` });
  yield errors('no key', { ...op(accountA.adminKey, 'ModelById', { id: ownModel.id }), key: 'nothing' });
}

/** The REST resource's edges: paging to the end and past it, sizes, 404s and 401s, bad parameters. */
async function* restChecks(data: BenchData, ours: string): AsyncGenerator<Check> {
  const [accountA, accountB] = [data.accounts[0]!, data.accounts[1]!];
  const workspace = accountA.workspaceIds[3]!;
  const foreignModel = data.models.find((m) => m.adminKey !== accountA.adminKey)!;
  const ownModel = data.models.find((m) => m.adminKey === accountA.adminKey)!;
  const otherWorkspace = accountA.workspaceIds.find((id) => id !== ownModel.workspaceId)!;
  type List = { items: { metadata: { id: string; createdAt: string; labels?: Record<string, string> } }[]; pagination: { next_cursor?: string } };
  const list = async (operation: Operation) => JSON.parse((await send(ours, operation)).body) as List;

  // Follow next_cursor through a 100-model workspace to its last page (no next_cursor), then one page past it (empty).
  let cursor: string | undefined;
  let labelledSeen = false;
  for (let page = 1; page <= 6; page++) {
    const operation = rest(accountA.adminKey, restPath.list(workspace, { limit: 20, ...(cursor ? { cursor } : {}) }));
    yield { name: `REST paging: page ${page}`, operation };
    const answer = await list(operation);
    // The first model with two labels, by id too: jsonb orders keys by length, REST sorts them.
    const labelled = labelledSeen ? undefined : answer.items.find((item) => Object.keys(item.metadata.labels ?? {}).length > 1);
    if (labelled) {
      labelledSeen = true;
      yield { name: 'REST model with two labels', operation: rest(accountA.adminKey, restPath.model(workspace, labelled.metadata.id)) };
    }
    cursor = answer.pagination.next_cursor;
    if (!cursor) {
      // The cursor our server would mint for the last model (router.ts): nothing comes after it.
      const last = answer.items.at(-1)!.metadata;
      const filter = createHash('sha256').update(JSON.stringify({})).digest('base64url').slice(0, 16);
      const past = Buffer.from(JSON.stringify([`rest:${workspace}:ASC:${filter}`, last.createdAt, last.id])).toString('base64url');
      yield { name: 'REST paging: past the end', operation: rest(accountA.adminKey, restPath.list(workspace, { limit: 20, cursor: past })) };
      break;
    }
  }
  yield { name: 'REST list, empty cursor', operation: rest(accountA.adminKey, restPath.list(workspace, { limit: 20, cursor: '' })) };
  for (const limit of [1, 37, 100, undefined]) {
    yield { name: `REST list, limit ${limit ?? 'default'}`, operation: rest(accountB.adminKey, restPath.list(accountB.workspaceIds[0]!, limit === undefined ? {} : { limit })) };
  }
  // The big workspace: its first page and the next one.
  const bigFirst = rest(data.big.adminKey, restPath.list(data.big.workspaceId, { limit: 100 }));
  yield { name: 'REST big: first page, limit 100', operation: bigFirst };
  const next = (await list(bigFirst)).pagination.next_cursor;
  if (next) yield { name: 'REST big: second page', operation: rest(data.big.adminKey, restPath.list(data.big.workspaceId, { limit: 100, cursor: next })) };
  yield { name: 'REST model of the big workspace', operation: rest(data.big.adminKey, restPath.model(data.big.workspaceId, (await list(bigFirst)).items[7]!.metadata.id)) };

  // 404 and 401: identical bodies (no request id in them).
  const sameError = (name: string, operation: Operation): Check => ({ name, operation, compare: 'same error' });
  yield sameError('REST 404: model of another account', rest(accountA.adminKey, restPath.model(foreignModel.workspaceId, foreignModel.id)));
  yield sameError('REST 404: model of another workspace', rest(accountA.adminKey, restPath.model(otherWorkspace, ownModel.id)));
  yield sameError('REST 404: unknown model', rest(accountA.adminKey, restPath.model(ownModel.workspaceId, 'model_01K00000000000000000000000')));
  yield sameError('REST 404: malformed model id', rest(accountA.adminKey, restPath.model(ownModel.workspaceId, 'model_nope')));
  yield sameError('REST 404: workspace id as model id', rest(accountA.adminKey, restPath.model(ownModel.workspaceId, ownModel.workspaceId)));
  yield sameError('REST 404: list of another account', rest(accountA.adminKey, restPath.list(accountB.workspaceIds[0]!, { limit: 20 })));
  yield sameError('REST 404: unknown workspace', rest(accountA.adminKey, restPath.list('ws_01K00000000000000000000000', { limit: 20 })));
  yield sameError('REST 404: malformed workspace id', rest(accountA.adminKey, restPath.list('nope', { limit: 20 })));
  yield sameError('REST 404: malformed workspace id before a bad cursor', rest(accountA.adminKey, restPath.list('nope', { limit: 20, cursor: 'not-a-cursor' })));
  yield sameError('REST 401: bad key', rest(`${accountA.adminKey.slice(0, -4)}AAAA`, restPath.model(ownModel.workspaceId, ownModel.id)));
  yield sameError('REST 401: no key', rest('nothing', restPath.list(workspace, { limit: 20 })));

  // 400: compared by code and fields (messages are the validator's).
  const errors = (name: string, operation: Operation): Check => ({ name, operation, compare: 'errors' });
  for (const limit of [0, 101, 'abc']) yield errors(`REST 400: limit ${limit}`, rest(accountA.adminKey, restPath.list(workspace, { limit })));
  yield errors('REST 400: malformed cursor', rest(accountA.adminKey, restPath.list(workspace, { limit: 20, cursor: 'not-a-cursor' })));
  yield errors('REST 400: GraphQL cursor', rest(data.big.adminKey, restPath.list(data.big.workspaceId, { limit: 20, cursor: data.big.deepCursors[5]! })));
}

export interface CheckResult {
  checked: number;
  differences: Difference[];
  byName: Map<string, { checked: number; differing: number }>;
}

export async function checkEqual(ours: string, baseline: string, data: BenchData, perScenario = 25): Promise<CheckResult> {
  const result: CheckResult = { checked: 0, differences: [], byName: new Map() };
  for await (const check of checks(data, ours, perScenario)) {
    const difference = await compare(ours, baseline, check);
    result.checked++;
    const group = check.name.split(':')[0]!;
    const entry = result.byName.get(group) ?? { checked: 0, differing: 0 };
    entry.checked++;
    if (difference) {
      entry.differing++;
      result.differences.push(difference);
    }
    result.byName.set(group, entry);
  }
  return result;
}

export function printDifferences(result: CheckResult, limit = 10): void {
  for (const [name, { checked, differing }] of result.byName) {
    console.log(`  ${differing === 0 ? 'same' : 'DIFF'}  ${name} (${checked} requests${differing ? `, ${differing} differ` : ''})`);
  }
  for (const d of result.differences.slice(0, limit)) {
    const { method, path, body } = d.operation;
    const graphql = body ? ` ${JSON.stringify({ operationName: body.operationName, variables: body.variables })}` : '';
    console.log(`\n- ${d.name}: ${d.note}\n  request: ${method} ${path}${graphql}`);
    if (!d.note.startsWith('at byte')) console.log(`  ours:     ${d.ours.body.slice(0, 600)}\n  baseline: ${d.baseline.body.slice(0, 600)}`);
  }
  if (result.differences.length > limit) console.log(`\n… and ${result.differences.length - limit} more differences`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const databaseUrl = process.argv[2] ?? process.env.DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const data = await seed(databaseUrl);
  const servers: RunningServer[] = [];
  let failed = true;
  try {
    // Origins; a URL ending in /graphql (as these variables used to be) is taken for its origin.
    const origin = (url: string | undefined) => url?.replace(/\/graphql\/?$/, '').replace(/\/$/, '');
    let [ours, baseline] = [origin(process.env.OURS_URL), origin(process.env.BASELINE_URL)];
    if (!ours || !baseline) {
      servers.push(await startOurs(databaseUrl), await startBaseline(databaseUrl));
      [ours, baseline] = servers.map((s) => s.origin) as [string, string];
    }
    console.log(`ours at ${ours}, baseline at ${baseline}`);
    const result = await checkEqual(ours, baseline, data);
    console.log(`${result.checked} requests compared, ${result.differences.length} differ`);
    printDifferences(result);
    failed = result.differences.length > 0;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    for (const s of servers) {
      const text = s.output().trim();
      if (text) console.log(`\n${s.name} printed:\n${text.split('\n').map((l) => `  ${l}`).join('\n')}`);
    }
  }
  process.exit(failed ? 1 : 0);
}
