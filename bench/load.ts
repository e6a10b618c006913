/**
 * Driving a server with one scenario's operations (autocannon), for the
 * benchmark (bench/run.ts) and for profiles (bench/profile.ts).
 */
import autocannon from 'autocannon';
import { httpRequest, succeeded, type BenchData, type Operation, type Scenario } from './scenarios.ts';
import { cpuSeconds } from './servers.ts';

export interface LoadResult {
  /** Successful answers per second. */
  rps: number;
  p50: number;
  p99: number;
  /** Requests that failed, answered a status other than 2xx, or (GraphQL) answered with errors. */
  errors: number;
  /** Successful answers in all. */
  ok: number;
}

/** A server process under load: where it listens, and its process id (for its CPU time). */
export interface Loaded {
  origin: string;
  pid: number;
}

export interface Slices {
  warmupS: number;
  sliceS: number;
  connections: number;
}

/**
 * One round of A B B A: each server answers two slices of its scenario, each
 * after a warm-up of its own, in that mirrored order, which cancels a steady
 * drift of the machine's speed; each slice with the CPU time its process
 * spent in it.
 */
export async function abba<S extends Loaded>(servers: [S, S], scenarioOf: (server: S) => Scenario, data: BenchData, { warmupS, sliceS, connections }: Slices) {
  const slices = new Map<S, (LoadResult & { cpuSeconds: number })[]>(servers.map((server) => [server, []]));
  for (const server of [...servers, ...servers.toReversed()]) {
    await load(server.origin, scenarioOf(server), data, warmupS, connections);
    const cpuBefore = cpuSeconds(server.pid);
    const result = await load(server.origin, scenarioOf(server), data, sliceS, connections);
    slices.get(server)!.push({ ...result, cpuSeconds: cpuSeconds(server.pid) - cpuBefore });
  }
  return slices;
}

/**
 * `connections` connections send the scenario's operations, each with fresh
 * random variables, for `seconds`. Errors count as errors, never as throughput.
 */
export async function load(origin: string, scenario: Scenario, data: BenchData, seconds: number, connections: number): Promise<LoadResult> {
  let rejected = 0;
  const result = await autocannon({
    url: origin,
    connections,
    duration: seconds,
    requests: [
      {
        // One request at a time on a connection: its context holds the operation its answer is for.
        setupRequest: (request, context) => {
          const op = scenario.next(data);
          (context as { op?: Operation }).op = op;
          return { ...request, ...httpRequest(op) };
        },
        onResponse: (status, body, context) => {
          if (status >= 200 && status < 300 && !succeeded((context as { op: Operation }).op, status, body)) rejected++;
        },
      },
    ],
  });
  const errors = result.errors + result.timeouts + result.non2xx + rejected;
  const ok = result.requests.total - result.non2xx - rejected;
  return { rps: Math.round(ok / seconds), p50: result.latency.p50, p99: result.latency.p99, errors, ok };
}
