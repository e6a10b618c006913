import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** What the rules that look into a request's document before execution need from it. */
export interface OperationParts {
  /** The operation that will run: the named one, or the only one. */
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
}

export function operationParts(document: DocumentNode, operationName: string | null): OperationParts | null {
  let operation: OperationDefinitionNode | undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && !operation && (!operationName || definition.name?.value === operationName)) {
      operation = definition;
    }
  }
  return operation ? { operation, fragments } : null;
}

/**
 * Values remembered per operation of a document, for as long as the document
 * lives. The document cache hands out one document per query text, so this is
 * per query text and operation name.
 */
export class PerOperation<Value> {
  private readonly documents = new WeakMap<DocumentNode, Map<string, Value>>();

  get(document: DocumentNode, operationName: string | null): Value | undefined {
    return this.documents.get(document)?.get(operationName ?? '');
  }

  set(document: DocumentNode, operationName: string | null, value: Value): Value {
    let operations = this.documents.get(document);
    if (!operations) this.documents.set(document, (operations = new Map()));
    operations.set(operationName ?? '', value);
    return value;
  }
}

/**
 * Parses and validates each query text once. Yoga's own cache does the same
 * but keys its validation cache by the names of the rules, joined anew on
 * every request. This app's schema and rules never change while it runs, so a
 * validated document is remembered by the document itself, which the parse
 * cache hands out once per text. Parse errors are remembered too. At most
 * `maxEntries` texts, together at most `maxChars` long, are kept (a stream of
 * large distinct documents must not fill the heap); the least recently used
 * go first. `valid` lets a compiled operation skip parsing and validation
 * altogether (compiled-queries.ts).
 */
export interface DocumentCache {
  plugin: Plugin;
  /**
   * The document of a query text that parsed and validated without error,
   * counting as a use; undefined for a text not seen yet, evicted, or wrong.
   */
  valid(text: string): DocumentNode | undefined;
}

export function createDocumentCache({ maxEntries = 1_000, maxChars = 10_000_000 } = {}): DocumentCache {
  const parsed = new Map<string, DocumentNode | Error>();
  let chars = 0;
  const validated = new WeakMap<DocumentNode, readonly Error[]>();
  /** The text's document or parse error, now the most recently used; undefined when not cached. */
  const use = (text: string) => {
    const known = parsed.get(text);
    if (known === undefined) return undefined;
    parsed.delete(text);
    parsed.set(text, known);
    return known;
  };
  const plugin: Plugin = {
    onParse({ params: { source }, setParsedDocument }) {
      const text = typeof source === 'string' ? source : source.body;
      const known = use(text);
      if (known === undefined) {
        return ({ result }) => {
          if (result == null) return;
          parsed.set(text, result);
          chars += text.length;
          for (const oldest of parsed.keys()) {
            if (parsed.size <= maxEntries && chars <= maxChars) break;
            parsed.delete(oldest);
            chars -= oldest.length;
          }
        };
      }
      if (known instanceof Error) throw known;
      setParsedDocument(known);
    },
    onValidate({ params: { documentAST }, setResult }) {
      const errors = validated.get(documentAST);
      if (errors) return setResult(errors);
      return ({ result }) => void validated.set(documentAST, result);
    },
  };
  return {
    plugin,
    valid(text) {
      const known = use(text);
      return known !== undefined && !(known instanceof Error) && validated.get(known)?.length === 0 ? known : undefined;
    },
  };
}
