import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Real child processes for the CLI and server tests: each bounded in time, and killed with its group. */

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
  ms: number;
}

const children = new Set<ChildProcess>();

// npm runs the CLI through a shell: kill the whole process group.
export function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills every child still running (for afterAll / afterEach). */
export function killAll(): void {
  children.forEach(killGroup);
}

export function start(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Child {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves with the exit, or with `null` if the process is still running after `ms`. */
export const within = (child: Child, ms: number): Promise<Exit | null> =>
  Promise.race([child.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms).unref())]);

/** `npm run cli -- ...args` against `databaseUrl`, killed after `timeoutMs`. */
export async function runCli(args: string[], databaseUrl: string, timeoutMs = 30_000): Promise<CliResult> {
  const started = performance.now();
  const child = start('npm', ['run', 'cli', '--', ...args], { DATABASE_URL: databaseUrl });
  const exit = (await within(child, timeoutMs)) ?? (killGroup(child.process), await child.exited);
  return { ...exit, stdout: child.stdout(), stderr: child.stderr(), ms: performance.now() - started };
}

/** The server in a child process. */
export interface Server extends Child {
  url: string;
  /** SIGTERM; resolves with the exit, or null if the server is still up after 10 s. */
  stop(): Promise<Exit | null>;
}

const SERVER_ADDRESS = /GraphQL API(?: and GraphiQL)? at (http:\/\/localhost:\d+\/graphql)/;

/** How to run the server: from source by default, or e.g. `['dist/server.js']` for the production bundle. */
export const FROM_SOURCE = ['--import', 'tsx', 'src/server.ts'];

/** `node <nodeArgs>` (the server from source by default) on a free port, not waiting for it. */
export function launchServer(databaseUrl: string, env: Record<string, string> = {}, nodeArgs = FROM_SOURCE): Child {
  return start('node', nodeArgs, { DATABASE_URL: databaseUrl, PORT: '0', ...env });
}

/** Waits (at most `timeoutMs`) for a launched server to print its address; `explain` describes a failure. */
export async function serverAddress(child: Child, timeoutMs = 60_000, explain = () => `${child.stdout()}\n${child.stderr()}`): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  while (!SERVER_ADDRESS.test(child.stdout())) {
    const exit = await within(child, 50);
    if (exit) throw new Error(`The server exited (${JSON.stringify(exit)}) before listening:\n${explain()}`);
    if (performance.now() > deadline) throw new Error(`The server did not listen within ${timeoutMs} ms:\n${explain()}`);
  }
  return SERVER_ADDRESS.exec(child.stdout())![1]!;
}

/** Starts the server on a free port and waits (at most 60 s) for it to print its address. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}, nodeArgs = FROM_SOURCE): Promise<Server> {
  const child = launchServer(databaseUrl, env, nodeArgs);
  const url = await serverAddress(child);
  return {
    ...child,
    url,
    stop() {
      child.process.kill('SIGTERM');
      return within(child, 10_000);
    },
  };
}
