import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { isAsyncIterable } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Metrics } from '../http/metrics.ts';
import { withRequestId, type RequestEntry, type RequestLog } from '../http/request-log.ts';
import type { Logger } from '../logger.ts';
import type { Context } from './context.ts';
import { operationText, type TrustedDocuments } from './trusted-documents.ts';
import type { GraphQL } from './yoga.ts';

/**
 * GraphQL over WebSocket (the graphql-ws protocol, what Apollo Client, urql
 * and Relay speak) on the GraphQL endpoint, through the same envelope as
 * HTTP (yoga's getEnveloped): the same identity (scopeFor), limits, document
 * cache, authentication gate, error masking and metrics plugins run every
 * operation. What yoga does only for HTTP requests is done here with the
 * same functions: the trusted-documents rule (operationText), request ids on
 * errors (withRequestId), one log line per operation, the error counts.
 */
export interface WebSocketOptions {
  yoga: GraphQL['yoga'];
  log: Logger;
  /** The identity function of every path (http/app.ts). */
  scopeFor(authorization: string | null, requestId: string): Promise<Context>;
  trustedDocuments: TrustedDocuments | null;
  requests: RequestLog;
  metrics: Metrics | null;
  /** Messages larger than this close the socket (1009): the request body limit. */
  maxPayload: number;
  /** Ping every this many ms, so dead peers are found and idle proxies keep the socket (default 12 s). */
  keepAliveMs?: number;
}

export interface GraphQLWebSockets {
  /** Takes over an upgrade request of the GraphQL endpoint (the front door routes them here). */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Shutdown: each socket is closed with 1001 (going away) as soon as it runs
   * no query or mutation, so a client reconnects elsewhere; open
   * subscriptions do not hold it.
   */
  drain(): void;
  /** Queries and mutations running now (subscriptions excluded). */
  inFlight(): number;
  /** Sockets open now. */
  connections(): number;
}

/** A socket whose client reads this far behind is closed (1013, try again later): its sends would otherwise pile up in memory. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const GOING_AWAY = 1001;
const TRY_AGAIN_LATER = 1013;

interface Connection {
  socket: WebSocket;
  /** The credentials of connection_init (or of the upgrade request), checked again for every operation. */
  authorization: string | null;
  operations: Map<string, Operation>;
  running: number;
}

interface Operation {
  entry: RequestEntry;
  /** A query or mutation: shutdown waits for it. */
  running: boolean;
  /** Its results are a stream's events (the metrics plugin counts their errors). */
  streamed: boolean;
  status: number;
}

