// A fresh copy of the test workspace per run (fixtures plus the repository's sample notes), so tests may write
// settings and curation sidecars without touching the repository.
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';
import type { Sandbox } from './sandbox.ts';

export function createWorkspace(sandbox: Sandbox, name = 'workspace'): string {
  const folder = sandbox.folder(name);
  cpSync(join(REPO_ROOT, 'test/e2e/fixtures/workspace'), folder, { recursive: true });
  for (const sample of readdirSync(join(REPO_ROOT, 'samples')).filter((file) => file.endsWith('.note'))) {
    cpSync(join(REPO_ROOT, 'samples', sample), join(folder, sample));
  }
  return folder;
}

/** User settings that keep a test workbench quiet and offline. */
export const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
};
