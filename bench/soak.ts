/**
 * `npm run bench:soak`: does a process of ours slow down, or grow, as it
 * lives? One process (the production build, as `npm start` runs it) answers
 * every bench scenario in turn, cycle after cycle; after each cycle a fresh
 * process is started and the two are compared on `model(id)`, in one round
 * of A B B A (every other cycle the fresh one first, see bench/run.ts), by
 * req/s and CPU per answer; the long-lived one's heap (after its scenarios,
 * from /metrics) and RSS are printed with it. Fresh pairs measured alike
 * differ by up to ±0.15 in one round (README, "Performance"), so a slowdown
 * shows as a trend over the cycles, not in one of them.
 *
 *   SOAK_CYCLES (6), SOAK_SCENARIO_SECONDS (30 s per scenario and cycle), BENCH_CONNECTIONS (16)
 */
import fs from 'node:fs';
import { abba, load } from './load.ts';
import { scenarios, type BenchData } from './scenarios.ts';
import { DEFAULT_BENCH_DATABASE_URL, seed } from './seed.ts';
import { buildOurs, startBuilt, type RunningServer } from './servers.ts';

const DATABASE_URL = process.env.DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
const CYCLES = Number(process.env.SOAK_CYCLES || 6);
const SCENARIO_S = Number(process.env.SOAK_SCENARIO_SECONDS || 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const WARMUP_S = 2;
const SLICE_S = 4;
const PREWARM_S = 5;
const compared = scenarios.find((s) => s.name === 'model(id)')!;

const start = (name: string) => startBuilt(DATABASE_URL, { DATABASE_IDLE_TIMEOUT: '1' }, name);

const rssMb = (server: RunningServer) => Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024);

async function heapMb(server: RunningServer): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  return Math.round(Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(text)![1]) / 1048576);
}

/** One round of A B B A on `model(id)`: each server's answers and CPU seconds. */
async function round(pair: [RunningServer, RunningServer], data: BenchData) {
  const slices = await abba(pair, () => compared, data, { warmupS: WARMUP_S, sliceS: SLICE_S, connections: CONNECTIONS });
  const total = (server: RunningServer) => ({
    ok: slices.get(server)!.reduce((sum, slice) => sum + slice.ok, 0),
    cpu: slices.get(server)!.reduce((sum, slice) => sum + slice.cpuSeconds, 0),
  });
  return new Map(pair.map((server) => [server, total(server)]));
}

async function main() {
  const data = await seed(DATABASE_URL);
  await buildOurs();
  const long = await start('long-lived');
  const began = performance.now();
  const rows: { minutes: number; answered: number; ratio: number; cpuLong: number; cpuFresh: number; heapMb: number; rssMb: number }[] = [];
  let answered = 0;
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      for (const scenario of scenarios) answered += (await load(long.origin, scenario, data, SCENARIO_S, CONNECTIONS)).ok;
      const heap = await heapMb(long);
      const fresh = await start('fresh');
      try {
        for (const server of [fresh, long]) await load(server.origin, compared, data, PREWARM_S, CONNECTIONS);
        const got = await round(cycle % 2 === 0 ? [long, fresh] : [fresh, long], data);
        const [l, f] = [got.get(long)!, got.get(fresh)!];
        const row = {
          minutes: Math.round((performance.now() - began) / 60_000),
          answered,
          ratio: Math.round((l.ok / f.ok) * 100) / 100,
          cpuLong: Math.round((l.cpu * 1e6) / l.ok),
          cpuFresh: Math.round((f.cpu * 1e6) / f.ok),
          heapMb: heap,
          rssMb: rssMb(long),
        };
        rows.push(row);
        console.log(
          `cycle ${cycle + 1}/${CYCLES}, ${row.minutes} min, ${row.answered} answered: long-lived/fresh ${row.ratio} req/s, ` +
            `CPU µs/op ${row.cpuLong}/${row.cpuFresh}; long-lived heap ${row.heapMb} MB, RSS ${row.rssMb} MB`,
        );
      } finally {
        await fresh.stop();
      }
    }
  } finally {
    await long.stop();
  }
  const mean = (values: number[]) => Math.round((values.reduce((total, v) => total + v, 0) / values.length) * 100) / 100;
  const half = Math.ceil(rows.length / 2);
  const halves = rows.length < 2 ? '' : ` (first half of the cycles ${mean(rows.slice(0, half).map((r) => r.ratio))}, second ${mean(rows.slice(half).map((r) => r.ratio))})`;
  console.log(
    `\nlong-lived/fresh req/s: mean ${mean(rows.map((r) => r.ratio))}${halves}; ` +
      `heap ${rows.map((r) => r.heapMb).join(', ')} MB; RSS ${rows.map((r) => r.rssMb).join(', ')} MB`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
