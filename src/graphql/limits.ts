import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  getNamedType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Limits } from '../config.ts';
import type { GatedOperation } from './context.ts';
import { operationParts, PerOperation } from './document.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/pagination.ts';

/**
 * Every operation limit of docs/limits.md: graphql-armor for the document's
 * shape (depth, aliases, directives, tokens; no field suggestions), and our own
 * rules for what armor cannot see — the number of objects an operation asks for
 * (page sizes are often variables) and the size of the request body.
 */
export interface OperationLimits {
  plugins: Plugin[];
  /** The objects limit's refusal of an operation run with these variables, or null when it may run. */
  objectLimitError(schema: GraphQLSchema, document: DocumentNode, operationName: string | null, variables: Record<string, unknown>): GraphQLError | null;
}

export function useOperationLimits(limits: Limits): OperationLimits {
  // Armor's errors carry no code: each gets one naming its limit, and HTTP 400.
  const rejectAs = (code: string, limit: number) => ({
    exposeLimits: true,
    propagateOnRejection: true,
    onReject: [(_: unknown, error: GraphQLError) => void Object.assign(error.extensions, { code, limit, http: { status: 400 } })],
  });
  const objectLimitError = objectLimit(limits.objects);
  const checkObjects = ({ args, setResultAndStopExecution }: GatedOperation<unknown>) => {
    const error = objectLimitError(args.schema, args.document, args.operationName ?? null, args.variableValues ?? {});
    if (error) setResultAndStopExecution({ errors: [error] });
  };
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: { enabled: true, n: limits.depth, ignoreIntrospection: true, flattenFragments: true, ...rejectAs('MAX_DEPTH_EXCEEDED', limits.depth) },
      maxAliases: { enabled: true, n: limits.aliases, allowList: [], ...rejectAs('MAX_ALIASES_EXCEEDED', limits.aliases) },
      maxDirectives: { enabled: true, n: limits.directives, ...rejectAs('MAX_DIRECTIVES_EXCEEDED', limits.directives) },
      maxTokens: { enabled: true, n: limits.tokens, ...rejectAs('MAX_TOKENS_EXCEEDED', limits.tokens) },
      // Armor's cost ignores page sizes; the objects limit below is the cost limit.
      costLimit: { enabled: false },
      blockFieldSuggestion: { enabled: true },
    }),
    // Subscriptions are set up by `subscribe`, not `execute`: both are checked.
    { onExecute: checkObjects, onSubscribe: checkObjects } satisfies Plugin,
    useRequestParsing(limits.bodyBytes),
  ];
  return { plugins, objectLimitError };
}

/**
 * In the spirit of GitHub's node limit: before executing, multiply page sizes
 * down each path of nested connections (50 where none is given; `nodes(ids)`
 * counts its ids) and refuse an operation that asks for more than `max`
 * objects. Page sizes that break the page-size rules are left for those rules
 * to report, so that error comes first.
 */
function objectLimit(max: number): OperationLimits['objectLimitError'] {
  // An operation whose counted arguments are all literals asks for the same number every time.
  const literal = new PerOperation<number | null>();
  const requestedBy = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null, variables: Record<string, unknown>) => {
    const known = literal.get(document, operationName);
    if (known !== undefined) return known;
    const { requested, readsVariables } = objectsRequested(schema, document, operationName, variables);
    if (!readsVariables) literal.set(document, operationName, requested);
    return requested;
  };
  return (schema, document, operationName, variables) => {
    const requested = requestedBy(schema, document, operationName, variables);
    if (requested === null || requested <= max) return null;
    return new GraphQLError(
      `This operation requests up to ${requested} objects; the limit is ${max}. Ask for smaller pages or fewer nested connections.`,
      { extensions: { code: 'OBJECT_LIMIT_EXCEEDED', limit: max, requested } },
    );
  };
}

/**
 * The objects an operation may return (`requested`, null when a page size
 * breaks the page-size rules), and whether that number depends on the
 * variables.
 */
