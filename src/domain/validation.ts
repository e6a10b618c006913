import type { Labels } from '../db/schema.ts';

/** An expected failure, reported to clients as data (a userError) or a BAD_USER_INPUT error. */
export interface Problem {
  code: 'NOT_FOUND' | 'FORBIDDEN' | 'INVALID_ARGUMENT' | 'CONFLICT';
  field: string[] | null;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: Problem['code'], field: string[] | null, message: string): Result<never> => ({
  ok: false,
  problem: { code, field, message },
});

const invalid = (field: string[], message: string) => fail('INVALID_ARGUMENT', field, `${field.join('.')} ${message}`);

export const NAME_MAX = 100;
export const LABELS_MAX = 64;
export const LABEL_VALUE_MAX = 255;
const LABEL_KEY = /^[a-z0-9._/-]{1,63}$/;
const CONTROL = /\p{Cc}/u;

const codePoints = (text: string) => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** PostgreSQL rejects NUL in text, and lone surrogates break JSON: both are refused everywhere. */
export function checkText(text: string, field: string[]): Result<string> {
  if (text.includes('\0')) return invalid(field, 'must not contain NUL characters');
  if (!text.isWellFormed()) return invalid(field, 'must be well-formed Unicode (no lone surrogates)');
  return ok(text);
}

/** Names are stored trimmed: 1–100 code points, no control characters. */
export function normalizeName(raw: string, field: string[]): Result<string> {
  const text = checkText(raw, field);
  if (!text.ok) return text;
  const name = raw.trim();
  const length = codePoints(name);
  if (length < 1) return invalid(field, 'must not be empty or only whitespace');
  if (length > NAME_MAX) return invalid(field, `must be at most ${NAME_MAX} characters after trimming (got ${length})`);
  if (CONTROL.test(name)) return invalid(field, 'must not contain control characters');
  return ok(name);
}

/** Labels as a map with keys in sorted order, validated pair by pair. */
export function normalizeLabels(pairs: readonly { key: string; value: string }[], field: string[]): Result<Labels> {
  if (pairs.length > LABELS_MAX) return invalid(field, `must have at most ${LABELS_MAX} pairs (got ${pairs.length})`);
  // A Map, not an object literal: a key such as "__proto__" must stay an ordinary key.
  const labels = new Map<string, string>();
  for (const [index, { key, value }] of pairs.entries()) {
    const at = [...field, String(index)];
    const keyText = checkText(key, [...at, 'key']);
    if (!keyText.ok) return keyText;
    if (!LABEL_KEY.test(key)) {
      return invalid([...at, 'key'], 'must be 1–63 characters of lower-case letters, digits, ".", "_", "/" or "-"');
    }
    if (labels.has(key)) return invalid([...at, 'key'], `repeats the key "${key}"; keys must be distinct`);
    const valueText = checkText(value, [...at, 'value']);
    if (!valueText.ok) return valueText;
    if (codePoints(value) > LABEL_VALUE_MAX) return invalid([...at, 'value'], `must be at most ${LABEL_VALUE_MAX} characters`);
    labels.set(key, value);
  }
  // Object.fromEntries defines own properties, "__proto__" included.
  return ok(Object.fromEntries([...labels].sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** ASCII-only case folding: what lower() does under the "C" collation. */
export function foldAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
