import { randomBytes } from 'node:crypto';

/** The id prefix of each type; the prefix is what makes an id a Relay global id. */
export const idPrefixes = {
  Account: 'acct',
  Profile: 'prof',
  Workspace: 'ws',
  Model: 'model',
  ApiKey: 'key',
} as const;

export type IdKind = keyof typeof idPrefixes;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// A ULID is 26 Crockford characters; the first is at most 7 (48-bit time).
const ULID_PATTERN = '[0-7][0-9A-HJKMNP-TV-Z]{25}';
const ID_PATTERN = new RegExp(`^(${Object.values(idPrefixes).join('|')})_(${ULID_PATTERN})$`);
const kindByPrefix = new Map<string, IdKind>(Object.entries(idPrefixes).map(([kind, prefix]) => [prefix, kind as IdKind]));

let lastTime = -1;
let lastRandom = new Uint8Array(10);

/**
 * A monotonic ULID: ids made in the same millisecond by this process keep
 * increasing, so rows inserted together (a seeded workspace shares one
 * created_at) order by id in the order they were made.
 */
export function ulid(): string {
  const now = Date.now();
  if (now <= lastTime) {
    incrementRandom(lastRandom);
  } else {
    lastTime = now;
    lastRandom = new Uint8Array(randomBytes(10));
  }
  let time = '';
  let t = lastTime;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + encodeRandom(lastRandom);
}

function incrementRandom(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] === 0xff) {
      bytes[i] = 0;
    } else {
      bytes[i] = bytes[i]! + 1;
      return;
    }
  }
  throw new Error('ULID random part overflowed within one millisecond');
}

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits -> 16 characters of 5 bits, most significant first.
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${ulid()}`;
}

/** The kind of a well-formed id, or null for anything else. */
export function idKind(id: string): IdKind | null {
  const match = ID_PATTERN.exec(id);
  return match ? (kindByPrefix.get(match[1]!) ?? null) : null;
}

export function isIdOf(kind: IdKind, id: string): boolean {
  return idKind(id) === kind;
}
