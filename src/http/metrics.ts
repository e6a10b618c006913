import type { DocumentNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry, type LabelValues } from 'prom-client';
import { operationParts, PerOperation } from '../graphql/document.ts';
import type { DatabaseStats } from '../db/client.ts';
import { collectProcessMetrics } from './process-metrics.ts';

/** Which path ran an operation: fast (compiled, straight from node:http), yoga (HTTP and SSE), ws (WebSocket). */
export type GraphQLPath = 'fast' | 'yoga' | 'ws';

/**
 * The process's Prometheus metrics (prom-client), one registry per app: every
 * request by route, method and status with its latency, GraphQL operations by
 * name and type whichever path ran them, errors by code on each surface, the
 * database's statements and pool, and the process's own metrics.
 */
export interface Metrics {
  registry: Registry;
  /** A request has ended. */
  request(route: string, method: string, status: number, seconds: number): void;
  /** A GraphQL operation ran. */
  operation(document: DocumentNode, operationName: string | null, path: GraphQLPath): void;
  /** An error reached a client: GraphQL's `extensions.code`, or REST's google.rpc code name. */
  error(surface: 'graphql' | 'rest', code: string): void;
  /** Counts the errors of one GraphQL result (the WebSocket's results, which yoga's result processing never sees). */
  countErrors(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): void;
  /** Yoga's part: operations it runs and the errors of its results. */
  plugin: Plugin;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Operation names are the client's: past this many distinct ones, the rest count as "other". */
const MAX_OPERATION_NAMES = 500;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function createMetrics(database: () => DatabaseStats | null = () => null, liveSubscribers: (() => number) | null = null): Metrics {
  const registry = new Registry();
  collectProcessMetrics(registry);
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route (its template), method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
    collect: () => recorded.flush(),
  });
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request reaching the front door to the end of its response.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
    collect: () => recorded.flush(),
  });
  const recorded = recordedRequests(requests, durations);
  new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations run, by operation name and type, and the path that ran them (fast: compiled, straight from node:http).',
    labelNames: ['operation_name', 'operation_type', 'path'] as const,
    registers: [registry],
    collect() {
      // Counted per operation as it ran (see recordedRequests for why), handed over here.
      for (const counted of operationCounts.values()) {
        if (counted.n === 0) continue;
        this.inc(counted.labels, counted.n);
        counted.n = 0;
      }
    },
  });
  const errors = new Counter({
    name: 'api_errors_total',
    help: 'Errors answered to clients, by surface and code (GraphQL extensions.code; REST google.rpc code).',
    labelNames: ['surface', 'code'] as const,
    registers: [registry],
  });
  let countedStatements = 0;
  new Counter({
    name: 'db_statements_total',
    help: 'SQL statements sent to the database.',
    registers: [registry],
    collect() {
      const now = database()?.statements ?? 0;
      this.inc(now - countedStatements);
      countedStatements = now;
    },
  });
  new Gauge({
    name: 'db_pool_connections',
    help: "The PostgreSQL pool's connections by state: open (taking queries; several are pipelined on one), saturated, connecting, reserved, closed; max is its size, queued the queries waiting for a connection. Absent on embedded PGlite.",
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = database()?.pool;
      if (!pool) return;
      for (const [state, value] of Object.entries(pool)) this.set({ state }, value);
    },
  });

  if (liveSubscribers) {
    new Gauge({
      name: 'live_subscribers',
      help: 'Subscribers of live status changes now connected to this process (SSE and WebSocket).',
      registers: [registry],
      collect() {
        this.set(liveSubscribers());
      },
    });
  }

  const names = new Set<string>();
  type OperationCount = { labels: LabelValues<'operation_name' | 'operation_type' | 'path'>; n: number };
  /** One count per series (at most MAX_OPERATION_NAMES names), however many documents share it. */
  const operationCounts = new Map<string, OperationCount>();
  const countOf = (labels: OperationCount['labels']): OperationCount => {
    const key = `${labels.operation_name} ${labels.operation_type} ${labels.path}`;
    let counted = operationCounts.get(key);
    if (!counted) operationCounts.set(key, (counted = { labels, n: 0 }));
    return counted;
  };
  const operationLabels = new PerOperation<Record<GraphQLPath, OperationCount>>();
  const countErrors = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => {
    for (const error of result.errors ?? []) errors.inc({ surface: 'graphql', code: String(error.extensions?.code ?? 'BAD_REQUEST') });
  };
  const operation: Metrics['operation'] = (document, operationName, path) => {
    let counts = operationLabels.get(document, operationName);
    if (!counts) {
      const operation = operationParts(document, operationName)?.operation;
      let name = operation?.name?.value ?? 'anonymous';
      if (!names.has(name) && names.size >= MAX_OPERATION_NAMES) name = 'other';
      names.add(name);
      const labels = (path: GraphQLPath) => ({ operation_name: name, operation_type: operation?.operation ?? 'unknown', path });
      counts = operationLabels.set(document, operationName, { fast: countOf(labels('fast')), yoga: countOf(labels('yoga')), ws: countOf(labels('ws')) });
    }
    counts[path].n++;
  };

  return {
    registry,
    request: (route, method, status, seconds) => recorded.record(route, METHODS.has(method) ? method : 'OTHER', status, seconds),
    operation,
    error: (surface, code) => errors.inc({ surface, code }),
    plugin: {
      onExecute({ args }) {
        operation(args.document, args.operationName ?? null, pathOf(args.contextValue));
      },
      onSubscribe({ args }) {
        operation(args.document, args.operationName ?? null, pathOf(args.contextValue));
        // The setup's single result is counted where every result is (onResultProcess, or the WebSocket's own); the events here.
        return {
          onSubscribeResult: ({ result }) => (isAsyncIterable(result) ? { onNext: ({ result: event }) => countErrors(event) } : undefined),
        };
      },
      onResultProcess({ result }) {
        if (Array.isArray(result) || !('errors' in result)) return;
        countErrors(result);
      },
    },
    countErrors,
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

/** A series recorded between two reads of /metrics: its labels, made once, and the durations of its requests. */
interface RequestSeries {
  counted: LabelValues<'route' | 'method' | 'status'>;
  timed: LabelValues<'route' | 'method'>;
  pending: number[];
}

/** A series hands its requests to prom-client at the latest after this many, so nothing grows while no one reads /metrics. */
const MAX_PENDING = 4_096;

/**
 * Requests by route, method and status, recorded in a plain array per series
 * and handed to prom-client's counter and histogram when /metrics is read:
 * prom-client builds a hash of the labels and validates them on every inc and
 * observe, which, twice per request, cost about 6% of the GraphQL fast
 * path's throughput (our server against itself with METRICS=false). Handed
 * over in a batch, each series's labels are made once and the same values
 * reach the same metrics.
 */
function recordedRequests(requests: Counter<'route' | 'method' | 'status'>, durations: Histogram<'route' | 'method'>) {
  const series = new Map<string, RequestSeries>();
  const handOver = (recorded: RequestSeries) => {
    if (recorded.pending.length === 0) return;
    requests.inc(recorded.counted, recorded.pending.length);
    for (const seconds of recorded.pending) durations.observe(recorded.timed, seconds);
    recorded.pending.length = 0;
  };
  return {
    record(route: string, method: string, status: number, seconds: number) {
      const key = `${route} ${method} ${status}`;
      let recorded = series.get(key);
      if (!recorded) series.set(key, (recorded = { counted: { route, method, status }, timed: { route, method }, pending: [] }));
      if (recorded.pending.push(seconds) >= MAX_PENDING) handOver(recorded);
    },
    flush: () => series.forEach(handOver),
  };
}

/** The WebSocket server marks the context of its operations (graphql/ws.ts); everything else yoga runs came over HTTP. */
const pathOf = (context: unknown): GraphQLPath => ((context as { transport?: string }).transport === 'ws' ? 'ws' : 'yoga');
