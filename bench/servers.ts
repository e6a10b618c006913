/**
 * Starting the two servers the benchmark compares, as child processes on a
 * free port, and stopping them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** `npm run build`: the production bundle our server runs from (dist/server.js). */
export const buildOurs = () =>
  new Promise<void>((resolve, reject) =>
    spawn('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build: ${code}`)))),
  );

/**
 * Our server runs as `npm start` runs it: with its node flags (the heap
 * sizes) and NODE_ENV=production, which skips graphql-js's development-only
 * checks. The baseline gets the same flags.
 */
export function startFlags(): string[] {
  const { scripts } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const flags = /exec node (.*?) ?dist\/server\.js/.exec(scripts.start);
  if (!flags) throw new Error(`npm start no longer runs "exec node … dist/server.js": ${scripts.start}`);
  return flags[1]!.split(' ').filter(Boolean);
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (clock ticks of 10 ms); 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command's closing parenthesis.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface RunningServer {
  name: string;
  /** http://127.0.0.1:<port>: operations carry their own paths (bench/scenarios.ts). */
  origin: string;
  child: ChildProcess;
  /** The process's id, for its CPU time and memory. */
  pid: number;
  /** Everything the process printed so far (stdout and stderr), for reports. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** Arguments to node, e.g. ['--import', 'tsx', 'src/server.ts']. */
  args: string[];
  env: Record<string, string>;
  /** Matches the line that announces the address; group 1 is the port. */
  ready: RegExp;
  timeoutMs?: number;
}

export function startServer({ name, args, env, ready, timeoutMs = 30_000 }: StartOptions): Promise<RunningServer> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${name} did not announce its address within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ name, origin: `http://127.0.0.1:${match[1]}`, child, pid: child.pid!, output: () => output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before announcing its address:\n${output}`));
    });
  });
}

/**
 * Our server: by default `node --import tsx src/server.ts`; pass
 * `['dist/server.js']` for the production build (after `npm run build`).
 */
export const startOurs = (databaseUrl: string, env: Record<string, string> = {}, args = ['--import', 'tsx', 'src/server.ts'], name = 'ours') =>
  startServer({
    name,
    args,
    env: { DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', ...env },
    ready: /GraphQL API and GraphiQL at http:\/\/[^:\s]+:(\d+)\/graphql/,
  });

/** Our production build (`npm run build`) as `npm start` runs it: its node flags (after `nodeFlags`), NODE_ENV=production. */
export const startBuilt = (databaseUrl: string, env: Record<string, string> = {}, name = 'ours', nodeFlags: string[] = []) =>
  startOurs(databaseUrl, { NODE_ENV: 'production', ...env }, [...nodeFlags, ...startFlags(), 'dist/server.js'], name);

/** The baseline, with the same node flags as ours when the benchmark passes them. */
export const startBaseline = (databaseUrl: string, env: Record<string, string> = {}, nodeFlags: string[] = []) =>
  startServer({
    name: 'baseline',
    args: [...nodeFlags, '--import', 'tsx', 'bench/baseline.ts'],
    env: { DATABASE_URL: databaseUrl, PORT: '0', ...env },
    ready: /baseline listening on http:\/\/127\.0\.0\.1:(\d+)\/graphql/,
  });
