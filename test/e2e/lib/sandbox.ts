// A throwaway folder per run holding everything code-server, VS Code and Chromium would otherwise write into $HOME and
// /tmp: XDG folders and TMPDIR point inside it, and it is removed when the run ends.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetFolder, recordFolder } from './leftovers.ts';

export interface Sandbox {
  readonly root: string;
  /** process.env with XDG_* and TMPDIR inside the sandbox, for every process a run starts. */
  readonly env: NodeJS.ProcessEnv;
  /** A new empty folder inside the sandbox. */
  folder(name: string): string;
  dispose(): void;
}

const XDG_VARIABLES = ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME', 'XDG_RUNTIME_DIR'];

const undisposed = new Set<string>();
let exitHandlerInstalled = false;

export function createSandbox(purpose: string): Sandbox {
  const root = mkdtempSync(join(tmpdir(), `cancerllm-e2e-${purpose}-`));
  // Also removed when the process exits without disposing it (an interrupted run).
  if (!exitHandlerInstalled)
    process.once('exit', () =>
      undisposed.forEach((folder) => {
        remove(folder);
        forgetFolder(folder);
      }),
    );
  exitHandlerInstalled = true;
  undisposed.add(root);
  recordFolder(root);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of XDG_VARIABLES) {
    env[variable] = join(root, variable.toLowerCase());
    mkdirSync(env[variable], { recursive: true, mode: 0o700 });
  }
  env.TMPDIR = join(root, 'tmp');
  mkdirSync(env.TMPDIR);
  return {
    root,
    env,
    folder(name) {
      const path = join(root, name);
      mkdirSync(path, { recursive: true });
      return path;
    },
    dispose() {
      remove(root);
      undisposed.delete(root);
      forgetFolder(root);
    },
  };
}

function remove(root: string): void {
  rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}
