import { builder } from '../builder.ts';
import type { ModelRow, WorkspaceRow } from '../../db/schema.ts';

// Object refs are declared apart from their implementations so that modules
// which point at each other (a model's workspace, a workspace's models) do not
// import each other.
export const Model = builder.objectRef<ModelRow>('Model');
export const Workspace = builder.objectRef<WorkspaceRow>('Workspace');
