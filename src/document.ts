import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

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
