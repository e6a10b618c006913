// Bundles the server into dist/server.js with esbuild, unless it is current.
//
//   node scripts/build.mjs          build only when dist/server.js is stale
//   node scripts/build.mjs --force  always build (`npm run build`)
//
// Plain ESM JavaScript, so it runs with bare `node`. No type check: CI runs
// `npm run typecheck` on its own.
//
// dist/server.js is current when it exists, esbuild's metafile
// (dist/server.meta.json) lists the inputs it was built from, and none of
// them, nor package-lock.json, nor this script, is newer than it. A current
// build is not redone, so `npm start` goes straight to node.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SCRIPT), '..');
const OUTFILE = path.join(ROOT, 'dist/server.js');
const METAFILE = path.join(ROOT, 'dist/server.meta.json');

const options = {
  absWorkingDir: ROOT,
  entryPoints: ['src/server.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // PGlite and pino stay outside the bundle; swagger-ui-dist's files are read
  // from node_modules at run time (src/rest/docs.ts), and GraphiQL's 9 MB
  // build is imported at its first visit (src/graphql/graphiql.ts).
  external: ['@electric-sql/pglite', 'pino', 'swagger-ui-dist', '@graphql-yoga/render-graphiql'],
  logLevel: 'warning',
  outfile: OUTFILE,
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  metafile: true,
};

const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
};

/** Why dist/server.js must be built again, or null when it is current. */
function staleBecause() {
  const built = mtime(OUTFILE);
  if (built === null) return 'dist/server.js is missing';
  let inputs;
  try {
    inputs = Object.keys(JSON.parse(fs.readFileSync(METAFILE, 'utf8')).inputs);
  } catch {
    return 'dist/server.meta.json is missing or unreadable';
  }
  if (inputs.length === 0) return 'dist/server.meta.json lists no inputs';
  for (const file of [...inputs, 'package-lock.json', path.relative(ROOT, SCRIPT)]) {
    const changed = mtime(path.resolve(ROOT, file));
    if (changed === null) return `${file} is gone`;
    if (changed > built) return `${file} changed`;
  }
  return null;
}

const force = process.argv.includes('--force');
const reason = force ? null : staleBecause();
if (!force && reason === null) process.exit(0);
if (reason) console.error(`Building dist/server.js (${reason})`);

// Loaded only when there is something to build.
const esbuild = await import('esbuild');
const started = new Date();
let result;
try {
  result = await esbuild.build(options);
} catch {
  // esbuild has printed the errors.
  process.exit(1);
}
fs.writeFileSync(METAFILE, JSON.stringify(result.metafile));
// The bundle is dated from the start of the build: a source saved while it
// ran is newer, so the next start builds again.
fs.utimesSync(OUTFILE, started, started);
