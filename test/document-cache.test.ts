import { buildSchema } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createDocumentCache } from '../src/graphql/document.ts';

/** A yoga with the cache, counting how often a text is really parsed and a document really validated. */
function appWithCache(limits: { maxEntries?: number; maxChars?: number }) {
  const counts = { parsed: 0, validated: 0 };
  const cache = createDocumentCache(limits);
  const counting: Plugin = {
    onParse({ parseFn, setParseFn }) {
      setParseFn((...args) => (counts.parsed++, parseFn(...args)));
    },
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((...args) => (counts.validated++, validateFn(...args)));
    },
  };
  const yoga = createYoga({
    schema: buildSchema('type Query { a: Int, b: Int }'),
    parserAndValidationCache: false,
    plugins: [counting, cache.plugin],
  });
  const query = async (text: string) => {
    const response = await yoga.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string }[] } };
  };
  return { counts, query, cache };
}

describe('document cache', () => {
  it('parses and validates a text once, and answers it the same every time', async () => {
    const { counts, query } = appWithCache({ maxEntries: 10 });
    for (let i = 0; i < 3; i++) expect(await query('{ a }')).toEqual({ status: 200, body: { data: { a: null } } });
    expect(counts).toEqual({ parsed: 1, validated: 1 });
  });

  it('remembers syntax and validation errors as errors', async () => {
    const { counts, query } = appWithCache({ maxEntries: 10 });
    const syntax = await query('{ a');
    expect(syntax.body.errors![0]!.message).toMatch(/Syntax Error/);
    const invalid = await query('{ nope }');
    expect(invalid.body.errors![0]!.message).toMatch(/Cannot query field "nope"/);
    expect(await query('{ a')).toEqual(syntax);
    expect(await query('{ nope }')).toEqual(invalid);
    expect(counts).toEqual({ parsed: 2, validated: 1 });
  });

  it('keeps at most `maxEntries` texts, dropping the least recently used', async () => {
    const { counts, query } = appWithCache({ maxEntries: 2 });
    await query('{ a }');
    await query('{ b }');
    await query('{ a }'); // used: { b } is now the oldest
    await query('{ a b }'); // evicts { b }
    expect(counts.parsed).toBe(3);
    await query('{ a }');
    expect(counts.parsed).toBe(3);
    await query('{ b }');
    expect(counts.parsed).toBe(4);
  });

  it('keeps at most `maxChars` of text: a document longer than that is parsed every time', async () => {
    const { counts, query } = appWithCache({ maxChars: 100 });
    const long = `{ a ${'b '.repeat(60)}}`;
    await query(long);
    await query(long);
    expect(counts.parsed).toBe(2);
    await query('{ a }');
    await query('{ a }');
    expect(counts.parsed).toBe(3);
    // Two short texts fit together; a long third pushes the oldest out until it fits.
    await query('{ b }');
    const third = `{ a b ${' '.repeat(90)}}`;
    await query(third);
    await query(third);
    expect(counts.parsed).toBe(5);
    await query('{ a }');
    expect(counts.parsed).toBe(6);
  });

  it('hands out the document of a text that parsed and validated, and of no other', async () => {
    const { cache, query } = appWithCache({ maxEntries: 10 });
    expect(cache.valid('{ a }')).toBeUndefined();
    await query('{ a }');
    await query('{ a');
    await query('{ nope }');
    expect(cache.valid('{ a }')?.kind).toBe('Document');
    expect(cache.valid('{ a')).toBeUndefined();
    expect(cache.valid('{ nope }')).toBeUndefined();
  });

  it('counts handing out a document as a use of its text', async () => {
    const { cache, query } = appWithCache({ maxEntries: 2 });
    await query('{ a }');
    await query('{ b }');
    expect(cache.valid('{ a }')).toBeDefined(); // { b } is now the oldest
    await query('{ a b }');
    expect(cache.valid('{ b }')).toBeUndefined();
    expect(cache.valid('{ a }')).toBeDefined();
    await query('{ b }');
    expect(cache.valid('{ a b }')).toBeUndefined();
  });
});