export function createWebSockets({ yoga, log, scopeFor, trustedDocuments, requests, metrics, maxPayload, keepAliveMs = 12_000 }: WebSocketOptions): GraphQLWebSockets {
  const server = new WebSocketServer({ noServer: true, maxPayload });
  const connections = new Map<WebSocket, Connection>();
  let running = 0;
  let draining = false;

  const closeIfIdle = (connection: Connection) => {
    if (draining && connection.running === 0) connection.socket.close(GOING_AWAY, 'Server shutting down');
  };

  const finish = (connection: Connection, id: string) => {
    const operation = connection.operations.get(id);
    if (!operation) return;
    connection.operations.delete(id);
    requests.end(operation.entry, 'WS', yoga.graphqlEndpoint, operation.status);
    if (operation.running) {
      running--;
      connection.running--;
      closeIfIdle(connection);
    }
  };

  /** Errors as a client receives them: with the operation's request id and a code, counted. */
  const reported = (operation: Operation | undefined, errors: readonly GraphQLError[], counted: boolean): GraphQLFormattedError[] => {
    const annotated = operation ? withRequestId(errors, operation.entry.id) : [...errors];
    if (operation && operation.status === 200) operation.status = httpStatusOf(annotated) ?? 200;
    if (counted) metrics?.countErrors({ errors: annotated });
    return annotated.map((error) => error.toJSON());
  };

  const connectionOf = (socket: WebSocket): Connection => {
    const connection = connections.get(socket);
    if (!connection) throw new Error('A graphql-ws callback for a socket this server does not hold');
    return connection;
  };

  // Registered before graphql-ws's own listener, so every callback finds its connection.
  server.on('connection', (socket: WebSocket) => {
    const connection: Connection = { socket, authorization: null, operations: new Map(), running: 0 };
    connections.set(socket, connection);
    socket.once('close', () => {
      for (const id of [...connection.operations.keys()]) finish(connection, id);
      connections.delete(socket);
    });
    closeIfIdle(connection);
  });

  useServer<Record<string, unknown>>(
    {
      isProd: true,
      execute: (args: ExecutionArgs) => (args.rootValue as Envelope).execute(args),
      subscribe: (args: ExecutionArgs) => (args.rootValue as Envelope).subscribe(args),
      async onConnect(ctx) {
        const connection = connectionOf(ctx.extra.socket);
        const params = ctx.connectionParams ?? {};
        const given = params['Authorization'] ?? params['authorization'] ?? ctx.extra.request.headers.authorization ?? null;
        const authorization = typeof given === 'string' ? given : null;
        const requestId = requests.idOfContext({ req: ctx.extra.request });
        let scope: Context;
        try {
          scope = await scopeFor(authorization, requestId);
        } catch (error) {
          // graphql-ws closes the socket with 4500, and (isProd) no message of ours.
          log.error({ err: error, requestId }, 'websocket: the credentials could not be checked');
          throw error;
        }
        if (!scope.viewer) {
          log.warn({ requestId, reason: authorization === null ? 'no credentials' : 'credentials not accepted' }, 'websocket refused (4403)');
          return false;
        }
        connection.authorization = authorization;
        return true;
      },
      async onSubscribe(ctx, id, payload) {
        const connection = connectionOf(ctx.extra.socket);
        const operation: Operation = { entry: requests.open(), running: false, streamed: false, status: 200 };
        connection.operations.set(id, operation);
        const text = operationText(trustedDocuments, {
          // graphql-ws requires a query string: a client naming a trusted document sends an empty one.
          query: trustedDocuments && payload.query === '' ? undefined : payload.query,
          documentId: (payload as { documentId?: unknown }).documentId,
          extensions: payload.extensions,
        });
        if (text instanceof GraphQLError) return [text];
        const scope = scopeFor(connection.authorization, operation.entry.id);
        const envelope = yoga.getEnveloped({ req: ctx.extra.request, socket: ctx.extra.socket, params: payload, transport: 'ws', scope });
        let document;
        try {
          document = envelope.parse(text);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The operation could not be parsed.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        let errors: readonly GraphQLError[];
        try {
          errors = envelope.validate(envelope.schema, document);
        } catch (error) {
          // graphql-armor's limits throw their refusal from validation.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        if (errors.length > 0) return errors;
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          operation.running = true;
          running++;
          connection.running++;
        }
        let contextValue: Context;
        try {
          contextValue = (await envelope.contextFactory()) as unknown as Context;
        } catch (error) {
          // Already logged and masked (yoga.ts: the credentials could not be checked).
          return [error instanceof GraphQLError ? error : new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
        }
        const rootValue = { execute: envelope.execute, subscribe: envelope.subscribe } as Envelope;
        return { schema: envelope.schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue, rootValue };
      },
      onOperation(ctx, id, _payload, _args, result) {
        const operation = connectionOf(ctx.extra.socket).operations.get(id);
        if (operation) operation.streamed = isAsyncIterable(result);
      },
      onNext(ctx, id, _payload, _args, result) {
        const socket = ctx.extra.socket;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          log.warn({ bufferedBytes: socket.bufferedAmount }, 'websocket: the client reads too slowly; closed (1013)');
          socket.close(TRY_AGAIN_LATER, 'Reading too slowly');
        }
        const operation = connectionOf(socket).operations.get(id);
        const errors = (result as ExecutionResult).errors;
        if (!errors?.length) return;
        return { ...(result as ExecutionResult), errors: reported(operation, errors, !operation?.streamed) };
      },
      onError(ctx, id, _payload, errors) {
        const connection = connectionOf(ctx.extra.socket);
        const operation = connection.operations.get(id);
        const formatted = reported(operation, errors, true);
        if (operation && operation.status === 200) operation.status = 400;
        finish(connection, id);
        return formatted;
      },
      onComplete(ctx, id) {
        finish(connectionOf(ctx.extra.socket), id);
      },
    },
    server,
    keepAliveMs,
  );

  return {
    upgrade(request, socket, head) {
      server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
    },
    drain() {
      draining = true;
      connections.forEach(closeIfIdle);
    },
    inFlight: () => running,
    connections: () => connections.size,
  };
}

/** What yoga's envelope runs an operation with: graphql-ws calls these through the rootValue, as yoga's recipe does. */
interface Envelope {
  execute(args: ExecutionArgs): OperationResult;
  subscribe(args: ExecutionArgs): OperationResult;
}

type OperationResult = Promise<AsyncIterable<ExecutionResult> | ExecutionResult> | AsyncIterable<ExecutionResult> | ExecutionResult;

function httpStatusOf(errors: readonly GraphQLError[]): number | undefined {
  for (const error of errors) {
    const status = (error.extensions?.['http'] as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number') return status;
  }
  return undefined;
}
