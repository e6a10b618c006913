/**
 * `npm run bench`: our server (production build) against a minimal
 * node:http + postgres.js baseline on the same seeded PostgreSQL database, in
 * one run, scenario by scenario, alternating the servers. Prints one table and
 * writes it to bench/results/<time>.json. See README, "Performance".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { scenarios, type BenchData, type Operation, type Scenario } from './scenarios.ts';
import { checkEqual } from './check-equal.ts';
import { seed } from './seed.ts';
import { root, startBaseline, startOurs, type RunningServer } from './servers.ts';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const WARMUP_S = Number(process.env.BENCH_WARMUP || 2);
/** Measured seconds per scenario and server, in two slices (see measure). */
const DURATION_S = Number(process.env.BENCH_DURATION || 8);
const COUNT_REQUESTS = 200;
// Pool connections close after 1 s idle, so their backends report their statistics (see countStatements).
const SERVER_ENV = { DATABASE_IDLE_TIMEOUT: '1' };

interface Server {
  name: 'ours' | 'baseline';
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
  /** Spawn to first successful GraphQL answer, in ms. */
  coldStartMs: number;
}

interface Row {
  scenario: string;
  server: Server['name'];
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  statementsPerOp: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Our server runs as `npm start` runs it: with its node flags (the heap
 * sizes) and NODE_ENV=production, which skips graphql-js's development-only
 * checks. The baseline gets the same flags.
 */
function startFlags(): string[] {
  const { scripts } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const flags = /exec node (.*?) ?dist\/server\.js/.exec(scripts.start);
  if (!flags) throw new Error(`npm start no longer runs "exec node … dist/server.js": ${scripts.start}`);
  return flags[1]!.split(' ').filter(Boolean);
}

/** Starts a server and measures its cold start: from spawn to its first successful answer. */
async function started(start: () => Promise<RunningServer>, probe: Operation): Promise<Server> {
  const begun = performance.now();
  const server = await start();
  while ((await send(server.url, probe).catch(() => null))?.ok !== true) await sleep(5);
  return { name: server.name as Server['name'], url: server.url, process: server.child, stop: server.stop, coldStartMs: Math.round(performance.now() - begun) };
}

async function send(url: string, op: Operation): Promise<{ ok: boolean; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${op.key}` },
    body: JSON.stringify(op.body),
  });
  const text = await response.text();
  return { ok: response.ok && !text.includes('"errors"'), text };
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRssMb(child: ChildProcess): number {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

/**
 * Both servers under one scenario, in two slices each, in the order A B B A,
 * each slice after a warm-up of its own: this machine's speed drifts over
 * tens of seconds, and a ratio of two back-to-back runs moved by ±0.05; the
 * mirrored order cancels a steady drift. req/s and errors are over both
 * slices; p50 and p99 are the slices' means.
 */
async function measure(servers: [Server, Server], scenario: Scenario, data: BenchData) {
  const slices = new Map<Server, Awaited<ReturnType<typeof load>>[]>(servers.map((server) => [server, []]));
  for (const server of [...servers, ...servers.toReversed()]) {
    await load(server, scenario, data, WARMUP_S);
    slices.get(server)!.push(await load(server, scenario, data, DURATION_S / 2));
  }
  const mean = (values: number[]) => Math.round(values.reduce((sum, v) => sum + v, 0) / values.length);
  return new Map(
    [...slices].map(([server, runs]) => [
      server,
      { rps: mean(runs.map((r) => r.rps)), p50: mean(runs.map((r) => r.p50)), p99: mean(runs.map((r) => r.p99)), errors: runs.reduce((sum, r) => sum + r.errors, 0) },
    ]),
  );
}

/** Requests that fail or answer with GraphQL errors count as errors, never as throughput. */
async function load(server: Server, scenario: Scenario, data: BenchData, seconds: number) {
  let graphqlErrors = 0;
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const op = scenario.next(data);
          return {
            ...request,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${op.key}` },
            body: JSON.stringify(op.body),
          };
        },
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"errors"')) graphqlErrors++;
        },
      },
    ],
  });
  const errors = result.errors + result.timeouts + result.non2xx + graphqlErrors;
  const ok = result.requests.total - result.non2xx - graphqlErrors;
  return { rps: Math.round(ok / seconds), p50: result.latency.p50, p99: result.latency.p99, errors };
}

/**
 * SQL statements per operation, counted by PostgreSQL: each statement of
 * these servers is one transaction of the bench database, and
 * pg_stat_database has them once the backends have reported — which an idle
 * backend does when it exits (the servers close connections idle for 1 s).
 * Each new connection's one-time type lookup is subtracted.
 */
