// Runs the integration suite (test/e2e/suite/) with an unmodified @vscode/test-electron runTests(): in code-server
// through the stand-in executable by default (this machine and CI cannot download VS Code), or in a downloaded
// VS Code with CANCERLLM_E2E_VSCODE=stable (or a version such as 1.100.3) on a desktop with internet.
// The suite writes its counts to $CANCERLLM_E2E_RESULT (JSON) when that is set; it finds the tiny model built here in
// $CANCERLLM_E2E_MODEL. Bundled to out/e2e/run-suite.cjs.
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { createProfile } from './lib/code-server.ts';
import { REPO_ROOT } from './lib/paths.ts';
import { createSandbox } from './lib/sandbox.ts';
import { buildTinyModel } from './lib/tiny-model.ts';
import { createWorkspace, QUIET_USER_SETTINGS } from './lib/workspace.ts';

async function main(): Promise<number> {
  const version = process.env.CANCERLLM_E2E_VSCODE;
  const sandbox = createSandbox('suite');
  try {
    const workspace = createWorkspace(sandbox);
    const profile = createProfile(sandbox, QUIET_USER_SETTINGS);
    // The generation tests point cancerllm.model.path at it (workspace settings; the test workspace is trusted).
    const model = buildTinyModel(sandbox);
    await runTests({
      ...(version ? { version } : { vscodeExecutablePath: join(__dirname, 'code-server-stand-in.cjs') }),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(__dirname, 'suite/index.cjs'),
      launchArgs: [workspace, `--user-data-dir=${profile.userDataDir}`, `--extensions-dir=${profile.extensionsDir}`],
      extensionTestsEnv: { CANCERLLM_E2E_RESULT: process.env.CANCERLLM_E2E_RESULT ?? '', CANCERLLM_E2E_MODEL: model },
    });
    return 0;
  } catch (error) {
    // TestRunFailedError: the tests failed (the suite printed which); anything else is a harness failure.
    console.error(`integration suite: ${(error as Error).message}`);
    return 1;
  } finally {
    sandbox.dispose();
  }
}

void main().then((code) => process.exit(code));
