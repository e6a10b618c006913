/**
 * `npm run bench`: our server (production build) against a minimal
 * node:http + postgres.js baseline on the same seeded PostgreSQL database, in
 * one run, scenario by scenario, alternating the servers; and our server
 * against itself: with metrics against METRICS=false (their cost), and a
 * trusted document named by id (TRUSTED_DOCUMENTS) against the same query
 * sent as text, and unchanged (A/A: how far this run's ratios stray with
 * no difference to find); and live updates fanned out to many subscribers
 * over two processes of ours (bench/fanout.ts: absolute figures). Prints the
 * tables and writes them to bench/results/<time>.json (kept out of git unless
 * force-added: the repository keeps the run the README quotes). See README,
 * "Performance".
 *
 *   BENCH_CONNECTIONS (16), BENCH_WARMUP (2 s), BENCH_DURATION (8 s per scenario and server and round),
 *   BENCH_TARGET_ROUNDS (3 rounds of A B B A for a scenario with a target, each on a fresh pair of processes; 1 for the others),
 *   BENCH_METRICS_ROUNDS (8 rounds, each on a fresh pair, for each comparison of ours with itself),
 *   BENCH_SCENARIOS (names, comma-separated, "fan-out" among them; empty: only the comparisons of ours with itself),
 *   BENCH_FANOUT_SUBSCRIBERS (1,000), BENCH_FANOUT_CHANGES (100 in a burst), BENCH_FANOUT_ONE_AT_A_TIME (20)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { abba, load } from './load.ts';
import { byDocumentId, scenarios, send, succeeded, trustedManifest, type BenchData, type Operation, type Scenario } from './scenarios.ts';
import { checkEqual, printDifferences } from './check-equal.ts';
import { describeFanOut, FAN_OUT, fanOut, type FanOutResult } from './fanout.ts';
import { seed } from './seed.ts';
import { buildOurs, startBaseline, startBuilt, startFlags, type RunningServer } from './servers.ts';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const WARMUP_S = Number(process.env.BENCH_WARMUP || 2);
/** Measured seconds per scenario and server, in two slices (see measure). */
const DURATION_S = Number(process.env.BENCH_DURATION || 8);
const COUNT_REQUESTS = 200;
/**
 * A scenario with a target is measured in this many rounds of A B B A: on
 * this shared machine one round's ratio moves by ±0.1 (seven rounds of REST
 * model by id, 16 s per server each, gave 0.78–0.93), which is the distance
 * of some ratios from their target; three rounds narrow a run's figure to
 * about ±0.04 of the mean of many (two: ±0.05).
 */
const TARGET_ROUNDS = Number(process.env.BENCH_TARGET_ROUNDS || 3);
/** The metrics comparison: this scenario, in this many rounds of A B B A (its difference is smaller than one round's noise). */
const METRICS_SCENARIO = 'model(id)';
/**
 * Two processes of the same build, compared so (A/A), gave rounds from 0.79
 * to 1.12 and 0.97–1.03 over four; the costs measured here are a few
 * percent, so eight rounds.
 */
const METRICS_ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS || 8);
/**
 * Before anything is measured, each server answers this many seconds of the
 * metrics scenario: in the first runs the first slice measured was always the
 * lowest of its server's (its code and the database's cache still warming).
 */
const PREWARM_S = 5;
/** Metrics may cost at most 3% of throughput: req/s with metrics over req/s without. */
const METRICS_TARGET = 0.97;
/** A trusted document by id is answered as fast as its text: req/s by id over req/s as text. */
const TRUSTED_TARGET = 0.95;
/**
 * BENCH_SCENARIOS: the scenarios to measure, by name, separated by commas
 * ("fan-out" for bench/fanout.ts); unset: all of them; empty: none (only the
 * metrics comparison).
 */
const SELECTED = process.env.BENCH_SCENARIOS?.split(',').map((name) => name.trim()).filter(Boolean);
const MEASURED = SELECTED === undefined ? scenarios : SELECTED.filter((name) => name !== FAN_OUT).map((name) => {
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`BENCH_SCENARIOS: no scenario "${name}" (${[...scenarios.map((s) => s.name), FAN_OUT].join(', ')})`);
  return scenario;
});
const FAN_OUT_SELECTED = SELECTED === undefined || SELECTED.includes(FAN_OUT);
// Pool connections close after 1 s idle, so their backends report their statistics (see countStatements).
const SERVER_ENV = { DATABASE_IDLE_TIMEOUT: '1' };

