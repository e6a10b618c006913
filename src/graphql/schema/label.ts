import { builder } from '../builder.ts';
import type { Labels } from '../../db/schema.ts';

export interface LabelPair {
  key: string;
  value: string;
}

export const Label = builder.objectRef<LabelPair>('Label').implement({
  description: 'A key/value pair attached to a resource, e.g. environment=production. A resource has at most 64, with distinct keys.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The key: 1–63 characters of [a-z0-9._/-], unique on its resource.' }),
    value: t.exposeString('value', { description: 'The value: 0–255 characters, any text.' }),
  }),
});

export const LabelInput = builder.inputType('LabelInput', {
  description: 'A label to set (setModelLabels, createWorkspace) or to match (ModelFilter.labels).',
  fields: (t) => ({
    key: t.string({
      required: true,
      description: 'The key: 1–63 characters of [a-z0-9._/-]; anything else is INVALID_ARGUMENT (BAD_USER_INPUT in a filter).',
    }),
    value: t.string({
      required: true,
      description: 'The value: at most 255 characters, no NUL; longer is INVALID_ARGUMENT (BAD_USER_INPUT in a filter).',
    }),
  }),
});

/** Labels as clients see them: a list sorted by key (jsonb keeps its own key order). */
export function labelList(labels: Labels): LabelPair[] {
  return Object.keys(labels)
    .sort()
    .map((key) => ({ key, value: labels[key]! }));
}
