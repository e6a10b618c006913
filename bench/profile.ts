/**
 * Where our server's time goes under one scenario's load: CPU per answer of
 * the baseline and of ours, each alone under the load — the server process's
 * and its PostgreSQL backends' (found by application_name), read from /proc
 * (PostgreSQL runs on this machine and shares its cores) — then
 * a V8 CPU profile of ours (`node --cpu-prof dist/server.js`) summarised by
 * self time, per function and per module of the bundle (esbuild marks each
 * module with a `// node_modules/…` or `// src/…` line).
 *
 *   node --import tsx bench/profile.ts ["REST model by id" …]   # default: the REST scenarios
 *   PROFILE_SECONDS=15 PROFILE_NO_BUILD=1 PROFILE_BASELINE=1 …   # load per server; reuse dist/server.js; profile the baseline too
 *
 * The .cpuprofile files stay in a temporary directory (printed), to open in
 * Chrome's DevTools or speedscope.
 */
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { load } from './load.ts';
import { scenarios, type BenchData, type Scenario } from './scenarios.ts';
import { DEFAULT_BENCH_DATABASE_URL, seed } from './seed.ts';
import { buildOurs, cpuSeconds, root, startBaseline, startBuilt, startFlags, type RunningServer } from './servers.ts';

const DATABASE_URL = process.env.DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
const SECONDS = Number(process.env.PROFILE_SECONDS || 15);
const WARMUP_S = 3;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const TOP = 30;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The server alone under the scenario: warm-up, then req/s and CPU µs per
 * answer, its own and its database backends' (the server was started with
 * PGAPPNAME=`appName`, which postgres.js sends as application_name).
 */
async function cpuPerAnswer(server: RunningServer, appName: string, scenario: Scenario, data: BenchData, monitor: postgres.Sql) {
  const backends = async () =>
    (await monitor<{ pid: number }[]>`select pid from pg_stat_activity where application_name = ${appName}`).map((r) => r.pid);
  const backendsCpu = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  await load(server.origin, scenario, data, WARMUP_S, CONNECTIONS);
  const pidsBefore = await backends();
  const before = { server: cpuSeconds(server.pid), database: backendsCpu(pidsBefore) };
  const result = await load(server.origin, scenario, data, SECONDS, CONNECTIONS);
  // A backend that appeared during the load counts whole (its start-up included).
  const pidsAfter = [...new Set([...pidsBefore, ...(await backends())])];
  const serverCpu = cpuSeconds(server.pid) - before.server;
  const databaseCpu = backendsCpu(pidsAfter) - before.database;
  const perOp = (seconds: number) => Math.round((seconds * 1e6) / Math.max(1, result.ok));
  return { rps: result.rps, errors: result.errors, serverUs: perOp(serverCpu), databaseUs: perOp(databaseCpu), backends: pidsAfter.length, cores: Math.round(((serverCpu + databaseCpu) / SECONDS) * 100) / 100 };
}

/** The bundle's module at each line: the last `// node_modules/…` or `// src/…` marker above it. */
function moduleIndex(bundle: string): (line: number) => string {
  const starts: number[] = [];
  const names: string[] = [];
  bundle.split('\n').forEach((text, line) => {
    const marker = /^\/\/ ((?:node_modules|src)\/\S+)$/.exec(text);
    if (marker) {
      starts.push(line);
      names.push(marker[1]!);
    }
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found === -1 ? 'dist/server.js (prelude)' : names[found]!;
  };
}

/** A module's package (node_modules/<name> or <@scope/name>), or our source file. */
const packageOf = (module: string) => {
  const parts = module.split('/');
  if (parts[0] !== 'node_modules') return module;
  return parts[1]!.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1]!;
};

/** Where a frame's code lives: a module of the bundle, a package loaded from node_modules (the externals), or node's own. */
function locate(url: string, line: number, bundleModule: (line: number) => string): string {
  if (url.endsWith('/dist/server.js')) return bundleModule(line);
  const inModules = url.indexOf('/node_modules/');
  if (inModules !== -1) return url.slice(inModules + 1);
  return url;
}

