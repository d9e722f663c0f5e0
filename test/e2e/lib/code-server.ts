// A private code-server for one run: its own config, user data, extensions and sandboxed XDG folders, bound to a free
// loopback port, started in its own session (setsid) so that stopping it ends the whole process group (server,
// extension host, file watcher, language server).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forgetGroup, recordGroup } from './leftovers.ts';
import { CODE_SERVER } from './paths.ts';
import type { Sandbox } from './sandbox.ts';
import { settleWithin, withTimeout } from './wait.ts';

export interface CodeServerProfile {
  sandbox: Sandbox;
  userDataDir: string;
  extensionsDir: string;
}

export interface CodeServer {
  /** "127.0.0.1:PORT" */
  readonly host: string;
  readonly origin: string;
  /** What code-server printed so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const INSTALL_TIMEOUT_MS = 60_000;

/** A profile in the sandbox (or the given folders) with quiet user settings. */
export function createProfile(
  sandbox: Sandbox,
  settings: Record<string, unknown>,
  folders: Partial<Omit<CodeServerProfile, 'sandbox'>> = {},
): CodeServerProfile {
  const userDataDir = folders.userDataDir ?? sandbox.folder('user-data');
  const extensionsDir = folders.extensionsDir ?? sandbox.folder('extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return { sandbox, userDataDir, extensionsDir };
}

function baseArguments(profile: CodeServerProfile): string[] {
  // --config: without it code-server writes ~/.config/code-server/config.yaml, even for --install-extension.
  const config = join(profile.sandbox.root, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  return ['--config', config, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** Runs a code-server CLI command to completion (e.g. --install-extension), rejecting with its output on failure. */
export async function runCodeServerCommand(profile: CodeServerProfile, args: string[]): Promise<string> {
  const child = spawn(CODE_SERVER, [...baseArguments(profile), ...args], {
    env: profile.sandbox.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
  try {
    const code = await withTimeout(exit, INSTALL_TIMEOUT_MS, `code-server ${args.join(' ')}`);
    if (code !== 0) throw new Error(`code-server ${args.join(' ')} exited with ${code}:\n${output}`);
    return output;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/**
 * Starts code-server on a free loopback port and resolves once it says it listens. `workspaceTrust: false` passes
 * --disable-workspace-trust (every folder trusted, as @vscode/test-electron does); true keeps VS Code's trust prompt.
 */
export async function startCodeServer(
  profile: CodeServerProfile,
  options: { workspaceTrust: boolean },
): Promise<CodeServer> {
  const args = [
    ...baseArguments(profile),
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
  ];
  // detached: the child calls setsid() and leads a new process group.
  const child = spawn(CODE_SERVER, args, {
    env: profile.sandbox.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stopGroupOnExit(child);
  let output = '';
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /HTTP server listening on http:\/\/(127\.0\.0\.1:\d+)\//.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${output}`)),
    );
  });
  const server = { child, log: () => output };
  try {
    const host = await withTimeout(listening, START_TIMEOUT_MS, `code-server to listen (${CODE_SERVER})`);
    return { host, origin: `http://${host}`, log: server.log, stop: () => stopGroup(child) };
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
}

/** SIGTERM to the whole process group, SIGKILL to whatever is left after a few seconds. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(pid, 'SIGTERM');
  await settleWithin(exited, 5_000);
  // Children such as the file watcher may outlive the leader by a few seconds.
  signalGroup(pid, 'SIGKILL');
  runningGroups.delete(pid);
  forgetGroup(pid);
}

const runningGroups = new Set<number>();
let exitHandlerInstalled = false;

/**
 * Makes sure no code-server outlives this process, even when it is interrupted (Ctrl+C, a runner's timeout): on exit
 * the groups not stopped yet get SIGKILL, and SIGINT/SIGTERM/SIGHUP exit the process (which runs that handler).
 */
function stopGroupOnExit(child: ChildProcess): void {
  if (child.pid === undefined) return;
  runningGroups.add(child.pid);
  recordGroup(child.pid);
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () =>
    runningGroups.forEach((pid) => {
      signalGroup(pid, 'SIGKILL');
      forgetGroup(pid);
    }),
  );
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)
    process.once(signal, () => process.exit(code));
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // ESRCH: the group is already gone
  }
}
