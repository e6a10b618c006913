import type { Problem } from '../domain/validation.ts';

/**
 * google.rpc.Status: the error body of every REST answer that is not a
 * success, with the HTTP status its code maps to (google/rpc/code.proto).
 */
export interface RpcStatus {
  code: number;
  message: string;
  details: RpcDetail[];
}

export type RpcDetail =
  | { '@type': 'type.googleapis.com/google.rpc.BadRequest'; fieldViolations: FieldViolation[] }
  | { '@type': 'type.googleapis.com/google.rpc.RequestInfo'; requestId: string };

export interface FieldViolation {
  field: string;
  description: string;
}

export const RPC = {
  INVALID_ARGUMENT: { code: 3, http: 400 },
  UNAUTHENTICATED: { code: 16, http: 401 },
  PERMISSION_DENIED: { code: 7, http: 403 },
  NOT_FOUND: { code: 5, http: 404 },
  UNIMPLEMENTED: { code: 12, http: 405 },
  INTERNAL: { code: 13, http: 500 },
  UNAVAILABLE: { code: 14, http: 503 },
} as const;

export type RpcCode = keyof typeof RPC;

/** An error answer: its HTTP status, extra headers, and google.rpc.Status body. */
export class RestError extends Error {
  constructor(
    readonly rpc: RpcCode,
    message: string,
    readonly details: RpcDetail[] = [],
    readonly headers: Record<string, string> = {},
    /** The HTTP status, when it is not the code's own (413 for a body over the limit). */
    readonly httpStatus: number = RPC[rpc].http,
  ) {
    super(message);
  }

  get body(): RpcStatus {
    return { code: RPC[this.rpc].code, message: this.message, details: this.details };
  }
}

export const badRequest = (violations: FieldViolation[], message = violations.map((v) => `${v.field}: ${v.description}`).join('; ')) =>
  new RestError('INVALID_ARGUMENT', message, [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }]);

/** A body over the limit: 413, as INVALID_ARGUMENT naming `body` (google.rpc has no code of its own for it). */
export const tooLarge = (limit: number) => {
  const error = badRequest([{ field: 'body', description: `must be at most ${limit} bytes` }], `The request body is larger than the limit of ${limit} bytes.`);
  return new RestError(error.rpc, error.message, error.details, {}, 413);
};

export const notFound = (what: 'workspace' | 'model') => new RestError('NOT_FOUND', `No ${what} with this id exists in this account.`);

export const unauthenticated = () => new RestError('UNAUTHENTICATED', 'Authentication required: send `Authorization: Bearer <api key or access token>`.');

/** Masked: no stack, no SQL, no driver message; the request id finds the log line. */
export const masked = (rpc: 'INTERNAL' | 'UNAVAILABLE', requestId: string) =>
  new RestError(rpc, rpc === 'UNAVAILABLE' ? 'The service is unavailable; try again shortly.' : 'Unexpected error.', [
    { '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId },
  ]);

/** A domain problem as REST answers it. */
export function fromProblem(problem: Problem): RestError {
  switch (problem.code) {
    case 'NOT_FOUND':
      return new RestError('NOT_FOUND', problem.message);
    case 'FORBIDDEN':
      return new RestError('PERMISSION_DENIED', problem.message);
    default:
      return badRequest([{ field: problem.field?.join('.') ?? 'body', description: problem.message }], problem.message);
  }
}
