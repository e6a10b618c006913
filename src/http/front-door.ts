import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { GRAPHIQL_ASSETS } from '../graphql/graphiql.ts';
import { restPathOf } from '../rest/paths.ts';
import { withBodyRead, type FastPath } from './graphql-fast-path.ts';
import type { Metrics } from './metrics.ts';
import type { RequestLog } from './request-log.ts';

type NodeListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface FrontDoorParts {
  requests: RequestLog;
  /** null: metrics off (METRICS=false). */
  metrics: Metrics | null;
  /** Whether `GET /metrics` is served here (false when METRICS_PORT gives it a port of its own). */
  serveMetrics: boolean;
  /** Request bodies larger than this are refused with 413. */
  bodyBytes: number;
  graphql: {
    endpoint: string;
    /** Compiled queries straight from node:http (graphql-fast-path.ts); null: everything goes to yoga. */
    fastPath: FastPath | null;
    yoga: NodeListener;
    /** GraphQL over WebSocket (graphql/ws.ts): takes over an upgrade of the endpoint; null: none served. */
    upgrade: ((request: IncomingMessage, socket: Duplex, head: Buffer) => void) | null;
  };
  rest: NodeListener;
  /** The REST reads straight from node:http (rest-fast-path.ts); null: everything goes to fets. */
  restFastPath: FastPath | null;
  /** 413 for a REST request (its own error format). */
  restTooLarge(response: ServerResponse): void;
}

export interface FrontDoor {
  listener: NodeListener;
  /** node:http's 'clientError': a request too malformed to reach `listener` still gets an id, a JSON answer, a log line and a count. */
  clientError(error: Error & { code?: string }, socket: Duplex): void;
  /**
   * node:http's 'upgrade': a WebSocket of the GraphQL endpoint goes to its
   * server; anything else is refused. Each gets a request id, a log line and
   * metrics when its socket closes (status 101 once upgraded).
   */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** From now on every answer says `Connection: close`. */
  drain(): void;
  inFlight(): number;
  /** performance.now() of the last request that began or ended. */
  lastActivity(): number;
}

/**
 * The one door every request of the process comes through, whichever
 * surface answers it (the GraphQL fast path, yoga, REST): here, once, it
 * gets its request id (`x-request-id`), its log line and its metrics when it
 * ends, the body limit, and `Connection: close` while the process drains.
 * CORS is one set of options, applied by @whatwg-node/server's code on every
 * surface. Then it goes to the surface that owns its path, or first to that
 * surface's fast path, which answers with the id or passes it `onward`.
 */
