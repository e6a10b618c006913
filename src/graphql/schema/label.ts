import { builder } from '../builder.ts';
import type { Labels } from '../../db/schema.ts';

export interface LabelPair {
  key: string;
  value: string;
}

export const Label = builder.objectRef<LabelPair>('Label').implement({
  description: 'A key/value label, e.g. environment=production.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The key: 1–63 characters of [a-z0-9._/-].' }),
    value: t.exposeString('value', { description: 'The value: at most 255 characters.' }),
  }),
});

export const LabelInput = builder.inputType('LabelInput', {
  description: 'A label to set or to match.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'The key: 1–63 characters of [a-z0-9._/-].' }),
    value: t.string({ required: true, description: 'The value: at most 255 characters.' }),
  }),
});

/** Labels as clients see them: a list sorted by key (jsonb keeps its own key order). */
export function labelList(labels: Labels): LabelPair[] {
  return Object.keys(labels)
    .sort()
    .map((key) => ({ key, value: labels[key]! }));
}