interface Server {
  name: 'ours' | 'baseline' | 'ours-metrics-off' | 'ours-trusted';
  origin: string;
  pid: number;
  stop(): Promise<void>;
  /** Spawn to first successful answer, in ms. */
  coldStartMs: number;
}

interface Row {
  scenario: string;
  server: Server['name'];
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server process's CPU time (user + system) per successful answer over the measured slices, in µs. */
  cpuUsPerOp: number;
  statementsPerOp: number;
}

/**
 * The 1-minute load average as each measurement began: the machine may be
 * shared, and a load above its core count (while the bench alone keeps
 * about that many busy) means the figures were taken under contention.
 */
const loadAverages: { at: string; load1: number }[] = [];
const noteLoad = (at: string) => loadAverages.push({ at, load1: Math.round(os.loadavg()[0]! * 100) / 100 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a server and measures its cold start: from spawn to its first successful answer. */
async function started(start: () => Promise<RunningServer>, probe: Operation): Promise<Server> {
  const begun = performance.now();
  const server = await start();
  for (;;) {
    const answer = await send(server.origin, probe).catch(() => null);
    if (answer && succeeded(probe, answer.status, answer.body)) break;
    await sleep(5);
  }
  return { name: server.name as Server['name'], origin: server.origin, pid: server.pid, stop: server.stop, coldStartMs: Math.round(performance.now() - begun) };
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

/**
 * One round: two servers under one scenario, in two slices each, in the
 * order A B B A (`abba`), each slice after a warm-up of its own: this
 * machine's speed drifts over tens of seconds, and a ratio of two
 * back-to-back runs moved by ±0.05 (`scenarios`: one for both, or each
 * server's own). req/s and errors are over both slices; p50 and p99 are the
 * slices' means. The servers' CPU time per answer is less moved by other
 * work on the machine than req/s.
 */
async function measure(servers: [Server, Server], scenarios: Scenario | [Scenario, Scenario], data: BenchData) {
  const scenarioOf = (server: Server) => (Array.isArray(scenarios) ? scenarios[servers.indexOf(server)]! : scenarios);
  const slices = await abba(servers, scenarioOf, data, { warmupS: WARMUP_S, sliceS: DURATION_S / 2, connections: CONNECTIONS });
  const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);
  const mean = (values: number[]) => Math.round(sum(values) / values.length);
  const byServer = new Map<Server, Measured>(
    [...slices].map(([server, runs]) => [
      server,
      {
        rps: mean(runs.map((r) => r.rps)),
        p50: mean(runs.map((r) => r.p50)),
        p99: mean(runs.map((r) => r.p99)),
        errors: runs.reduce((sum, r) => sum + r.errors, 0),
        cpuUsPerOp: Math.round((sum(runs.map((r) => r.cpuSeconds)) * 1e6) / Math.max(1, sum(runs.map((r) => r.ok)))),
        slices: runs.map((r) => r.rps),
      },
    ]),
  );
  return byServer;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

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
    await Promise.all(Array.from({ length: 4 }, () => send(server.origin, scenario.next(data))));
  }
  await sleep(2_500);
  const after = await read();
  const statements = after.xacts - before.xacts - (after.sessions - before.sessions);
  return Math.round((statements / COUNT_REQUESTS) * 100) / 100;
}

/** Our server against itself: two variants (A and B), each under its own form of one scenario. */
interface SelfComparison {
  /** What is compared, e.g. "metrics on/off". */
  comparison: string;
  scenario: string;
  a: Omit<Row, 'scenario' | 'server' | 'statementsPerOp'> & { slices: number[] };
  b: Omit<Row, 'scenario' | 'server' | 'statementsPerOp'> & { slices: number[] };
  /** req/s of A over B: 1 when A costs nothing more; the target is `target` or more (none: the A/A comparison). */
  ratio: number;
  /** Each A B B A round's own ratio, to show the spread, and their median (less moved by one disturbed round). */
  roundRatios: number[];
  medianRoundRatio: number;
  target: number | undefined;
  rounds: number;
}

type Starter = () => Promise<Server>;

/**
 * Two servers under one scenario (or each under its own) in `rounds` rounds
 * of A B B A, each round on a fresh pair of processes, started and then
 * warmed with their scenario for PREWARM_S: two processes of one build differ
 * by a few percent for their whole life (CPU per answer 3–5% apart in A/A
 * runs), as much as some differences measured, so no one pair decides.
 * Every other round goes B first (B A A B, started and warmed first): the
 * server that goes first waits longest between its slices, and in A/A runs
 * of one build with A always first, A came out 3–5% behind (0.954 and 0.973
 * over six rounds each), which is the whole budget of some targets.
 */
async function onFreshPairs([startA, startB]: [Starter, Starter], scenarios: [Scenario, Scenario], data: BenchData, rounds: number) {
  const runs = { a: [] as Measured[], b: [] as Measured[] };
  const roundRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const bFirst = round % 2 === 1;
    const [first, second] = bFirst ? [startB, startA] : [startA, startB];
    const inOrder: [Scenario, Scenario] = bFirst ? [scenarios[1], scenarios[0]] : scenarios;
    const pair: [Server, Server] = [await first(), await second()];
    try {
      for (const [i, server] of pair.entries()) await load(server.origin, inOrder[i]!, data, PREWARM_S, CONNECTIONS);
      const byServer = await measure(pair, inOrder, data);
      const [a, b] = (bFirst ? pair.toReversed() : pair).map((server) => byServer.get(server)!) as [Measured, Measured];
      runs.a.push(a);
      runs.b.push(b);
      roundRatios.push(ratio(a.rps, b.rps));
    } finally {
      await Promise.all(pair.map((server) => server.stop()));
    }
  }
  return { a: combined(runs.a), b: combined(runs.b), roundRatios };
}