export function createFrontDoor(parts: FrontDoorParts): FrontDoor {
  const { requests, metrics } = parts;
  let draining = false;
  let inFlight = 0;
  let lastActivity = performance.now();

  const listener: NodeListener = (request, response) => {
    inFlight++;
    lastActivity = performance.now();
    const entry = requests.begin(request);
    // While draining, every answer tells the client to open a new connection (elsewhere).
    if (draining) response.setHeader('connection', 'close');
    const path = pathOf(request);
    const route = routeOf(path, parts.graphql.endpoint);
    const method = request.method ?? 'GET';
    // A response closes once: `on` spares the wrapper `once` allocates.
    response.on('close', () => {
      inFlight--;
      lastActivity = performance.now();
      requests.end(entry, method, path, response.statusCode);
      // A subscription's event stream lasts as long as its subscriber: counted apart, so
      // the endpoint's latency histogram stays one of requests.
      const streamed = String(response.getHeader('content-type') ?? '').startsWith('text/event-stream');
      metrics?.request(streamed ? `${route} (event stream)` : route, method, response.statusCode, (performance.now() - entry.started) / 1000);
    });

    const length = request.headers['content-length'];
    const tooLarge = length !== undefined && Number(length) > parts.bodyBytes;
    const chunked = request.headers['transfer-encoding'] !== undefined;
    const rest = route.startsWith('/v1/') || route === '/openapi.json' || route.startsWith('/docs');
    /** The surface that owns the path, the request id set as a header first. */
    const onward = () => {
      response.setHeader('x-request-id', entry.id);
      // Yoga's request parser refuses a body over the same limit in GraphQL's own error format.
      if (route === parts.graphql.endpoint) return parts.graphql.yoga(request, response);
      if (rest) {
        if (tooLarge) return refuse(request, response, () => parts.restTooLarge(response));
        if (chunked) return readWithin(request, response, parts);
        return parts.rest(request, response);
      }
      if (route === '/metrics' && parts.serveMetrics && metrics && (method === 'GET' || method === 'HEAD')) return serveMetrics(metrics, response);
      return parts.graphql.yoga(request, response);
    };
    // A fast path answers what it can, writing the request id with its answer in
    // one writeHead (a header set before takes node:http's slower way), and
    // passes the rest onward.
    const fastPath = route === parts.graphql.endpoint ? parts.graphql.fastPath : rest && !tooLarge && !chunked ? parts.restFastPath : null;
    return fastPath ? fastPath(request, response, entry.id, onward) : onward();
  };

  const upgrade: FrontDoor['upgrade'] = (request, socket, head) => {
    const entry = requests.begin(request);
    const path = pathOf(request);
    const route = routeOf(path, parts.graphql.endpoint);
    const method = request.method ?? 'GET';
    const isWebSocket = request.headers.upgrade?.toLowerCase() === 'websocket';
    const status = draining ? 503 : route !== parts.graphql.endpoint || !parts.graphql.upgrade ? 404 : !isWebSocket ? 400 : 101;
    socket.once('close', () => {
      requests.end(entry, method, path, status);
      // A WebSocket lasts as long as its client: counted apart from the endpoint's requests.
      metrics?.request(status === 101 ? `${route} (websocket)` : route, method, status, (performance.now() - entry.started) / 1000);
    });
    if (status === 101) return parts.graphql.upgrade!(request, socket, head);
    const body = JSON.stringify({
      errors: [{ message: refusedUpgrade[status], extensions: { code: status === 503 ? 'UNAVAILABLE' : 'BAD_REQUEST', requestId: entry.id } }],
    });
    endSocket(socket, status, entry.id, body);
  };

  const clientError: FrontDoor['clientError'] = (error, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const entry = requests.begin({} as IncomingMessage);
    const body = JSON.stringify({
      code: 3,
      message: `The request is not valid HTTP (${STATUS_CODES[status]}).`,
      details: [{ '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId: entry.id }],
    });
    endSocket(socket, status, entry.id, body);
    requests.end(entry, 'UNKNOWN', 'unparsed', status);
    metrics?.request('unparsed', 'OTHER', status, (performance.now() - entry.started) / 1000);
  };

  return {
    listener,
    upgrade,
    clientError,
    drain: () => void (draining = true),
    inFlight: () => inFlight,
    lastActivity: () => lastActivity,
  };
}

/** A refused body is not read: the connection closes after the answer, so its bytes are not taken for a next request. */
function refuse(request: IncomingMessage, response: ServerResponse, answer: () => void) {
  response.setHeader('connection', 'close');
  answer();
  request.resume();
}

/**
 * A chunked REST body, counted as it arrives: over the limit is 413; within
 * it, the bytes go on with the request (withBodyRead).
 */
function readWithin(request: IncomingMessage, response: ServerResponse, parts: FrontDoorParts) {
  const max = parts.bodyBytes;
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  request.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > max) {
      refused = true;
      refuse(request, response, () => parts.restTooLarge(response));
      return;
    }
    chunks.push(chunk);
  });
  request.once('end', () => {
    if (refused) return;
    withBodyRead(request, Buffer.concat(chunks, size));
    parts.rest(request, response);
  });
  request.once('error', () => response.destroy());
}

/** `GET /metrics`: the exposition text (on PORT here, or on METRICS_PORT's own server). */
export async function serveMetrics(metrics: Metrics, response: ServerResponse) {
  const { contentType, body } = await metrics.render();
  response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

/** An answer written straight to a socket node:http has not made a request of (a refused upgrade, unparsable HTTP), then closed. */
function endSocket(socket: Duplex, status: number, requestId: string, json: string) {
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(json)}\r\n` +
      `x-request-id: ${requestId}\r\nconnection: close\r\n\r\n${json}`,
  );
}

/** A request's path, without its query string. */
function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

const refusedUpgrade: Record<number, string> = {
  400: 'Only WebSocket upgrades are served.',
  404: 'WebSockets are served only at the GraphQL endpoint.',
  503: 'The server is shutting down: connect again.',
};

const FIXED = new Set(['/openapi.json', '/docs', '/metrics', '/health', '/ready']);

/** A request's route as metrics name it: the template, never the ids in it (they would make a series per id). */
export function routeOf(path: string, graphqlEndpoint: string): string {
  if (path === graphqlEndpoint) return graphqlEndpoint;
  if (path.startsWith('/v1/')) return restPathOf(path)?.template ?? '/v1/*';
  if (FIXED.has(path)) return path;
  if (path.startsWith('/docs/')) return '/docs/*';
  if (path.startsWith(GRAPHIQL_ASSETS)) return `${GRAPHIQL_ASSETS}*`;
  return 'other';
}
