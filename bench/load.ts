/**
 * Driving a server with one scenario's operations (autocannon), for the
 * benchmark (bench/run.ts) and for profiles (bench/profile.ts).
 */
import autocannon from 'autocannon';
import { httpRequest, succeeded, type BenchData, type Operation, type Scenario } from './scenarios.ts';

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
