/**
 * The REST resource's paths: their patterns, the templates metrics and OpenAPI
 * name them by, and the method each takes. No path matches two patterns; the
 * two reads, most of the traffic, are tried first.
 */
export const REST_PATHS = [
  { pattern: /^\/v1\/workspaces\/[^/]+\/models$/, template: '/v1/workspaces/{workspaceId}/models', method: 'GET' },
  { pattern: /^\/v1\/workspaces\/[^/]+\/models\/[^/:]+$/, template: '/v1/workspaces/{workspaceId}/models/{id}', method: 'GET' },
  { pattern: /^\/v1\/workspaces\/[^/]+\/models\/[^/]+:enable$/, template: '/v1/workspaces/{workspaceId}/models/{id}:enable', method: 'POST' },
  { pattern: /^\/v1\/workspaces\/[^/]+\/models\/[^/]+:disable$/, template: '/v1/workspaces/{workspaceId}/models/{id}:disable', method: 'POST' },
  { pattern: /^\/v1\/workspaces\/[^/]+\/models\/[^/]+\/status$/, template: '/v1/workspaces/{workspaceId}/models/{id}/status', method: 'PUT' },
] as const;

/** The template of a /v1 path, or null for none of the resource's. */
export const restPathOf = (path: string) => REST_PATHS.find(({ pattern }) => pattern.test(path)) ?? null;