/** A against B (variants of ours) in METRICS_ROUNDS rounds on fresh pairs of processes. */
async function compareSelf(comparison: string, starters: [Starter, Starter], scenarios: [Scenario, Scenario], data: BenchData, target?: number): Promise<SelfComparison> {
  noteLoad(comparison);
  const { a: measuredA, b: measuredB, roundRatios } = await onFreshPairs(starters, scenarios, data, METRICS_ROUNDS);
  const sorted = roundRatios.toSorted((x, y) => x - y);
  const medianRoundRatio = Math.round(((sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2) * 100) / 100;
  const result = { comparison, scenario: scenarios[1].name, a: measuredA, b: measuredB, ratio: ratio(measuredA.rps, measuredB.rps), roundRatios, medianRoundRatio, target, rounds: METRICS_ROUNDS };
  console.log(`  ${comparison}, ${result.scenario}: ${measuredA.rps}/${measuredB.rps} req/s, ratio ${result.ratio} (rounds ${roundRatios.join(', ')})`);
  return result;
}

type Measured = SelfComparison['a'];

/** Rounds of equal length taken together: their slices' mean req/s, their means of p50, p99 and CPU per answer, all errors. */
function combined(rounds: Measured[]): Measured {
  const mean = (values: number[]) => Math.round(values.reduce((total, v) => total + v, 0) / values.length);
  const slices = rounds.flatMap((r) => r.slices);
  return {
    rps: mean(slices),
    p50: mean(rounds.map((r) => r.p50)),
    p99: mean(rounds.map((r) => r.p99)),
    errors: rounds.reduce((total, r) => total + r.errors, 0),
    cpuUsPerOp: mean(rounds.map((r) => r.cpuUsPerOp)),
    slices,
  };
}

async function main() {
  console.log(`Seeding (or reusing) ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')} …`);
  const data = await seed(DATABASE_URL);
  const database = new URL(DATABASE_URL).pathname.slice(1);
  const monitorUrl = new URL(DATABASE_URL);
  monitorUrl.pathname = '/postgres';
  const monitor = postgres(monitorUrl.toString(), { max: 1, onnotice: () => {} });

  console.log('Building our server …');
  await buildOurs();
  const probe = scenarios[0]!.next(data);
  const variant = (name: Server['name'], env: Record<string, string>, first: Operation): Starter => () =>
    started(() => startBuilt(DATABASE_URL, { ...SERVER_ENV, ...env }, name), first);
  const ours = await variant('ours', {}, probe)();
  const baseline = await started(() => startBaseline(DATABASE_URL, SERVER_ENV, startFlags()), probe);
  // The same build without metrics, for their cost, and with trusted documents, for theirs: here for their cold start
  // and (without metrics) the check of its answers; each comparison then starts fresh ones (compareSelf).
  const oursOff = await variant('ours-metrics-off', { METRICS: 'false' }, probe)();
  const manifest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-trusted-')), 'persisted-documents.json');
  fs.writeFileSync(manifest, JSON.stringify(trustedManifest()));
  const oursTrusted = await variant('ours-trusted', { TRUSTED_DOCUMENTS: manifest }, byDocumentId(probe))();
  console.log(
    `Cold start to first answer: ours ${ours.coldStartMs} ms, baseline ${baseline.coldStartMs} ms, ours with METRICS=false ${oursOff.coldStartMs} ms, ours with TRUSTED_DOCUMENTS ${oursTrusted.coldStartMs} ms`,
  );

  const rows: Row[] = [];
  const comparisons: SelfComparison[] = [];
  const variants = [oursOff, oursTrusted];
  let fanOutResult: FanOutResult | null = null;
  try {
    // Nothing is measured unless both builds of ours answer exactly as the baseline does.
    for (const server of [ours, oursOff]) {
      const equal = await checkEqual(server.origin, baseline.origin, data, 5);
      if (equal.differences.length > 0) {
        printDifferences(equal, 5);
        throw new Error(`${server.name} and the baseline answer differently: ${JSON.stringify(equal.differences.slice(0, 2), null, 2)}`);
      }
      console.log(`${server.name} and the baseline gave identical JSON for ${equal.checked} requests.`);
    }

    // Ours against itself first, each round on fresh processes of the two variants (see compareSelf).
    await Promise.all(variants.map((server) => server.stop()));
    const scenario = scenarios.find((s) => s.name === METRICS_SCENARIO)!;
    const byId: Scenario = { name: `${scenario.name} by documentId`, next: (data) => byDocumentId(scenario.next(data)) };
    const freshOurs = variant('ours', {}, probe);
    const freshBaseline: Starter = () => started(() => startBaseline(DATABASE_URL, SERVER_ENV, startFlags()), probe);
    const metricsOff = variant('ours-metrics-off', { METRICS: 'false' }, probe);
    const trusted = variant('ours-trusted', { TRUSTED_DOCUMENTS: manifest }, byDocumentId(probe));
    comparisons.push(await compareSelf('metrics on/off', [freshOurs, metricsOff], [scenario, scenario], data, METRICS_TARGET));
    comparisons.push(await compareSelf('trusted document by id/as text', [trusted, freshOurs], [byId, scenario], data, TRUSTED_TARGET));
    // Two processes of the same build, measured alike: how far from 1 this run's ratios of ours with itself stray with no difference at all.
    comparisons.push(await compareSelf('the same build (A/A)', [freshOurs, freshOurs], [scenario, scenario], data));
    for (const server of [ours, baseline]) await load(server.origin, scenario, data, PREWARM_S, CONNECTIONS);

    for (const [index, scenario] of MEASURED.entries()) {
      // Alternate which server goes first, so neither always meets a warmer database.
      const [first, second] = index % 2 === 0 ? [ours, baseline] : [baseline, ours];
      noteLoad(scenario.name);
      // A scenario with a target: each round on a fresh pair (see onFreshPairs); the others on the pair started first.
      const byServer =
        scenario.target === undefined
          ? await measure([first, second], scenario, data)
          : await onFreshPairs(first === ours ? [freshOurs, freshBaseline] : [freshBaseline, freshOurs], [scenario, scenario], data, TARGET_ROUNDS).then(
              ({ a, b }) => new Map([[first, a], [second, b]]),
            );
      for (const server of [first, second]) {
        const statementsPerOp = await countStatements(server, scenario, data, monitor, database);
        const { slices: _, ...measured } = byServer.get(server)!;
        const row: Row = { scenario: scenario.name, server: server.name, ...measured, statementsPerOp };
        rows.push(row);
        console.log(`  ${scenario.name} / ${server.name}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}, ${statementsPerOp} statements/op`);
      }
    }

    if (FAN_OUT_SELECTED) {
      noteLoad(FAN_OUT);
      fanOutResult = await fanOut(DATABASE_URL, data, SERVER_ENV);
      for (const line of describeFanOut(fanOutResult)) console.log(line);
    }
  } finally {
    const rss = { ours: peakRssMb(ours.pid), baseline: peakRssMb(baseline.pid) };
    await Promise.all([ours.stop(), baseline.stop(), ...variants.map((server) => server.stop())]);
    await monitor.end();
    noteLoad('end');
    const coldStartMs = Object.fromEntries([ours, baseline, oursOff, oursTrusted].map((server) => [server.name, server.coldStartMs])) as Record<Server['name'], number>;
    if (rows.length > 0 || comparisons.length > 0 || fanOutResult) report(rows, comparisons, rss, coldStartMs, fanOutResult);
  }
}

/** A Markdown table of rows of the same keys. */
function markdownTable(rows: Record<string, string | number>[]): string[] {
  const header = Object.keys(rows[0] ?? {});
  const widths = header.map((h) => Math.max(h.length, ...rows.map((row) => String(row[h]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(header.map((h) => String(row[h]))))];
}

const verdict = (value: number, target: number | undefined) => (target === undefined ? '—' : `≥ ${target} ${value >= target ? 'met' : 'MISSED'}`);

function report(rows: Row[], comparisons: SelfComparison[], rss: Record<'ours' | 'baseline', number>, coldStartMs: Record<Server['name'], number>, fanOut: FanOutResult | null) {
  const table = scenarios.flatMap(({ name, target }) => {
    const ours = rows.find((r) => r.scenario === name && r.server === 'ours');
    const base = rows.find((r) => r.scenario === name && r.server === 'baseline');
    if (!ours || !base) return [];
    const r = ratio(ours.rps, base.rps);
    return [
      {
        scenario: name,
        'ours req/s': ours.rps,
        'base req/s': base.rps,
        ratio: r,
        target: verdict(r, target),
        'ours p50/p99 ms': `${ours.p50}/${ours.p99}`,
        'base p50/p99 ms': `${base.p50}/${base.p99}`,
        'errors ours/base': `${ours.errors}/${base.errors}`,
        'CPU µs/op ours/base': `${ours.cpuUsPerOp}/${base.cpuUsPerOp}`,
        'SQL/op ours/base': `${ours.statementsPerOp}/${base.statementsPerOp}`,
      },
    ];
  });
  const selfTable = comparisons.map((c) => ({
    'ours against itself (A/B)': c.comparison,
    scenario: c.scenario,
    'A req/s': c.a.rps,
    'B req/s': c.b.rps,
    'ratio A/B': c.ratio,
    target: verdict(c.ratio, c.target),
    'rounds (A B B A, B A A B, …)': c.roundRatios.join(', '),
    'median round': c.medianRoundRatio,
    'A p50/p99 ms': `${c.a.p50}/${c.a.p99}`,
    'B p50/p99 ms': `${c.b.p50}/${c.b.p99}`,
    'errors A/B': `${c.a.errors}/${c.b.errors}`,
    'CPU µs/op A/B': `${c.a.cpuUsPerOp}/${c.b.cpuUsPerOp}`,
  }));
  const loads = loadAverages.map((l) => l.load1);
  const lines = [
    ...(table.length > 0 ? [...markdownTable(table), ''] : []),
    ...(selfTable.length > 0 ? [...markdownTable(selfTable), ''] : []),
    ...(fanOut ? [...describeFanOut(fanOut), ''] : []),
    `Peak RSS: ours ${rss.ours} MB, baseline ${rss.baseline} MB. Cold start to first answer: ours ${coldStartMs.ours} ms, baseline ${coldStartMs.baseline} ms.`,
    `1-minute load average as measurements began: ${Math.min(...loads)}–${Math.max(...loads)} on ${os.availableParallelism()} cores (per scenario in the JSON).`,
    `${CONNECTIONS} connections; per scenario and server ${DURATION_S} s measured in two slices (order A B B A; ${TARGET_ROUNDS} rounds of that for a scenario with a target, each on a fresh pair, every other one B A A B), each after ${WARMUP_S} s of warm-up; ` +
      `ours against itself: ${METRICS_ROUNDS} such rounds each; ${new Date().toISOString()}; node ${process.version}.`,
  ];
  console.log(`\n${lines.join('\n')}`);
  fs.mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  const file = new URL(`results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
  fs.writeFileSync(
    file,
    JSON.stringify({ rows, table, comparisons, fanOut, rss, coldStartMs, loadAverages, cores: os.availableParallelism(), connections: CONNECTIONS, warmupS: WARMUP_S, durationS: DURATION_S, targetRounds: TARGET_ROUNDS }, null, 2),
  );
  console.log(`Written to ${fileURLToPath(file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
