/**
 * Starting the two servers the benchmark compares, as child processes on a
 * free port, and stopping them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export interface RunningServer {
  name: string;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  child: ChildProcess;
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
        resolve({ name, url: `http://127.0.0.1:${match[1]}/graphql`, child, output: () => output, stop });
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
export const startOurs = (databaseUrl: string, env: Record<string, string> = {}, args = ['--import', 'tsx', 'src/server.ts']) =>
  startServer({
    name: 'ours',
    args,
    env: { DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', ...env },
    ready: /GraphQL API and GraphiQL at http:\/\/[^:\s]+:(\d+)\/graphql/,
  });

/** The baseline, with the same node flags as ours when the benchmark passes them. */
export const startBaseline = (databaseUrl: string, env: Record<string, string> = {}, nodeFlags: string[] = []) =>
  startServer({
    name: 'baseline',
    args: [...nodeFlags, '--import', 'tsx', 'bench/baseline.ts'],
    env: { DATABASE_URL: databaseUrl, PORT: '0', ...env },
    ready: /baseline listening on http:\/\/127\.0\.0\.1:(\d+)\/graphql/,
  });
