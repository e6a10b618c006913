/**
 * Sends the same operations, with the same variables, to our server and to
 * the baseline and checks that the answers are byte-for-byte identical: every
 * scenario of bench/scenarios.ts with random variables, plus the edges of
 * paging (following endCursor to the end, an empty page, first: 0, sizes up
 * to 100, foreign and unknown ids, user errors).
 *
 *   node --import tsx bench/check-equal.ts [DATABASE_URL]   # seeds if needed, starts both servers, exits 1 on a difference
 *   OURS_URL=http://… BASELINE_URL=http://… node --import tsx bench/check-equal.ts   # servers already running
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_BENCH_DATABASE_URL, seed } from './seed.ts';
import { queries, scenarios, type BenchData, type Operation, type OperationName } from './scenarios.ts';
import { startBaseline, startOurs, type RunningServer } from './servers.ts';

export interface Answer {
  status: number;
  body: string;
}

export async function send(url: string, operation: Operation): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operation.key}` },
    body: JSON.stringify(operation.body),
  });
  return { status: response.status, body: await response.text() };
}

export interface Check {
  name: string;
  operation: Operation;
  /**
   * exact: identical bytes. errors: both answer errors with the same codes and
   * data, ignoring what cannot match (request ids, messages, locations).
   */
  compare?: 'exact' | 'errors';
}

export interface Difference {
  name: string;
  operation: Operation;
  ours: Answer;
  baseline: Answer;
  note: string;
}

const op = (key: string, operationName: OperationName, variables: Record<string, unknown>): Operation => ({
  key,
  body: { query: queries[operationName], operationName, variables },
});

/** Where two JSON texts first differ, with some context. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  return `at byte ${i}:\n    ours:     …${a.slice(from, i + 120)}…\n    baseline: …${b.slice(from, i + 120)}…`;
}

/** Errors reduced to what both servers must agree on. */
function errorShape(body: string): unknown {
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
  if ((check.compare ?? 'exact') === 'errors') {
    const [x, y] = [JSON.stringify(errorShape(a.body)), JSON.stringify(errorShape(b.body))];
    if (!x.includes('"codes":[')) return differ('expected errors from both');
    return x === y ? null : differ(`error shapes differ: ${x} vs ${y}`);
  }
  if (a.body === b.body) {
    if (a.body.includes('"errors"')) return differ('both answered errors where data was expected');
    return null;
  }
  // The revision is the only value allowed to move between the two calls of a mutation.
  if (check.operation.body.operationName === 'SetStatus') {
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

  // Errors: compared by code, path and data only (request ids and locations cannot match).
  const errors = (name: string, operation: Operation): Check => ({ name, operation, compare: 'errors' });
  yield errors('cursor of another workspace', op(data.big.adminKey, 'ModelsPage', { workspace: data.big.workspaceId, first: 20, after: Buffer.from(JSON.stringify([`${workspace}:CREATED_AT:ASC`, '2026-01-01T00:00:00.000Z', ownModel.id])).toString('base64url') }));
  yield errors('malformed cursor', op(accountA.adminKey, 'ModelsPage', { workspace, first: 20, after: 'not-a-cursor' }));
  yield errors('first over 100', op(accountA.adminKey, 'ModelsPage', { workspace, first: 101 }));
  yield errors('negative first', op(accountA.adminKey, 'ModelsPageWithCount', { workspace, first: -1 }));
  yield errors('bad key', { ...op(accountA.adminKey, 'ModelById', { id: ownModel.id }), key: `${accountA.adminKey.slice(0, -4)}AAAA` });
  yield errors('no key', { ...op(accountA.adminKey, 'ModelById', { id: ownModel.id }), key: 'nothing' });
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
    console.log(`\n- ${d.name}: ${d.note}\n  request: ${JSON.stringify({ operationName: d.operation.body.operationName, variables: d.operation.body.variables })}`);
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
    let { OURS_URL: ours, BASELINE_URL: baseline } = process.env;
    if (!ours || !baseline) {
      servers.push(await startOurs(databaseUrl), await startBaseline(databaseUrl));
      [ours, baseline] = servers.map((s) => s.url) as [string, string];
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