function objectsRequested(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null,
  variables: Record<string, unknown>,
): { requested: number | null; readsVariables: boolean } {
  const parts = operationParts(document, operationName);
  const root = parts && schema.getRootType(parts.operation.operation);
  if (!parts || !root) return { requested: 0, readsVariables: false };
  const { operation, fragments } = parts;
  let invalid = false;
  let readsVariables = false;

  const argument = (field: FieldNode, name: string): unknown => {
    const node = field.arguments?.find((a) => a.name.value === name);
    if (!node) return undefined;
    readsVariables ||= containsVariable(node.value);
    return valueFromASTUntyped(node.value, variables);
  };

  /** How many items one occurrence of this field fans out to; null when it is not a list of objects we count. */
  const fanOut = (field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, returns: GraphQLNamedType | undefined): number | null => {
    if (definition?.args.some((a) => a.name === 'ids')) {
      const ids = argument(field, 'ids');
      return Array.isArray(ids) ? ids.length : 1;
    }
    if (!returns || !isObjectType(returns) || !('pageInfo' in returns.getFields())) return null;
    const first = argument(field, 'first');
    const last = argument(field, 'last');
    const sizes = [first, last].filter((v) => v != null);
    if (sizes.length > 1 || sizes.some((v) => typeof v !== 'number' || v < 0 || v > MAX_PAGE_SIZE)) {
      invalid = true;
      return 0;
    }
    return sizes.length === 1 ? (sizes[0] as number) : DEFAULT_PAGE_SIZE;
  };

  const visited = new Set<string>();
  const count = (set: SelectionSetNode, type: GraphQLCompositeType, multiplier: number): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet) continue;
        const definition = isObjectType(type) ? type.getFields()[selection.name.value] : undefined;
        const child = definition ? getNamedType(definition.type) : undefined;
        const fan = fanOut(selection, definition, child);
        const items = fan === null ? multiplier : multiplier * fan;
        if (fan !== null) total += items;
        if (child && 'getFields' in child) total += count(selection.selectionSet, child as GraphQLCompositeType, items);
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && visited.has(selection.name.value))) continue;
        if (selection.kind === Kind.FRAGMENT_SPREAD) visited.add(selection.name.value);
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        total += count(fragment.selectionSet, (condition ?? type) as GraphQLCompositeType, multiplier);
        if (selection.kind === Kind.FRAGMENT_SPREAD) visited.delete(selection.name.value);
      }
    }
    return total;
  };
  const total = count(operation.selectionSet, root, 1);
  return { requested: invalid ? null : total, readsVariables };
}

function containsVariable(value: ValueNode): boolean {
  switch (value.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return value.values.some(containsVariable);
    case Kind.OBJECT:
      return value.fields.some((field) => containsVariable(field.value));
    default:
      return false;
  }
}

/**
 * The edge of every request: bodies over `max` bytes are refused with 413,
 * counted as they arrive whatever Content-Length says; a body or query string
 * that cannot be parsed, or a content type no parser reads, is a 4xx with a
 * JSON error — never a 500.
 */
function useRequestParsing(max: number): Plugin {
  const refuse = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
    createGraphQLError(message, { extensions: { code, ...extra, http: { status } } });
  const tooLarge = () => refuse(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${max} bytes.`, { limit: max });
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser) {
        throw refuse(415, 'BAD_REQUEST', 'Unsupported request: POST a JSON body with Content-Type: application/json, or GET with a query string.');
      }
      const contentLength = request.headers.get('content-length');
      if (contentLength !== null && !/^\d+$/.test(contentLength)) throw refuse(400, 'BAD_REQUEST', 'The Content-Length header is invalid.');
      if (Number(contentLength) > max) throw tooLarge();
      setRequestParser(async (original) => {
        // With a Content-Length, HTTP framing already bounds the body (checked
        // above); only a chunked body is counted, as it arrives.
        let request = original;
        if (original.body && contentLength === null) {
          const chunks: Uint8Array[] = [];
          let size = 0;
          const reader = original.body.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            size += value.byteLength;
            if (size > max) {
              await reader.cancel();
              throw tooLarge();
            }
            chunks.push(value);
          }
          request = new Request(original.url, { method: original.method, headers: original.headers, body: Buffer.concat(chunks) });
        }
        try {
          return await requestParser(request);
        } catch (error) {
          if (error instanceof GraphQLError) throw error;
          throw refuse(400, 'BAD_REQUEST', 'The request could not be parsed: its body, variables or extensions are not valid JSON.');
        }
      });
    },
  };
}
