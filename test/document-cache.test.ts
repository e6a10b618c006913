import { buildSchema } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useDocumentCache } from '../src/document.ts';

/** A yoga with the cache, counting how often a text is really parsed and a document really validated. */
function appWithCache(max: number) {
  const counts = { parsed: 0, validated: 0 };
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
    plugins: [counting, useDocumentCache(max)],
  });
  const query = async (text: string) => {
    const response = await yoga.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string }[] } };
  };
  return { counts, query };
}

describe('document cache', () => {
  it('parses and validates a text once, and answers it the same every time', async () => {
    const { counts, query } = appWithCache(10);
    for (let i = 0; i < 3; i++) expect(await query('{ a }')).toEqual({ status: 200, body: { data: { a: null } } });
    expect(counts).toEqual({ parsed: 1, validated: 1 });
  });

  it('remembers syntax and validation errors as errors', async () => {
    const { counts, query } = appWithCache(10);
    const syntax = await query('{ a');
    expect(syntax.body.errors![0]!.message).toMatch(/Syntax Error/);
    const invalid = await query('{ nope }');
    expect(invalid.body.errors![0]!.message).toMatch(/Cannot query field "nope"/);
    expect(await query('{ a')).toEqual(syntax);
    expect(await query('{ nope }')).toEqual(invalid);
    expect(counts).toEqual({ parsed: 2, validated: 1 });
  });

  it('keeps at most `max` texts, dropping the least recently used', async () => {
    const { counts, query } = appWithCache(2);
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
});
