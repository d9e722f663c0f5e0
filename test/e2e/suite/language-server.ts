// The language server process as the operating system sees it, so tests can crash it the way a fault would.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './notes.ts';

interface ProcessEntry {
  pid: number;
  ppid: number;
  commandLine: string;
}

/**
 * Pids of the language servers this extension host runs: its child processes running the extension's
 * dist/server.js (the client forks it with Node IPC).
 */
export function languageServerPids(): number[] {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `the extension ${EXTENSION_ID}`);
  const serverModule = join(extension.extensionPath, 'dist', 'server.js');
  return processes()
    .filter((p) => p.ppid === process.pid && p.commandLine.includes(serverModule))
    .map((p) => p.pid);
}

/** The pid of the one language server running; fails when there is none or more than one. */
export function languageServerPid(): number {
  const pids = languageServerPids();
  assert.equal(pids.length, 1, `one language server process, found ${JSON.stringify(pids)}`);
  return pids[0]!;
}

/** Every process: from /proc on Linux (slim images lack `ps`), else from `ps` (macOS). */
function processes(): ProcessEntry[] {
  if (!existsSync('/proc/self/stat')) {
    return execFileSync('ps', ['-A', '-ww', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), commandLine: match[3]! }));
  }
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      const entry = procEntry(Number(pid));
      return entry ? [entry] : [];
    });
}

function procEntry(pid: number): ProcessEntry | undefined {
  try {
    // stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return { pid, ppid, commandLine };
  } catch (error) {
    // ENOENT/ESRCH: the process ended while the list was read
    if (['ENOENT', 'ESRCH'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}
