// Where things are: the repository root (found from this file, which may be bundled into out/e2e/), the tools that
// scripts/setup-e2e.sh installs, and the packaged extension.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'cancerllm-notes'
    )
      return dir;
  }
  throw new Error(`no cancerllm-notes package.json above ${__dirname}`);
}

export const REPO_ROOT = findRoot();
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CODE_SERVER =
  process.env.CODE_SERVER_BIN ?? join(REPO_ROOT, 'test/e2e/.tools/node_modules/.bin/code-server');
export const VSIX = process.env.CANCERLLM_E2E_VSIX ?? join(REPO_ROOT, 'cancerllm-notes-linux-x64-0.1.0.vsix');
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/e2e');
export const EXTENSION_ID = 'cancerllm.cancerllm-notes';

/** A message a developer can act on when a tool the e2e tests need is missing, or undefined when all are there. */
export function missingTools(): string | undefined {
  const missing = [CODE_SERVER, CHROMIUM].filter((path) => !existsSync(path));
  if (missing.length === 0) return undefined;
  return `missing ${missing.join(', ')}: run \`bash scripts/setup-e2e.sh\` (installs chromium and code-server 4.100.3)`;
}