function summarise(profile: CpuProfile, bundle: string, sourceMap: SourceMap | null) {
  const bundleModule = moduleIndex(bundle);
  /** A frame's line: in the module's own source when the bundle's source map knows it (1-based). */
  const lineOf = (url: string, line: number, column: number) => {
    const entry = url.endsWith('/dist/server.js') ? (sourceMap?.findEntry(line, column) as { originalLine?: number } | undefined) : undefined;
    return entry?.originalLine !== undefined ? entry.originalLine + 1 : line + 1;
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const where = url ? locate(url, lineNumber, bundleModule) : functionName;
    // No url: V8's own entries ((garbage collector), (program)) and native functions (writev, writeBuffer: socket writes).
    const fn = url ? `${functionName || '(anonymous)'}  ${where}:${lineOf(url, lineNumber, columnNumber)}` : `${functionName || '(anonymous)'}  (native)`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const group = url ? (where.startsWith('node:') ? 'node internals' : packageOf(where)) : `${functionName || '(anonymous)'} (native)`;
    packages.set(group, (packages.get(group) ?? 0) + us);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  return [
    `busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s; shares of the busy time:`,
    'by package (node_modules) or source file (src/):',
    ...top(packages, 20),
    'by function (self time):',
    ...top(functions, TOP),
  ].join('\n');
}

async function main() {
  const names = process.argv.slice(2);
  const chosen = names.length > 0 ? names.map((name) => scenarios.find((s) => s.name === name) ?? fail(`no scenario "${name}"`)) : scenarios.filter((s) => s.name.startsWith('REST'));
  const data = await seed(DATABASE_URL);
  if (!process.env.PROFILE_NO_BUILD) {
    await buildOurs();
  }
  const bundle = fs.readFileSync(path.join(root, 'dist/server.js'), 'utf8');
  const mapFile = path.join(root, 'dist/server.js.map');
  const sourceMap = fs.existsSync(mapFile) ? new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null;
  const monitor = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));

  /** Each server as the benchmark starts it, with more environment and node flags (the profiler's). */
  const starters = {
    baseline: (more: Record<string, string>, flags: string[] = []) => startBaseline(DATABASE_URL, more, [...flags, ...startFlags()]),
    ours: (more: Record<string, string>, flags: string[] = []) => startBuilt(DATABASE_URL, more, 'ours', flags),
  };
  const profiledServers = process.env.PROFILE_BASELINE ? (['ours', 'baseline'] as const) : (['ours'] as const);

  for (const scenario of chosen) {
    console.log(`\n## ${scenario.name}: ${CONNECTIONS} connections, ${SECONDS} s per server after ${WARMUP_S} s of warm-up, each server alone`);
    for (const name of ['baseline', 'ours'] as const) {
      const appName = `bench-profile-${name}-${process.pid}`;
      const server = await starters[name]({ PGAPPNAME: appName });
      try {
        const m = await cpuPerAnswer(server, appName, scenario, data, monitor);
        console.log(
          `${name}: ${m.rps} req/s; CPU per answer: ${m.serverUs} µs in the server, ${m.databaseUs} µs in its ${m.backends} PostgreSQL backends; ${m.cores} cores busy; ${m.errors} errors`,
        );
      } finally {
        await server.stop();
      }
    }

    for (const name of profiledServers) {
      const profileDir = path.join(directory, `${scenario.name.replace(/\W+/g, '-')}-${name}`);
      const profiled = await starters[name]({}, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
      try {
        await load(profiled.origin, scenario, data, WARMUP_S, CONNECTIONS);
        const measured = await load(profiled.origin, scenario, data, SECONDS, CONNECTIONS);
        console.log(`\n${name}, profiled: ${measured.rps} req/s (the profile includes start-up and the warm-up)`);
      } finally {
        // SIGTERM: the server drains and exits, and node writes the profile on its way out.
        await profiled.stop();
      }
      const [file] = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no profile written in ${profileDir}:\n${profiled.output()}`);
      console.log(`${path.join(profileDir, file)}\n${summarise(JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile, bundle, sourceMap)}`);
    }
  }
  await monitor.end();
}

function fail(message: string): never {
  throw new Error(message);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