async function countStatements(server: Server, scenario: Scenario, data: BenchData, monitor: postgres.Sql, database: string) {
  const read = async () => {
    const [row] = await monitor<{ xacts: string; sessions: string }[]>`
      select xact_commit + xact_rollback as xacts, sessions from pg_stat_database where datname = ${database}`;
    return { xacts: Number(row!.xacts), sessions: Number(row!.sessions) };
  };
  await sleep(2_500);
  const before = await read();
  for (let i = 0; i < COUNT_REQUESTS; i += 4) {
    await Promise.all(Array.from({ length: 4 }, () => send(server.url, scenario.next(data))));
  }
  await sleep(2_500);
  const after = await read();
  const statements = after.xacts - before.xacts - (after.sessions - before.sessions);
  return Math.round((statements / COUNT_REQUESTS) * 100) / 100;
}

async function main() {
  console.log(`Seeding (or reusing) ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')} …`);
  const data = await seed(DATABASE_URL);
  const database = new URL(DATABASE_URL).pathname.slice(1);
  const monitorUrl = new URL(DATABASE_URL);
  monitorUrl.pathname = '/postgres';
  const monitor = postgres(monitorUrl.toString(), { max: 1, onnotice: () => {} });

  console.log('Building our server …');
  await new Promise<void>((resolve, reject) =>
    spawn('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build: ${code}`)))),
  );
  const probe = scenarios[0]!.next(data);
  const ours = await started(() => startOurs(DATABASE_URL, { ...SERVER_ENV, NODE_ENV: 'production' }, [...startFlags(), 'dist/server.js']), probe);
  const baseline = await started(() => startBaseline(DATABASE_URL, SERVER_ENV, startFlags()), probe);
  console.log(`Cold start to first answer: ours ${ours.coldStartMs} ms, baseline ${baseline.coldStartMs} ms`);
  const equal = await checkEqual(ours.url, baseline.url, data, 5);
  if (equal.differences.length > 0) throw new Error(`The servers answer differently: ${JSON.stringify(equal.differences.slice(0, 2), null, 2)}`);
  console.log(`Both servers gave identical JSON for ${equal.checked} requests.`);

  const rows: Row[] = [];
  try {
    for (const [index, scenario] of scenarios.entries()) {
      // Alternate which server goes first, so neither always meets a warmer database.
      const [first, second] = index % 2 === 0 ? [ours, baseline] : [baseline, ours];
      const measured = await measure([first, second], scenario, data);
      for (const server of [first, second]) {
        const statementsPerOp = await countStatements(server, scenario, data, monitor, database);
        const row: Row = { scenario: scenario.name, server: server.name, ...measured.get(server)!, statementsPerOp };
        rows.push(row);
        console.log(`  ${scenario.name} / ${server.name}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}, ${statementsPerOp} statements/op`);
      }
    }
  } finally {
    const rss = { ours: peakRssMb(ours.process), baseline: peakRssMb(baseline.process) };
    await Promise.all([ours.stop(), baseline.stop()]);
    await monitor.end();
    report(rows, rss, { ours: ours.coldStartMs, baseline: baseline.coldStartMs });
  }
}

function report(rows: Row[], rss: Record<Server['name'], number>, coldStartMs: Record<Server['name'], number>) {
  const table = scenarios.flatMap(({ name }) => {
    const ours = rows.find((r) => r.scenario === name && r.server === 'ours');
    const base = rows.find((r) => r.scenario === name && r.server === 'baseline');
    if (!ours || !base) return [];
    return [
      {
        scenario: name,
        'ours req/s': ours.rps,
        'base req/s': base.rps,
        ratio: Math.round((ours.rps / base.rps) * 100) / 100,
        'ours p50/p99 ms': `${ours.p50}/${ours.p99}`,
        'base p50/p99 ms': `${base.p50}/${base.p99}`,
        'errors ours/base': `${ours.errors}/${base.errors}`,
        'SQL/op ours/base': `${ours.statementsPerOp}/${base.statementsPerOp}`,
      },
    ];
  });
  const header = Object.keys(table[0] ?? {});
  const widths = header.map((h) => Math.max(h.length, ...table.map((row) => String(row[h as keyof typeof row]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const lines = [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...table.map((row) => line(header.map((h) => String(row[h as keyof typeof row])))),
    '',
    `Peak RSS: ours ${rss.ours} MB, baseline ${rss.baseline} MB. Cold start to first answer: ours ${coldStartMs.ours} ms, baseline ${coldStartMs.baseline} ms.`,
    `${CONNECTIONS} connections; per scenario and server ${DURATION_S} s measured in two slices (order A B B A), each after ${WARMUP_S} s of warm-up; ${new Date().toISOString()}; node ${process.version}.`,
  ];
  console.log(`\n${lines.join('\n')}`);
  fs.mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  const file = new URL(`results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
  fs.writeFileSync(file, JSON.stringify({ rows, table, rss, coldStartMs, connections: CONNECTIONS, warmupS: WARMUP_S, durationS: DURATION_S }, null, 2));
  console.log(`Written to ${fileURLToPath(file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
