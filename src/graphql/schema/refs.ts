import { builder } from '../builder.ts';
import type { ModelRow, WorkspaceRow } from '../../db/schema.ts';
import type { StatusChange } from '../../domain/history.ts';

// Object refs are declared apart from their implementations so that modules
// which point at each other (a model's workspace, a workspace's models) do not
// import each other.
export const Model = builder.objectRef<ModelRow>('Model');
export const Workspace = builder.objectRef<WorkspaceRow>('Workspace');
export const ModelStatusChange = builder.objectRef<StatusChange>('ModelStatusChange');
