// A record of what a test process must clean up (code-server process groups, sandbox folders), kept as files in
// $CANCERLLM_E2E_LEFTOVERS when scripts/test-e2e.mjs sets it: if a test process is killed before its own cleanup
// runs (a timeout, Ctrl+C racing a test runner), the runner ends those groups and removes those folders.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = process.env.CANCERLLM_E2E_LEFTOVERS;

function entry(kind: 'group' | 'folder', id: string): string | undefined {
  return DIR ? join(DIR, `${kind}-${id.replace(/[^A-Za-z0-9._-]/g, '_')}`) : undefined;
}

export function recordGroup(pid: number): void {
  const file = entry('group', String(pid));
  if (file) writeFileSync(file, String(pid));
}

export function recordFolder(path: string): void {
  const file = entry('folder', path);
  if (file) writeFileSync(file, path);
}

export function forgetGroup(pid: number): void {
  const file = entry('group', String(pid));
  if (file) rmSync(file, { force: true });
}

export function forgetFolder(path: string): void {
  const file = entry('folder', path);
  if (file) rmSync(file, { force: true });
}
