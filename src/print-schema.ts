import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from './graphql/schema/index.ts';

/** The committed contract for codegen'd clients; test/schema.test.ts fails when it is stale. */
export const SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

export const printedSchema = () => `${printSchema(schema)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_FILE, printedSchema());
  console.log(`Wrote ${SCHEMA_FILE.pathname}`);
}
